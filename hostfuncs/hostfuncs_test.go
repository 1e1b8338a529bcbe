package hostfuncs_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/hostfuncs"
	"github.com/civetbox/civetbox/internal/guestmem"
	"github.com/civetbox/civetbox/internal/toolchain"
	"github.com/civetbox/civetbox/runtime/engine"
)

// ---------------------------------------------------------------------------
// Fakes

// fakeMem is a guest memory backed by a byte slice.
type fakeMem struct{ b []byte }

var _ engine.Memory = (*fakeMem)(nil)

const memSize = 1 << 16

func newMem() *fakeMem { return &fakeMem{b: make([]byte, memSize)} }

func (m *fakeMem) Size() uint32 { return uint32(len(m.b)) }

func (m *fakeMem) Read(off, n uint32) ([]byte, bool) {
	if uint64(off)+uint64(n) > uint64(len(m.b)) {
		return nil, false
	}
	return m.b[off : off+n], true
}

func (m *fakeMem) Write(off uint32, b []byte) bool {
	if uint64(off)+uint64(len(b)) > uint64(len(m.b)) {
		return false
	}
	copy(m.b[off:], b)
	return true
}

// put stores s at off and returns the (pointer, length) argument pair.
func (m *fakeMem) put(off uint32, s string) (uint64, uint64) {
	copy(m.b[off:], s)
	return uint64(off), uint64(len(s))
}

// bigMemory is a 4 GiB - 1 guest memory (the wasm32 maximum) that only
// reserves address space, for lengths over INT_MAX.
func bigMemory(t *testing.T) *fakeMem {
	t.Helper()
	b, err := syscall.Mmap(-1, 0, 1<<32, syscall.PROT_READ|syscall.PROT_WRITE,
		syscall.MAP_ANON|syscall.MAP_PRIVATE|syscall.MAP_NORESERVE)
	if err != nil {
		t.Skipf("cannot reserve 4 GiB of address space for a wasm32-sized memory: %v", err)
	}
	t.Cleanup(func() { _ = syscall.Munmap(b) })
	return &fakeMem{b: b[:math.MaxUint32]}
}

// fakeConn records what host functions do to a request.
type fakeConn struct {
	info hostfuncs.RequestInfo

	body    io.Reader
	readFn  func(p []byte) (int, error) // overrides body when set
	readLen []int                       // len(p) of every ReadBody call

	events []string     // "start 200", "header Name: value", "send", "write <bytes>"
	out    bytes.Buffer // every byte passed to Write

	writeErr    error
	failWriteAt int // the failWriteAt-th Write call (1-based) fails with writeErr
	writes      int
	startErr    error
	addErr      func(name, value string) error
	sendErr     error
}

var _ hostfuncs.Conn = (*fakeConn)(nil)

func newConn() *fakeConn {
	return &fakeConn{info: hostfuncs.RequestInfo{Method: "GET", HTTPVersion: "1.1", ContentLength: -1}}
}

func (c *fakeConn) Info() *hostfuncs.RequestInfo { return &c.info }

func (c *fakeConn) ReadBody(p []byte) (int, error) {
	c.readLen = append(c.readLen, len(p))
	if c.readFn != nil {
		return c.readFn(p)
	}
	if c.body == nil {
		return 0, io.EOF
	}
	return c.body.Read(p)
}

func (c *fakeConn) Write(p []byte) error {
	c.writes++
	if c.writeErr != nil && (c.failWriteAt == 0 || c.failWriteAt == c.writes) {
		c.events = append(c.events, "write failed")
		return c.writeErr
	}
	c.events = append(c.events, "write "+string(p))
	c.out.Write(p)
	return nil
}

func (c *fakeConn) StartResponse(status int) error {
	c.events = append(c.events, "start "+strconv.Itoa(status))
	return c.startErr
}

func (c *fakeConn) AddHeader(name, value string) error {
	if c.addErr != nil {
		if err := c.addErr(name, value); err != nil {
			c.events = append(c.events, "refused "+name+": "+value)
			return err
		}
	}
	c.events = append(c.events, "header "+name+": "+value)
	return nil
}

func (c *fakeConn) SendHeaders() error {
	c.events = append(c.events, "send")
	return c.sendErr
}

// headers returns the "header ..." events without the prefix.
func (c *fakeConn) headers() []string {
	var out []string
	for _, e := range c.events {
		if h, ok := strings.CutPrefix(e, "header "); ok {
			out = append(out, h)
		}
	}
	return out
}

// fakeRouter records mg_set_request_handler calls.
type fakeRouter struct{ calls []string }

func (r *fakeRouter) SetHandler(uri string, handler, cbdata uint32) {
	r.calls = append(r.calls, fmt.Sprintf("%q %d %d", uri, handler, cbdata))
}

// logRecorder is a slog.Handler that keeps records.
type logRecorder struct{ records []slog.Record }

func (l *logRecorder) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecorder) Handle(_ context.Context, r slog.Record) error {
	l.records = append(l.records, r.Clone())
	return nil
}
func (l *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecorder) WithGroup(string) slog.Handler      { return l }

func (l *logRecorder) attr(i int, key string) (slog.Value, bool) {
	var v slog.Value
	found := false
	l.records[i].Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v, found = a.Value, true
			return false
		}
		return true
	})
	return v, found
}

// ---------------------------------------------------------------------------
// Calling host functions

func requestCtx(c hostfuncs.Conn) context.Context {
	return hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{Conn: c})
}

func initCtx(r hostfuncs.Router) context.Context {
	return hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{Router: r})
}

