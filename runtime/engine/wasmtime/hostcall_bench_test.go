//go:build cgo

package wasmtime_test

import (
	"testing"

	wt "github.com/bytecodealliance/wasmtime-go/v39"
)

// loopWAT calls the imported host function n times.
const loopWAT = `(module
  (import "host" "f" (func $f (param i32) (result i32)))
  (func (export "run") (param $n i32) (result i32)
    (local $acc i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (call $f (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $acc)))`

const callsPerRun = 1000

// BenchmarkHostCallBinding compares the two ways wasmtime-go defines a host
// function: FuncWrap (reflection on a Go func) and FuncNew (a typed
// callback on []Val). The adapter uses neither: it defines host functions
// with wasmtime's unchecked convention (rawhost.go), whose full cost per
// call is runtime's BenchmarkHostCall.
func BenchmarkHostCallBinding(b *testing.B) {
	wasm, err := wt.Wat2Wasm(loopWAT)
	if err != nil {
		b.Fatal(err)
	}
	eng := wt.NewEngine()
	mod, err := wt.NewModule(eng, wasm)
	if err != nil {
		b.Fatal(err)
	}
	define := map[string]func(*wt.Linker) error{
		"FuncWrap": func(l *wt.Linker) error {
			return l.FuncWrap("host", "f", func(x int32) int32 { return x & 1 })
		},
		"FuncNew": func(l *wt.Linker) error {
			ty := wt.NewFuncType([]*wt.ValType{wt.NewValType(wt.KindI32)}, []*wt.ValType{wt.NewValType(wt.KindI32)})
			return l.FuncNew("host", "f", ty, func(_ *wt.Caller, args []wt.Val) ([]wt.Val, *wt.Trap) {
				return []wt.Val{wt.ValI32(args[0].I32() & 1)}, nil
			})
		},
	}
	for _, name := range []string{"FuncWrap", "FuncNew"} {
		b.Run(name, func(b *testing.B) {
			linker := wt.NewLinker(eng)
			if err := define[name](linker); err != nil {
				b.Fatal(err)
			}
			store := wt.NewStore(eng)
			defer store.Close()
			inst, err := linker.Instantiate(store, mod)
			if err != nil {
				b.Fatal(err)
			}
			run := inst.GetFunc(store, "run")
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := run.Call(store, int32(callsPerRun)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*callsPerRun), "ns/hostcall")
		})
	}
}
