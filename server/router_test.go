package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/reqinfo"
	"github.com/civetbox/civetbox/server"
)

// echoTenant answers with its name and the request as a module would see
// it: local_uri and query.
func echoTenant(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info, err := reqinfo.New(r)
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		_, _ = io.WriteString(w, name+" "+info.LocalURI+" "+info.QueryString)
	})
}

func testRouter() *server.Router {
	return server.NewRouter([]server.Tenant{
		{Name: "a", Hosts: []string{"a.example"}, Handler: echoTenant("a")},
		{Name: "blog", Mounts: []string{"/blog"}, Handler: echoTenant("blog")},
		{Name: "deep", Mounts: []string{"/blog/admin"}, Handler: echoTenant("deep")},
		{Name: "b", Hosts: []string{"b.example"}, Mounts: []string{"/b"}, Handler: echoTenant("b")},
	})
}

func TestRouter(t *testing.T) {
	srv := httptest.NewServer(testRouter())
	defer srv.Close()
	tests := []struct {
		host, target string
		status       int
		body         string
	}{
		{"a.example", "/x?q=1", 200, "a /x q=1"},
		{"A.Example.:8080", "/blog/x", 200, "a /blog/x "}, // the host wins, any path, any case
		{"other", "/blog", 200, "blog / "},
		{"other", "/blog/", 200, "blog / "},
		{"other", "/blog/post?id=3", 200, "blog /post id=3"},
		{"other", "/blog/admin/users", 200, "deep /users "}, // the longest mount
		{"other", "/blogger", 404, "Error 404: Not Found\nNot Found"},
		{"other", "/x/../blog/p", 200, "blog /p "},                        // cleaned first
		{"other", "/blog/../etc", 404, "Error 404: Not Found\nNot Found"}, // not under the mount
		{"other", "/%62log/a%2520b", 200, "blog /a%20b "},                 // decoded once, as the module decodes
		{"other", "/blog/a+b%3Fc", 200, "blog /a+b?c "},
		{"other", "/b/x", 200, "b /x "},
		{"other", "/", 404, "Error 404: Not Found\nNot Found"},
	}
	for _, tc := range tests {
		t.Run(tc.host+tc.target, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tc.target, nil)
			require.NoError(t, err)
			req.Host = tc.host
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			require.Equal(t, tc.status, resp.StatusCode, string(body))
			require.Equal(t, tc.body, string(body))
		})
	}
}