func hostFunc(t *testing.T, name string) engine.HostFunc {
	t.Helper()
	for _, f := range hostfuncs.Module().Funcs {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("hostfuncs.Module() has no %s", name)
	return engine.HostFunc{}
}

// invoke calls a host function and returns its result (stack[0]) or the
// value it panicked with.
func invoke(t *testing.T, ctx context.Context, mem engine.Memory, name string, args ...uint64) (result uint64, panicked any) {
	t.Helper()
	f := hostFunc(t, name)
	require.Len(t, args, len(f.Params), "%s takes %v", name, f.ParamNames)
	stack := make([]uint64, max(len(f.Params), len(f.Results), 1))
	copy(stack, args)
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	f.Fn(ctx, mem, stack)
	return stack[0], nil
}

// call calls a host function that must not trap and returns its i32 result.
func call(t *testing.T, ctx context.Context, mem engine.Memory, name string, args ...uint64) int32 {
	t.Helper()
	res, p := invoke(t, ctx, mem, name, args...)
	require.Nil(t, p, "%s trapped", name)
	return int32(uint32(res))
}

// requireFault asserts that p is a *guestmem.Fault naming fn and param.
func requireFault(t *testing.T, p any, fn, param string) *guestmem.Fault {
	t.Helper()
	require.NotNil(t, p, "%s did not trap", fn)
	f, ok := p.(*guestmem.Fault)
	require.True(t, ok, "%s panicked with %T (%v), want *guestmem.Fault", fn, p, p)
	require.Equal(t, fn, f.Func)
	require.Equal(t, param, f.Param)
	require.Contains(t, f.Error(), fn)
	require.Contains(t, f.Error(), param)
	return f
}

// requireContractError asserts that p is a *hostfuncs.ContractError for fn.
func requireContractError(t *testing.T, p any, fn string) {
	t.Helper()
	require.NotNil(t, p, "%s did not trap", fn)
	e, ok := p.(*hostfuncs.ContractError)
	require.True(t, ok, "%s panicked with %T (%v), want *hostfuncs.ContractError", fn, p, p)
	require.Equal(t, fn, e.Func)
	require.NotEmpty(t, e.Reason)
	require.Contains(t, e.Error(), fn)
}

func i64(v int64) uint64 { return uint64(v) }

func i32arg(v int32) uint64 { return uint64(uint32(v)) }

// ---------------------------------------------------------------------------
// The parameter table

type paramKind int

const (
	pointer paramKind = iota + 1 // a guest address
	length                       // the byte count of the pointer before it
	scalar                       // a status, code, content length, table index or opaque value
)

// param is one host function parameter: its ABI name and what it is.
type param struct {
	name string
	kind paramKind
}

// paramTable classifies every parameter of every ABI host function, by name
// and in order, written out by hand so that a new function or a renamed or
// moved parameter fails TestParamTableCoversABI until someone decides what
// it is.
var paramTable = map[string][]param{
	abi.FuncMgRead:                  {{"buf", pointer}, {"len", length}},
	abi.FuncMgWrite:                 {{"buf", pointer}, {"len", length}},
	abi.FuncMgSendChunk:             {{"chunk", pointer}, {"chunk_len", length}},
	abi.FuncMgGetRequestInfo:        {{"buf", pointer}, {"cap", length}},
	abi.FuncMgSendHTTPOk:            {{"mime_type", pointer}, {"mime_type_len", length}, {"content_length", scalar}},
	abi.FuncMgSendHTTPError:         {{"status", scalar}, {"msg", pointer}, {"msg_len", length}},
	abi.FuncMgSendHTTPRedirect:      {{"target_url", pointer}, {"target_url_len", length}, {"redirect_code", scalar}},
	abi.FuncMgResponseHeaderStart:   {{"status", scalar}},
	abi.FuncMgResponseHeaderAdd:     {{"header", pointer}, {"header_len", length}, {"value", pointer}, {"value_len", length}},
	abi.FuncMgResponseHeaderAddLine: {{"http1_headers", pointer}, {"http1_headers_len", length}},
	abi.FuncMgResponseHeaderSend:    {},
	abi.FuncMgCry:                   {{"msg", pointer}, {"msg_len", length}},
	// handler is a function table index and cbdata an opaque value: neither
	// addresses memory.
	abi.FuncMgSetRequestHandler: {{"uri", pointer}, {"uri_len", length}, {"handler", scalar}, {"cbdata", scalar}},
	abi.FuncMgSendMimeFile2: {{"path", pointer}, {"path_len", length}, {"mime_type", pointer}, {"mime_type_len", length},
		{"additional_headers", pointer}, {"additional_headers_len", length}},
	abi.FuncMgSendFileBody:   {{"path", pointer}, {"path_len", length}},
	abi.FuncUploadOpen:       {{"path", pointer}, {"path_len", length}},
	abi.FuncUploadWrite:      {{"handle", scalar}, {"buf", pointer}, {"len", length}},
	abi.FuncUploadClose:      {{"handle", scalar}, {"keep", scalar}},
	abi.FuncGrants:           {},
	abi.FuncMgCheckDigest:    {{"realm", pointer}, {"realm_len", length}, {"filename", pointer}, {"filename_len", length}},
	abi.FuncMgSendDigestAuth: {{"realm", pointer}, {"realm_len", length}},
}

// validCall returns a scope and arguments with which name succeeds.
func validCall(t *testing.T, name string, mem *fakeMem) (context.Context, []uint64) {
	t.Helper()
	conn := newConn()
	rctx := requestCtx(conn)
	p, n := mem.put(0x100, "text/plain")
	switch name {
	case abi.FuncMgRead, abi.FuncMgWrite, abi.FuncMgSendChunk, abi.FuncMgResponseHeaderAddLine, abi.FuncMgCry:
		if name == abi.FuncMgResponseHeaderAddLine {
			p, n = mem.put(0x100, "X-A: 1\r\n")
		}
		return rctx, []uint64{p, n}
	case abi.FuncMgGetRequestInfo:
		return rctx, []uint64{0x1000, 0x2000}
	case abi.FuncMgSendHTTPOk:
		return rctx, []uint64{p, n, i64(10)}
	case abi.FuncMgSendHTTPError:
		return rctx, []uint64{500, p, n}
	case abi.FuncMgSendHTTPRedirect:
		return rctx, []uint64{p, n, 302}
	case abi.FuncMgResponseHeaderStart:
		return rctx, []uint64{200}
	case abi.FuncMgResponseHeaderAdd:
		v, vn := mem.put(0x200, "value")
		return rctx, []uint64{p, n, v, vn}
	case abi.FuncMgResponseHeaderSend:
		return rctx, nil
	case abi.FuncMgSetRequestHandler:
		return initCtx(&fakeRouter{}), []uint64{p, n, 1, 2}
	case abi.FuncMgSendMimeFile2:
		f, fn := mem.put(0x200, "index.html")
		h, hn := mem.put(0x300, "X-A: 1\r\n")
		return rctx, []uint64{f, fn, p, n, h, hn}
	case abi.FuncMgSendFileBody, abi.FuncUploadOpen, abi.FuncMgSendDigestAuth:
		return rctx, []uint64{p, n}
	case abi.FuncUploadWrite:
		return rctx, []uint64{1, p, n}
	case abi.FuncUploadClose:
		return rctx, []uint64{1, 1}
	case abi.FuncGrants:
		return rctx, nil
	case abi.FuncMgCheckDigest:
		f, fn := mem.put(0x200, "passwords")
		return rctx, []uint64{p, n, f, fn}
	}
	t.Fatalf("no valid call for %s", name)
	return nil, nil
}

// ---------------------------------------------------------------------------
// Module and table

func TestModuleMatchesABI(t *testing.T) {
	mod := hostfuncs.Module()
	require.Equal(t, abi.HostModule, mod.Name)
	sigs := abi.HostFuncs()
	require.Len(t, mod.Funcs, len(sigs))
	for i, sig := range sigs {
		f := mod.Funcs[i]
		require.Equal(t, sig.Name, f.Name, "function %d", i)
		require.Equal(t, hostfuncs.EngineTypes(sig.Params), f.Params, sig.Name)
		require.Equal(t, hostfuncs.EngineTypes(sig.Results), f.Results, sig.Name)
		require.Equal(t, sig.ParamNames, f.ParamNames, sig.Name)
		require.NotNil(t, f.Fn, sig.Name)
	}
	require.Equal(t, []engine.ValueType{engine.I32, engine.I64, engine.I32},
		hostfuncs.EngineTypes([]abi.ValueType{abi.I32, abi.I64, abi.I32}))
	require.Empty(t, hostfuncs.EngineTypes(nil))
}

func TestParamTableCoversABI(t *testing.T) {
	sigs := abi.HostFuncs()
	require.Len(t, paramTable, len(sigs), "paramTable must list exactly the ABI's functions")
	for _, sig := range sigs {
		params, ok := paramTable[sig.Name]
		require.True(t, ok, "paramTable has no entry for %s: classify its parameters %v", sig.Name, sig.ParamNames)
		require.Len(t, sig.ParamNames, len(sig.Params), sig.Name)
		names := make([]string, len(params))
		for i, p := range params {
			names[i] = p.name
		}
		require.Equal(t, sig.ParamNames, append([]string(nil), names...), "%s: paramTable is out of date", sig.Name)
		for i, p := range params {
			switch p.kind {
			case pointer:
				require.Equal(t, abi.I32, sig.Params[i], "%s.%s", sig.Name, p.name)
				require.Less(t, i+1, len(params), "%s.%s needs a length after it", sig.Name, p.name)
				require.Equal(t, length, params[i+1].kind, "%s.%s needs a length after it", sig.Name, p.name)
			case length:
				require.Positive(t, i)
				require.Equal(t, pointer, params[i-1].kind, "%s.%s", sig.Name, p.name)
				require.Equal(t, abi.I32, sig.Params[i], "%s.%s", sig.Name, p.name)
			case scalar:
			default:
				t.Fatalf("%s.%s: unknown kind %d", sig.Name, p.name, p.kind)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Traps

const badPtr = 0xfffffff0

// TestBadPointersFault calls every ABI function with each pointer parameter
// out of range, in several ways, and expects a *guestmem.Fault naming the
// function and the parameter. Functions without pointers must not trap even
// with every argument set to the bad address.
func TestBadPointersFault(t *testing.T) {
	for _, sig := range abi.HostFuncs() {
		t.Run(sig.Name, func(t *testing.T) {
			hasPointer := false
			for i, p := range paramTable[sig.Name] {
				if p.kind != pointer {
					continue
				}
				hasPointer = true
				param := p.name
				for _, bad := range []struct {
					name     string
					ptr, len uint64
				}{
					{"pointer past the end", badPtr, 16},
					{"pointer past the end, zero length", badPtr, 0},
					{"pointer just past the end", memSize + 8, 8},
					{"length past the end", memSize - 8, 16},
					{"pointer plus length wraps around 2^32", 0xfffffff8, 0x10},
				} {
					mem := newMem()
					ctx, args := validCall(t, sig.Name, mem)
					args[i], args[i+1] = bad.ptr, bad.len
					before := bytes.Clone(mem.b)
					_, p := invoke(t, ctx, mem, sig.Name, args...)
					f := requireFault(t, p, sig.Name, param)
					require.Equal(t, bad.ptr, f.Ptr, bad.name)
					require.Equal(t, uint64(memSize), f.MemSize, bad.name)
					require.Equal(t, before, mem.b, "%s: %s changed memory before trapping", sig.Name, bad.name)
				}
			}
			if !hasPointer {
				args := make([]uint64, len(sig.Params))
				for i := range args {
					args[i] = badPtr
				}
				mem := newMem()
				_, p := invoke(t, requestCtx(newConn()), mem, sig.Name, args...)
				require.Nil(t, p, "%s has no pointer parameter but trapped", sig.Name)
			}
		})
	}
}

// TestValidCallsDoNotTrap is the control for TestBadPointersFault.
func TestValidCallsDoNotTrap(t *testing.T) {
	for _, sig := range abi.HostFuncs() {
		mem := newMem()
		ctx, args := validCall(t, sig.Name, mem)
		_, p := invoke(t, ctx, mem, sig.Name, args...)
		require.Nil(t, p, "%s trapped: %v", sig.Name, p)
	}
}

// TestEmptyRegionAtTheEnd: a zero-length region that starts at the end of
// memory is inside it.
func TestEmptyRegionAtTheEnd(t *testing.T) {
	conn := newConn()
	mem := newMem()
	require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgWrite, memSize, 0))
	require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgRead, memSize, 0))
	require.Empty(t, conn.readLen, "a zero-length mg_read must not read the body")
}

func TestCallsOutsideAScopeAreContractErrors(t *testing.T) {
	for _, sig := range abi.HostFuncs() {
		mem := newMem()
		_, args := validCall(t, sig.Name, mem)
		_, p := invoke(t, context.Background(), mem, sig.Name, args...)
		requireContractError(t, p, sig.Name)
		// A context carrying a nil scope is no scope either.
		_, p = invoke(t, hostfuncs.WithScope(context.Background(), nil), mem, sig.Name, args...)
		requireContractError(t, p, sig.Name)
	}
}

func TestRequestFunctionsDuringInitAreContractErrors(t *testing.T) {
	initOnly := []string{abi.FuncMgSetRequestHandler, abi.FuncMgCry, abi.FuncGrants}
	for _, sig := range abi.HostFuncs() {
		mem := newMem()
		_, args := validCall(t, sig.Name, mem)
		router := &fakeRouter{}
		_, p := invoke(t, initCtx(router), mem, sig.Name, args...)
		if slices.Contains(initOnly, sig.Name) {
			require.Nil(t, p, "%s must be allowed during civetbox_init", sig.Name)
			continue
		}
		requireContractError(t, p, sig.Name)
		require.Empty(t, router.calls)
	}
}

func TestSetRequestHandlerDuringARequestIsAContractError(t *testing.T) {
	mem := newMem()
	conn := newConn()
	p, n := mem.put(0x100, "/x")
	_, panicked := invoke(t, requestCtx(conn), mem, abi.FuncMgSetRequestHandler, p, n, 1, 2)
	requireContractError(t, panicked, abi.FuncMgSetRequestHandler)
}

// ---------------------------------------------------------------------------
// mg_set_request_handler and mg_cry

func TestSetRequestHandler(t *testing.T) {
	mem := newMem()
	router := &fakeRouter{}
	ctx := initCtx(router)
	p, _ := mem.put(0x100, "/api/**trailing")
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgSetRequestHandler, p, 7, 5, 0xdeadbeef))
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgSetRequestHandler, p, 7, 0, 0))
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgSetRequestHandler, p, 0, 9, 1))
	require.Equal(t, []string{`"/api/**" 5 3735928559`, `"/api/**" 0 0`, `"" 9 1`}, router.calls)
}

