package client_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/client"
)

// TestClient_TLSWithCAFile: a server with its own certificate is trusted
// through the CA file only.
func TestClient_TLSWithCAFile(t *testing.T) {
	f := &fake{}
	srv := httptest.NewTLSServer(f.handler())
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	require.NoError(t, os.WriteFile(caFile, cert, 0o600))

	_, err := newClient(t, srv.URL, client.WithCAFile(caFile)).Status(context.Background())
	require.NoError(t, err)

	_, err = newClient(t, srv.URL).Status(context.Background())
	requireTransportError(t, err)
	_, ok := errors.AsType[x509.UnknownAuthorityError](err)
	require.True(t, ok, "%v", err)
}

func TestClient_unreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())

	_, err = newClient(t, addr).Upload(context.Background(), "blog", "hello", nil, 0, true, nil)
	requireTransportError(t, err)
	require.ErrorIs(t, err, syscall.ECONNREFUSED)
	require.ErrorContains(t, err, "client: POST http://"+addr+"/v1/tenants/blog/modules/hello: ")
}

func TestClient_timeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL, client.WithTimeout(50*time.Millisecond)).Status(context.Background())
	requireTransportError(t, err)
}

// TestClient_unreadableAnswer: a 2xx that is not the API's JSON is not a
// usable answer.
func TestClient_unreadableAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html>hello</html>"))
	}))
	defer srv.Close()
	_, err := newClient(t, srv.URL).Status(context.Background())
	requireTransportError(t, err)
	require.ErrorContains(t, err, "reading the answer: invalid character '<'")
}

func TestNew_refusesBadSettings(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.pem")
	notPEM := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o600))
	tests := []struct {
		url, token string
		opts       []client.Option
		want       string
	}{
		{"ftp://host", testToken, nil, `client: admin URL "ftp://host": scheme is not http or https`},
		{"http://", testToken, nil, `client: admin URL "http:" has no host`},
		{"http://u:pw@host", testToken, nil, `client: admin URL "http://u:xxxxx@host" carries credentials; use the token`},
		{"http://host?x=1", testToken, nil, `client: admin URL "http://host?x=1" has a query or fragment`},
		{"http://host", testToken + "\n", nil, "client: the token contains control characters"},
		{"http://host", testToken, []client.Option{client.WithCAFile(notPEM)},
			`client: a CA file needs an https:// admin URL, not "http://host"`},
		{"https://host", testToken, []client.Option{client.WithCAFile(missing)}, "client: CA file: open " + missing},
		{"https://host", testToken, []client.Option{client.WithCAFile(notPEM)},
			`client: CA file "` + notPEM + `" holds no PEM certificate`},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			_, err := client.New(tc.url, tc.token, tc.opts...)
			require.ErrorContains(t, err, tc.want)
			require.NotContains(t, err.Error(), testToken)
		})
	}
}

func requireTransportError(t *testing.T, err error) {
	t.Helper()
	_, ok := errors.AsType[*client.TransportError](err)
	require.True(t, ok, "%v is not a *client.TransportError", err)
	require.NotContains(t, err.Error(), testToken)
}
