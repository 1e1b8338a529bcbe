package admission

import (
	"fmt"
	"math"
	"strconv"

	"github.com/civetbox/civetbox/config"
)

// Limits bound the structure of an accepted module. A zero field means
// DefaultLimits' value.
type Limits struct {
	MaxFunctions          int    // defined functions
	MaxLocalsPerFunction  int    // locals declared by one function, parameters excluded
	MaxFunctionBodyBytes  int    // one function's encoded body
	MaxNestingDepth       int    // nested block, loop and if in one function
	MaxDataBytes          int64  // sum of the data segments
	MaxInitialMemoryPages uint32 // the tenant's memory limit, in 64 KiB pages
	MaxTableElements      uint32 // initial (and declared maximum) size of each table
}

// DefaultLimits returns limits that the clang-built guests in this
// repository pass with a wide margin (the largest of them, measured by the
// tests: 52 functions, 50 locals, 11 KiB bodies, nesting 31, 7 KiB of data,
// 7 pages, 24 table elements) while bounding what one upload costs the
// compiler:
//
//   - 50,000 locals per function is the limit engines agreed on (wasmparser,
//     hence wasmtime, and V8 refuse more); 50,000 functions is a thousand
//     times our largest guest and still far above large C programs such as
//     SQLite (a few thousand);
//   - 1 MiB per function body, a hundred times our largest: engines
//     compile function by function, so one giant body is where compile
//     time and memory explode (V8 stops at 7.3 MB);
//   - nesting 1024: clang rarely nests beyond a few dozen (a switch of n
//     cases becomes n nested blocks; 1024 cases is generous), and engines
//     keep a control stack entry per level;
//   - 16 MiB of data: static assets larger than that belong in a granted
//     directory, not in every instance's memory;
//   - the initial memory limit is the default tenant memory (config's
//     128 MiB); callers pass the tenant's own;
//   - 65,536 table elements: a table holds address-taken functions, so it
//     needs no more entries than the function limit allows.
func DefaultLimits() Limits {
	return Limits{
		MaxFunctions:          50_000,
		MaxLocalsPerFunction:  50_000,
		MaxFunctionBodyBytes:  1 << 20,
		MaxNestingDepth:       1024,
		MaxDataBytes:          16 << 20,
		MaxInitialMemoryPages: uint32(config.Defaults.MemoryMiB) * pagesPerMiB,
		MaxTableElements:      1 << 16,
	}
}

const pagesPerMiB = 16 // 64 KiB pages

// Validate refuses negative limits, which would refuse every module.
func (l Limits) Validate() error {
	for _, f := range []struct {
		name  string
		value int64
	}{
		{"MaxFunctions", int64(l.MaxFunctions)},
		{"MaxLocalsPerFunction", int64(l.MaxLocalsPerFunction)},
		{"MaxFunctionBodyBytes", int64(l.MaxFunctionBodyBytes)},
		{"MaxNestingDepth", int64(l.MaxNestingDepth)},
		{"MaxDataBytes", l.MaxDataBytes},
	} {
		if f.value < 0 {
			return fmt.Errorf("admission: limits: %s is %d; want 0 (the default) or more", f.name, f.value)
		}
	}
	return nil
}

// withDefaults fills zero fields from DefaultLimits.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	orDefault(&l.MaxFunctions, d.MaxFunctions)
	orDefault(&l.MaxLocalsPerFunction, d.MaxLocalsPerFunction)
	orDefault(&l.MaxFunctionBodyBytes, d.MaxFunctionBodyBytes)
	orDefault(&l.MaxNestingDepth, d.MaxNestingDepth)
	orDefault(&l.MaxDataBytes, d.MaxDataBytes)
	orDefault(&l.MaxInitialMemoryPages, d.MaxInitialMemoryPages)
	orDefault(&l.MaxTableElements, d.MaxTableElements)
	return l
}

func orDefault[T int | int64 | uint32](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

// size formats bytes for a message, in KiB below 1 MiB and in MiB above,
// with at most one decimal: "64 KiB", "18.8 MiB".
func size(bytes float64) string {
	if bytes < 1<<20 {
		return oneDecimal(bytes/(1<<10)) + " KiB"
	}
	return oneDecimal(bytes/(1<<20)) + " MiB"
}

func oneDecimal(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// pages formats a memory size: "300 pages (18.8 MiB)".
func pages(n uint32) string {
	unit := "pages"
	if n == 1 {
		unit = "page"
	}
	return fmt.Sprintf("%d %s (%s)", n, unit, size(float64(n)*65536))
}