func TestCry(t *testing.T) {
	for _, c := range []struct {
		name      string
		msgLen    int
		truncated bool
	}{
		{"short", 11, false},
		{"empty", 0, false},
		{"exactly the cap", hostfuncs.MaxCryBytes, false},
		{"one over the cap", hostfuncs.MaxCryBytes + 1, true},
		{"far over the cap", 3 * hostfuncs.MaxCryBytes, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			msg := strings.Repeat("0123456789abcdef", c.msgLen/16+1)[:c.msgLen]
			p, n := mem.put(0x100, msg)
			rec := &logRecorder{}
			ctx := hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{Conn: newConn(), Log: slog.New(rec)})
			_, panicked := invoke(t, ctx, mem, abi.FuncMgCry, p, n)
			require.Nil(t, panicked)
			require.Len(t, rec.records, 1)
			got, ok := rec.attr(0, "text")
			require.True(t, ok)
			want := msg[:min(len(msg), hostfuncs.MaxCryBytes)]
			require.Equal(t, want, got.String())
			tr, ok := rec.attr(0, "truncated")
			require.True(t, ok)
			require.Equal(t, c.truncated, tr.Bool())
		})
	}

	// During civetbox_init, and without a logger.
	mem := newMem()
	p, n := mem.put(0x100, "init")
	rec := &logRecorder{}
	ctx := hostfuncs.WithScope(context.Background(), &hostfuncs.Scope{Router: &fakeRouter{}, Log: slog.New(rec)})
	_, panicked := invoke(t, ctx, mem, abi.FuncMgCry, p, n)
	require.Nil(t, panicked)
	require.Len(t, rec.records, 1)
	_, panicked = invoke(t, initCtx(&fakeRouter{}), mem, abi.FuncMgCry, p, n)
	require.Nil(t, panicked)
}

