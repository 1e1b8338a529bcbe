package runtime_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/internal/enginetest"
	"github.com/civetbox/civetbox/internal/testguests"
	"github.com/civetbox/civetbox/runtime"
	"github.com/civetbox/civetbox/runtime/engine"
)

func TestLoad_rejectsBadModules(t *testing.T) {
	tests := []struct {
		guest   string
		wantErr error
		wantMsg string
	}{
		{"bad/not_wasm.wasm", runtime.ErrNotWasm, "does not start with the \\0asm header"},
		{"bad/no_version.wasm", runtime.ErrNoABIVersion, `no "civetbox_abi" custom section`},
		{"bad/abi_v2.wasm", runtime.ErrABIVersion, "built for ABI v2, this host speaks v1"},
		{"bad/no_dispatch.wasm", runtime.ErrExport, `does not export "civetbox_abi_dispatch"`},
		{"bad/bad_signature.wasm", runtime.ErrImport, `imports "civetbox"."mg_read" with signature (i32) -> (i32), but ABI v1 defines (i32, i32) -> (i32)`},
		{"bad/bad_import.wasm", runtime.ErrImport, `imports "env"."system", which is not part of the civetbox ABI v1`},
		{"bad/init_fails.wasm", runtime.ErrInit, "civetbox_init returned 7"},
		{"bad/no_routes.wasm", runtime.ErrInit, "registered no handler"},
	}
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		for _, tc := range tests {
			t.Run(tc.guest, func(t *testing.T) {
				_, err := runtime.Load(context.Background(), eng, testguests.Read(t, tc.guest), runtime.Config{Name: tc.guest})
				require.ErrorIs(t, err, tc.wantErr)
				require.ErrorContains(t, err, tc.wantMsg)
				require.ErrorContains(t, err, "module["+tc.guest+"]", "the error names the module")
				var modErr *runtime.ModuleError
				require.ErrorAs(t, err, &modErr)
			})
		}
	})
}

func TestLoad_rejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  runtime.Config
		want string
	}{
		{"mode", runtime.Config{Mode: "sometimes"}, `mode "sometimes"`},
		{"pool size", runtime.Config{PoolSize: -1}, "pool size -1"},
		{"timeout", runtime.Config{RequestTimeout: -1}, "request timeout"},
	}
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := runtime.Load(context.Background(), eng, testguests.Read(t, "routes.wasm"), tc.cfg)
				require.ErrorContains(t, err, tc.want)
			})
		}
	})
}

func TestHandler_routes(t *testing.T) {
	enginetest.Run(t, func(t *testing.T, eng engine.Engine) {
		srv := serveGuest(t, eng, "routes.wasm", runtime.Config{})
		require.Equal(t, []string{"/a", "/a/b", "/files/*.txt$", "**.png$", "/x?z", "/one|/two", "/decline", "/replaced"},
			srv.handler.Routes(), "registration order, /gone removed, /replaced kept in place")
		tests := []struct {
			path string
			want string // "" means 404
		}{
			{"/a", "a"},
			{"/a/b", "a/b"},
			{"/a/c", "a"},   // the "uri/" prefix pass
			{"/a/b/c", "a"}, // prefix pass: registration order, so "/a" beats "/a/b"
			{"/ab", "a"},    // pattern pass: "/a" matches any path starting with "/a"
			{"/files/x.txt", "txt"},
			{"/files/x.txt.gz", ""},
			{"/img/logo.PNG", "png"}, // patterns compare case-insensitively
			{"/xyz", "x?z"},
			{"/two", "one|two"},
			{"/decline", ""}, // the handler returns 0: not handled
			{"/gone", ""},
			{"/replaced", "new"},
			{"/nothing", ""},
			{"/a/../files/y.txt", "txt"}, // matched against the dot-segment-free local_uri
		}
		for _, tc := range tests {
			t.Run(tc.path, func(t *testing.T) {
				req := tc.path
				resp, body := srv.get(t, req)
				if tc.want == "" {
					require.Equal(t, 404, resp.StatusCode, body)
					require.Equal(t, "Error 404: Not Found\nNot Found", body)
					return
				}
				require.Equal(t, 200, resp.StatusCode, body)
				require.Equal(t, tc.want, body)
			})
		}
	})
}
