package admin_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/api"
)

func TestUpload_rejectionsNameTheProblem(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	for _, c := range []struct {
		name   string
		wasm   []byte
		status int
		words  string
	}{
		{"garbage", []byte("#!/bin/sh\nrm -rf /\n"), http.StatusUnprocessableEntity, "module rejected"},
		{"empty", nil, http.StatusBadRequest, "no body"},
		{"import from env", guest(t, "bad/bad_import.wasm"), http.StatusUnprocessableEntity, `imports "env"`},
		{"other ABI version", guest(t, "bad/abi_v2.wasm"), http.StatusUnprocessableEntity, "ABI"},
		{"init fails", guest(t, "bad/init_fails.wasm"), http.StatusUnprocessableEntity, "civetbox_init"},
		{"over the size cap", make([]byte, 1<<20+1), http.StatusRequestEntityTooLarge, "1 MiB"},
	} {
		status, body := as.call(t, "shop", "POST", appModule+"?activate=1", c.wasm, nil)
		require.Equal(t, c.status, status, "%s: %s", c.name, body)
		require.Contains(t, body, c.words, c.name)
	}
	var list api.ModuleList
	status, _ := as.call(t, "shop", "GET", "/v1/tenants/shop/modules", nil, &list)
	require.Equal(t, http.StatusOK, status)
	require.Empty(t, list.Modules, "nothing refused is kept, not even the module that failed to start")
	require.Contains(t, as.audit.String(), `"result":"refused"`)
}

// A declared length over the cap is refused before the body is sent: the
// client gets 413 while it still holds the whole body.
func TestUpload_tooLargeIsRefusedBeforeTheBody(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	u, err := url.Parse(as.apiURL)
	require.NoError(t, err)
	conn, err := net.Dial("tcp", u.Host)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n",
		appModule, as.tokens["shop"], 512<<20)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
}

func TestUpload_compileIsBounded(t *testing.T) {
	as := startAdmin(t, serverSetup{})
	// Many uploads at once all finish: the compile slots queue them.
	errs := make(chan string, 6)
	for i := range cap(errs) {
		go func() {
			status, body := as.call(t, "shop", "POST", fmt.Sprintf("/v1/tenants/shop/modules/m%d", i), guest(t, "deploy.wasm"), nil)
			if status != http.StatusCreated {
				errs <- body
				return
			}
			errs <- ""
		}()
	}
	for range cap(errs) {
		require.Empty(t, <-errs)
	}
	require.False(t, strings.Contains(as.logs.String(), "level=ERROR"), as.logs.String())
}