// ---------------------------------------------------------------------------
// mg_read, mg_write, mg_send_chunk

func TestRead(t *testing.T) {
	mem := newMem()
	conn := newConn()
	conn.body = strings.NewReader("hello world")
	ctx := requestCtx(conn)
	for i := range mem.b {
		mem.b[i] = 0xaa
	}

	require.Equal(t, int32(5), call(t, ctx, mem, abi.FuncMgRead, 0x100, 5))
	require.Equal(t, "hello", string(mem.b[0x100:0x105]))
	require.Equal(t, byte(0xaa), mem.b[0xff], "mg_read wrote before its buffer")
	require.Equal(t, byte(0xaa), mem.b[0x105], "mg_read wrote past its buffer")

	require.Equal(t, int32(6), call(t, ctx, mem, abi.FuncMgRead, 0x200, 100))
	require.Equal(t, " world", string(mem.b[0x200:0x206]))
	require.Equal(t, byte(0xaa), mem.b[0x206])

	// End of the body: 0, every time.
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgRead, 0x300, 100))
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgRead, 0x300, 100))
	require.Equal(t, []int{5, 100, 100, 100}, conn.readLen)

	// Zero length: 0 without reading.
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgRead, 0x300, 0))
	require.Len(t, conn.readLen, 4)
}

func TestReadResults(t *testing.T) {
	errGone := errors.New("client gone")
	cases := []struct {
		name string
		n    int
		err  error
		want int32
	}{
		{"bytes", 7, nil, 7},
		{"bytes with EOF", 7, io.EOF, 7},
		{"bytes with an error", 3, errGone, 3},
		{"EOF", 0, io.EOF, 0},
		{"wrapped EOF", 0, fmt.Errorf("body: %w", io.EOF), 0},
		{"nothing, no error", 0, nil, 0},
		{"error", 0, errGone, -1},
		{"unexpected EOF", 0, io.ErrUnexpectedEOF, -1},
		{"deadline", 0, context.DeadlineExceeded, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn := newConn()
			conn.readFn = func(p []byte) (int, error) { return copy(p, strings.Repeat("x", c.n)), c.err }
			require.Equal(t, c.want, call(t, requestCtx(conn), newMem(), abi.FuncMgRead, 0x100, 16))
		})
	}
}

// TestReadClampsToIntMax: CivetWeb's mg_read returns an int, so one read
// asks for at most INT_MAX bytes, even when the guest passes more.
func TestReadClampsToIntMax(t *testing.T) {
	mem := bigMemory(t)
	for _, l := range []uint64{math.MaxInt32 + 1, math.MaxUint32 - 0x1000} {
		conn := newConn()
		conn.readFn = func(p []byte) (int, error) { return copy(p, "abc"), nil }
		require.Equal(t, int32(3), call(t, requestCtx(conn), mem, abi.FuncMgRead, 0x1000, l))
		require.Equal(t, []int{math.MaxInt32}, conn.readLen)
		require.Equal(t, "abc", string(mem.b[0x1000:0x1003]))
	}
	conn := newConn()
	conn.readFn = func(p []byte) (int, error) { return 1, nil }
	require.Equal(t, int32(1), call(t, requestCtx(conn), mem, abi.FuncMgRead, 0, math.MaxInt32))
	require.Equal(t, []int{math.MaxInt32}, conn.readLen)
}

func TestWrite(t *testing.T) {
	mem := newMem()
	conn := newConn()
	ctx := requestCtx(conn)
	p, _ := mem.put(0x100, "HTTP/1.1 200 OK\r\n\r\nbody-and-more")
	require.Equal(t, int32(23), call(t, ctx, mem, abi.FuncMgWrite, p, 23))
	require.Equal(t, int32(0), call(t, ctx, mem, abi.FuncMgWrite, p, 0))
	require.Equal(t, "HTTP/1.1 200 OK\r\n\r\nbody", conn.out.String())

	conn.writeErr = errors.New("refused")
	require.Equal(t, int32(-1), call(t, ctx, mem, abi.FuncMgWrite, p, 4))
	conn.writeErr = fmt.Errorf("wrapped: %w", hostfuncs.ErrState)
	require.Equal(t, int32(-1), call(t, ctx, mem, abi.FuncMgWrite, p, 4))
	require.Equal(t, "HTTP/1.1 200 OK\r\n\r\nbody", conn.out.String())
}

// TestWriteOverIntMax: a count CivetWeb's int result cannot hold is an
// error, and nothing is sent.
func TestWriteOverIntMax(t *testing.T) {
	mem := bigMemory(t)
	for _, fn := range []string{abi.FuncMgWrite, abi.FuncMgSendChunk} {
		conn := newConn()
		require.Equal(t, int32(-1), call(t, requestCtx(conn), mem, fn, 0, math.MaxInt32+1), fn)
		require.Zero(t, conn.writes, "%s sent something", fn)
	}
}

func TestSendChunk(t *testing.T) {
	data := strings.Repeat("z", 300)
	cases := []struct {
		name   string
		data   string
		writes []string
	}{
		{"chunk", "hello", []string{"5\r\n", "hello", "\r\n"}},
		{"last chunk", "", []string{"0\r\n", "", "\r\n"}},
		{"hex size is lower case", data, []string{"12c\r\n", data, "\r\n"}},
		{"sixteen bytes", "0123456789abcdef", []string{"10\r\n", "0123456789abcdef", "\r\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			conn := newConn()
			p, n := mem.put(0x100, c.data)
			// Like CivetWeb: the bytes written, framing included.
			require.Equal(t, int32(len(strings.Join(c.writes, ""))), call(t, requestCtx(conn), mem, abi.FuncMgSendChunk, p, n))
			var want []string
			for _, w := range c.writes {
				want = append(want, "write "+w)
			}
			require.Equal(t, want, conn.events)
			require.Equal(t, strings.Join(c.writes, ""), conn.out.String())
		})
	}

	// A failed write fails the chunk and stops it.
	for at := 1; at <= 3; at++ {
		mem := newMem()
		conn := newConn()
		conn.writeErr, conn.failWriteAt = errors.New("gone"), at
		p, n := mem.put(0x100, "hello")
		require.Equal(t, int32(-1), call(t, requestCtx(conn), mem, abi.FuncMgSendChunk, p, n), "write %d fails", at)
		require.Equal(t, at, conn.writes, "writes after the failed one")
	}
}

// ---------------------------------------------------------------------------
// mg_response_header_*

// connErrors are Conn errors and the CivetWeb code each must map to.
var connErrors = []struct {
	name string
	err  error
	code int32
}{
	{"state", hostfuncs.ErrState, abi.CodeInvalidState},
	{"wrapped state", fmt.Errorf("conn: %w", hostfuncs.ErrState), -3},
	{"too many headers", fmt.Errorf("conn: %w", hostfuncs.ErrTooManyHeaders), -4},
	{"bad header", fmt.Errorf("conn: %w", hostfuncs.ErrBadHeader), -1},
	{"other", errors.New("broken pipe"), -1},
}

func TestResponseHeaderStart(t *testing.T) {
	for _, c := range []struct {
		status int32
		want   int32
		called bool
	}{
		{200, 0, true}, {100, 0, true}, {999, 0, true}, {599, 0, true},
		{99, -1, false}, {1000, -1, false}, {0, -1, false}, {-200, -1, false}, {math.MinInt32, -1, false},
	} {
		conn := newConn()
		require.Equal(t, c.want, call(t, requestCtx(conn), newMem(), abi.FuncMgResponseHeaderStart, i32arg(c.status)), "status %d", c.status)
		if c.called {
			require.Equal(t, []string{"start " + strconv.Itoa(int(c.status))}, conn.events)
		} else {
			require.Empty(t, conn.events, "status %d reached the Conn", c.status)
		}
	}
	for _, e := range connErrors {
		conn := newConn()
		conn.startErr = e.err
		require.Equal(t, e.code, call(t, requestCtx(conn), newMem(), abi.FuncMgResponseHeaderStart, 200), e.name)
	}
}

func TestResponseHeaderAdd(t *testing.T) {
	mem := newMem()
	conn := newConn()
	// Strings are (pointer, length): no NUL needed, extra bytes ignored.
	name, _ := mem.put(0x100, "X-Name-and-more")
	value, _ := mem.put(0x200, "v a l u e!!!")
	require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgResponseHeaderAdd, name, 6, value, 9))
	require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgResponseHeaderAdd, name, 6, value, 0))
	require.Equal(t, []string{"header X-Name: v a l u e", "header X-Name: "}, conn.events)

	for _, e := range connErrors {
		conn := newConn()
		conn.addErr = func(string, string) error { return e.err }
		require.Equal(t, e.code, call(t, requestCtx(conn), mem, abi.FuncMgResponseHeaderAdd, name, 6, value, 9), e.name)
	}
}

func TestResponseHeaderSend(t *testing.T) {
	conn := newConn()
	require.Equal(t, int32(0), call(t, requestCtx(conn), newMem(), abi.FuncMgResponseHeaderSend))
	require.Equal(t, []string{"send"}, conn.events)
	for _, e := range connErrors {
		conn := newConn()
		conn.sendErr = e.err
		require.Equal(t, e.code, call(t, requestCtx(conn), newMem(), abi.FuncMgResponseHeaderSend), e.name)
	}
}

func TestResponseHeaderAddLines(t *testing.T) {
	cases := []struct {
		name    string
		block   string
		want    int32
		headers []string // nil: not checked (see the -1 cases)
	}{
		{"two lines", "X-A: 1\r\nX-B: 2\r\n", 2, []string{"X-A: 1", "X-B: 2"}},
		{"LF only, last line unterminated", "X-A: 1\nX-B:2", 2, []string{"X-A: 1", "X-B: 2"}},
		{"one line without newline", "Content-Type: text/plain", 1, []string{"Content-Type: text/plain"}},
		{"blank line ends the block", "X-A: 1\r\n\r\nX-B: 2\r\n", 1, []string{"X-A: 1"}},
		{"bare LF blank line ends the block", "X-A: 1\n\nX-B: 2\n", 1, []string{"X-A: 1"}},
		{"empty block", "", 0, nil},
		{"only a blank line", "\r\n", 0, nil},
		{"spaces after the colon are skipped", "X-A:  \t v\r\n", 1, []string{"X-A: v"}},
		{"spaces before the colon are dropped", "X-A  : v\r\n", 1, []string{"X-A: v"}},
		{"colon in the value", "Location: http://h:1/x\r\n", 1, []string{"Location: http://h:1/x"}},
		{"empty value", "X-Empty:\r\n", 1, []string{"X-Empty: "}},
		{"repeated names", "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n", 2, []string{"Set-Cookie: a=1", "Set-Cookie: b=2"}},
		{"line without a colon", "nocolon\r\n", -1, []string{}},
		{"line without a colon after a good one adds nothing", "X-A: 1\r\nnocolon\r\n", -1, []string{}},
		{"CR without LF", "X-A: 1\rX-B: 2\r\n", -1, []string{}},
		{"trailing whitespace stays in the value", "X-A: v \t\r\n", 1, []string{"X-A: v \t"}},
		{"a line starting with a space ends the block", "X-A: 1\r\n X-B: 2\r\n", 1, []string{"X-A: 1"}},
		{"a line starting with a colon ends the block", "X-A: 1\r\n: 2\r\n", 1, []string{"X-A: 1"}},
		{"at most 64 lines", strings.Repeat("X-N: n\r\n", 70), 64, slices.Repeat([]string{"X-N: n"}, 64)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			conn := newConn()
			p, n := mem.put(0x100, c.block)
			require.Equal(t, c.want, call(t, requestCtx(conn), mem, abi.FuncMgResponseHeaderAddLine, p, n))
			if c.headers != nil {
				require.Equal(t, c.headers, append([]string{}, conn.headers()...))
			} else if c.want >= 0 {
				require.Empty(t, conn.headers())
			}
		})
	}

	// Conn errors: the code of the first refused line.
	for _, e := range connErrors {
		mem := newMem()
		conn := newConn()
		conn.addErr = func(name, _ string) error {
			if name == "X-B" {
				return e.err
			}
			return nil
		}
		p, n := mem.put(0x100, "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\n")
		require.Equal(t, e.code, call(t, requestCtx(conn), mem, abi.FuncMgResponseHeaderAddLine, p, n), e.name)
		require.Equal(t, []string{"X-A: 1", "X-C: 3"}, conn.headers(), "lines after a refused one are still added")
	}
}

// ---------------------------------------------------------------------------
// mg_send_http_ok, mg_send_http_error, mg_send_http_redirect

// noCache is what CivetWeb 1.15's send_no_cache_header adds (Pragma only
// for HTTP/1.x).
var noCache = []string{
	"header Cache-Control: no-cache, no-store, must-revalidate, private, max-age=0",
	"header Expires: 0",
}

const pragma = "header Pragma: no-cache"

func TestSendOK(t *testing.T) {
	cases := []struct {
		name    string
		version string
		mime    string
		length  int64
		extra   []string
	}{
		{"length", "1.1", "text/plain", 5, []string{"header Content-Type: text/plain", "header Content-Length: 5"}},
		{"default type", "1.1", "", 0, []string{"header Content-Type: text/html", "header Content-Length: 0"}},
		{"large length", "1.0", "application/octet-stream", 1 << 40,
			[]string{"header Content-Type: application/octet-stream", "header Content-Length: 1099511627776"}},
		{"max length", "1.1", "a/b", math.MaxInt64,
			[]string{"header Content-Type: a/b", "header Content-Length: 9223372036854775807"}},
		{"chunked", "1.1", "text/plain", -1, []string{"header Content-Type: text/plain", "header Transfer-Encoding: chunked"}},
		{"chunked, very negative", "1.1", "text/plain", math.MinInt64,
			[]string{"header Content-Type: text/plain", "header Transfer-Encoding: chunked"}},
		{"HTTP/2, length", "2.0", "text/plain", 3, []string{"header Content-Type: text/plain", "header Content-Length: 3"}},
		// CivetWeb omits Transfer-Encoding on HTTP/2; civetbox declares it
		// because the guest always speaks HTTP/1.1 framing to the host,
		// which re-frames for the client (see SendOK).
		{"HTTP/2, chunked", "2.0", "text/plain", -1, []string{"header Content-Type: text/plain", "header Transfer-Encoding: chunked"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			conn := newConn()
			conn.info.HTTPVersion = c.version
			p, n := mem.put(0x100, c.mime)
			require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPOk, p, n, i64(c.length)))
			want := append([]string{"start 200"}, noCache...)
			if strings.HasPrefix(c.version, "1.") {
				want = append(want, pragma)
			}
			want = append(append(want, c.extra...), "send")
			require.Equal(t, want, conn.events)
			require.Zero(t, conn.writes, "mg_send_http_ok sends no body")
		})
	}

	for _, e := range connErrors {
		for _, where := range []string{"start", "add", "send"} {
			conn := newConn()
			switch where {
			case "start":
				conn.startErr = e.err
			case "add":
				conn.addErr = func(name, _ string) error {
					if name == "Content-Length" {
						return e.err
					}
					return nil
				}
			case "send":
				conn.sendErr = e.err
			}
			mem := newMem()
			p, n := mem.put(0x100, "text/plain")
			// CivetWeb's mg_send_http_ok returns 0 whatever happened.
			require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPOk, p, n, 1), "%s error at %s", e.name, where)
			require.ErrorIs(t, hostfuncs.SendOK(newFailing(where, e.err), "", 1), e.err)
		}
	}
}

// newFailing returns a Conn that fails with err at where ("start", "add" on
// the first header, or "send").
func newFailing(where string, err error) *fakeConn {
	conn := newConn()
	switch where {
	case "start":
		conn.startErr = err
	case "add":
		conn.addErr = func(string, string) error { return err }
	case "send":
		conn.sendErr = err
	}
	return conn
}

func TestSendError(t *testing.T) {
	cases := []struct {
		name    string
		version string
		status  int32
		msg     string
		body    string // "" for no body
	}{
		{"not found", "1.1", 404, "no such page", "Error 404: Not Found\nno such page"},
		{"server error, HTTP/1.0", "1.0", 500, "boom", "Error 500: Internal Server Error\nboom"},
		{"empty message", "1.1", 403, "", "Error 403: Forbidden\n"},
		{"multi-line message", "1.1", 400, "a\nb\r\nc", "Error 400: Bad Request\na\nb\r\nc"},
		{"unknown client error", "1.1", 499, "m", "Error 499: Client Error\nm"},
		{"unknown code above 599", "1.1", 600, "m", "Error 600: \nm"},
		{"largest status", "1.1", 999, "m", "Error 999: \nm"},
		{"CivetWeb's spelling", "1.1", 422, "m", "Error 422: Unproccessable entity\nm"},
		{"200 has a body", "1.1", 200, "m", "Error 200: OK\nm"},
		{"HTTP/2", "2.0", 404, "m", "Error 404: Not Found\nm"},
		{"1xx has no body", "1.1", 100, "m", ""},
		{"199 has no body", "1.1", 199, "m", ""},
		{"204 has no body", "1.1", 204, "m", ""},
		{"304 has no body", "1.1", 304, "m", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			conn := newConn()
			conn.info.HTTPVersion = c.version
			p, n := mem.put(0x100, c.msg)
			require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPError, i32arg(c.status), p, n))

			require.Equal(t, "start "+strconv.Itoa(int(c.status)), conn.events[0])
			headers := conn.headers()
			wantHeaders := []string{
				"Cache-Control: no-cache, no-store, must-revalidate, private, max-age=0",
				"Expires: 0",
			}
			if c.version != "2.0" {
				wantHeaders = append(wantHeaders, "Pragma: no-cache")
			}
			wantHeaders = append(wantHeaders, "Connection: close")
			if c.body != "" {
				wantHeaders = append(wantHeaders, "Content-Type: text/plain; charset=utf-8")
			}
			// CivetWeb sends the no-cache headers first; Connection comes
			// from must_close. Compare as sets after the no-cache prefix.
			require.Equal(t, wantHeaders[:2], headers[:2])
			require.ElementsMatch(t, wantHeaders, headers)
			sendAt := slices.Index(conn.events, "send")
			require.Equal(t, len(headers)+1, sendAt, "headers, then send")
			if c.body == "" {
				require.Zero(t, conn.writes)
			} else {
				require.Equal(t, c.body, conn.out.String())
				require.Equal(t, sendAt+1, len(conn.events)-1, "one body write after send")
			}
		})
	}
}

func TestSendErrorFailures(t *testing.T) {
	// Statuses CivetWeb's response API refuses: nothing sent, and 0
	// returned, as CivetWeb's mg_send_http_error always does.
	for _, status := range []int32{0, 99, 1000, -404} {
		mem := newMem()
		conn := newConn()
		p, n := mem.put(0x100, "m")
		require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPError, i32arg(status), p, n), "status %d", status)
		require.Empty(t, conn.events)
		require.ErrorIs(t, hostfuncs.SendError(newConn(), int(status), "m"), hostfuncs.ErrBadHeader)
	}
	// Conn errors do not show either.
	for _, e := range connErrors {
		for _, where := range []string{"start", "add", "send"} {
			mem := newMem()
			p, n := mem.put(0x100, "m")
			conn := newFailing(where, e.err)
			require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPError, 404, p, n), "%s at %s", e.name, where)
			require.Zero(t, conn.writes, "body sent after a failed head")
		}
	}
	// A failed body write.
	mem := newMem()
	p, n := mem.put(0x100, "m")
	conn := newConn()
	conn.writeErr = errors.New("gone")
	require.Equal(t, int32(0), call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPError, 404, p, n))
}

func TestSendRedirect(t *testing.T) {
	cases := []struct {
		name     string
		target   string
		code     int32
		want     int32
		status   string
		location string
	}{
		{"default code", "/new", 0, 1, "307", "/new"},
		{"301", "http://example.com/x?y", 301, 1, "301", "http://example.com/x?y"},
		{"302", "/a", 302, 1, "302", "/a"},
		{"303", "/a", 303, 1, "303", "/a"},
		{"307", "/a", 307, 1, "307", "/a"},
		{"308", "/a", 308, 1, "308", "/a"},
		{"empty target", "", 302, 1, "302", "/"},
		{"304 is refused", "/a", 304, -2, "", ""},
		{"300 is refused", "/a", 300, -2, "", ""},
		{"200 is refused", "/a", 200, -2, "", ""},
		{"309 is refused", "/a", 309, -2, "", ""},
		{"negative is refused", "/a", -307, -2, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mem := newMem()
			conn := newConn()
			p, n := mem.put(0x100, c.target)
			got := call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPRedirect, p, n, i32arg(c.code))
			if c.want < 0 {
				require.Equal(t, c.want, got)
				require.Empty(t, conn.events)
				return
			}
			// Like CivetWeb: the size of the head CivetWeb would have written.
			status, _ := strconv.Atoi(c.status)
			head := "HTTP/1.1 " + c.status + " " + hostfuncs.StatusText(status) + "\r\nLocation: " + c.location +
				"\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n"
			require.Equal(t, int32(len(head)), got)
			// CivetWeb 1.15 sends only Location and Content-Length: 0 (and
			// its own Connection); no cache headers, no body.
			require.Equal(t, []string{
				"start " + c.status, "header Location: " + c.location, "header Content-Length: 0", "send",
			}, conn.events)
		})
	}
	for _, e := range connErrors {
		for _, where := range []string{"start", "add", "send"} {
			mem := newMem()
			p, n := mem.put(0x100, "/x")
			conn := newFailing(where, e.err)
			require.Equal(t, int32(-1), call(t, requestCtx(conn), mem, abi.FuncMgSendHTTPRedirect, p, n, 302),
				"%s at %s: a failed redirect is a send error", e.name, where)
		}
	}
}

// ---------------------------------------------------------------------------
// StatusText

func TestStatusText(t *testing.T) {
	for code, want := range map[int]string{
		100: "Continue", 101: "Switching Protocols", 200: "OK", 204: "No Content", 226: "IM used",
		301: "Moved Permanently", 304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
		400: "Bad Request", 404: "Not Found", 408: "Request Time-out", 416: "Requested range not satisfiable",
		418: "I am a teapot", 422: "Unproccessable entity", 431: "Request Header Fields Too Large",
		451: "Unavailable For Legal Reasons", 500: "Internal Server Error", 504: "Gateway Time-out",
		505: "HTTP Version not supported", 509: "Bandwidth Limit Exceeded", 511: "Network Authentication Required",
		// Class fallbacks.
		103: "Information", 150: "Information", 199: "Information",
		209: "Success", 299: "Success",
		306: "Redirection", 399: "Redirection",
		425: "Client Error", 430: "Client Error", 499: "Client Error",
		512: "Server Error", 599: "Server Error",
		// Outside 100-599.
		0: "", 1: "", 99: "", 600: "", 999: "", 1000: "", -1: "", -404: "", math.MaxInt32: "",
	} {
		require.Equal(t, want, hostfuncs.StatusText(code), "StatusText(%d)", code)
	}
}

// statusTextOracle prints mg_get_response_code_text for every code in
// [-1, 1000], one per line.
const statusTextOracle = `#include <civetweb.h>
#include <stdio.h>
int main(void) {
	int code;
	for (code = -1; code <= 1000; code++) {
		printf("%d %s\n", code, mg_get_response_code_text(NULL, code));
	}
	return 0;
}
`

// TestStatusTextMatchesLibCivetWeb compares StatusText with libcivetweb's
// mg_get_response_code_text for every code from -1 to 1000.
func TestStatusTextMatchesLibCivetWeb(t *testing.T) {
	cc := toolchain.NativeCivetWeb(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "status_text.c")
	require.NoError(t, os.WriteFile(src, []byte(statusTextOracle), 0o644))
	bin := filepath.Join(dir, "status_text")
	out, err := exec.Command(cc, "-std=c99", "-Wall", "-Werror", src, "-lcivetweb", "-o", bin).CombinedOutput()
	require.NoError(t, err, "%s", out)
	out, err = exec.Command(bin).Output()
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	require.Len(t, lines, 1002)
	for _, line := range lines {
		num, text, _ := strings.Cut(line, " ")
		code, err := strconv.Atoi(num)
		require.NoError(t, err)
		require.Equal(t, text, hostfuncs.StatusText(code), "StatusText(%d)", code)
	}
}
