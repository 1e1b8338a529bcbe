package wasmbin

import (
	"fmt"
	"strings"
)

// ValType is a value type as the binary format encodes it.
type ValType byte

// The value types Inspect reports.
const (
	I32       ValType = 0x7f
	I64       ValType = 0x7e
	F32       ValType = 0x7d
	F64       ValType = 0x7c
	V128      ValType = 0x7b
	FuncRef   ValType = refFunc
	ExternRef ValType = refExtern
)

// ExternKind is what an import or export is.
type ExternKind byte

// The import and export kinds of the binary format.
const (
	KindFunc   ExternKind = 0x00
	KindTable  ExternKind = 0x01
	KindMemory ExternKind = 0x02
	KindGlobal ExternKind = 0x03
	KindTag    ExternKind = 0x04
)

// String names k as a sentence would: "function", "memory".
func (k ExternKind) String() string {
	switch k {
	case KindFunc:
		return "function"
	case KindTable:
		return "table"
	case KindMemory:
		return "memory"
	case KindGlobal:
		return "global"
	case KindTag:
		return "tag"
	}
	return fmt.Sprintf("kind 0x%02x", byte(k))
}

// FuncType is a function signature.
type FuncType struct {
	Params, Results []ValType
}

// Limits bound a memory (in 64 KiB pages) or a table (in elements).
type Limits struct {
	Min, Max uint32
	HasMax   bool
}

// Import is one import of a module.
type Import struct {
	Module, Name string
	Kind         ExternKind
	Func         FuncType // KindFunc
	Limits       Limits   // KindTable, KindMemory
}

// Export is one export of a module.
type Export struct {
	Name  string
	Kind  ExternKind
	Index uint32
	Func  FuncType // KindFunc
}

// Function describes one function the module defines.
type Function struct {
	Locals    uint64 // sum of the local declarations, parameters excluded
	BodyBytes int    // encoded body size, local declarations included
	Depth     int    // deepest nesting of block, loop and if
}

// Stats is what Inspect learns about a module's structure.
type Stats struct {
	Imports   []Import
	Exports   []Export
	Functions []Function // defined functions, in index order
	Memories  []Limits   // imported ones first
	Tables    []Limits   // imported ones first
	DataBytes int64      // sum of the data segments' sizes
}

// Inspect decodes a module once, without an engine, and reports its
// imports, exports and sizes, so an upload can be judged before anything
// compiles it. It walks every instruction with the instrumentation's
// decoder, iteratively, so deeply nested code costs no Go stack. It does
// not validate types; an engine still has to compile what it accepts.
func Inspect(wasm []byte) (*Stats, error) {
	sections, err := splitSections(wasm)
	if err != nil {
		return nil, err
	}
	in := &inspector{}
	if err := in.read(sections); err != nil {
		return nil, fmt.Errorf("wasmbin: inspect: %w", err)
	}
	return &in.stats, nil
}

// Detail is an Inspect error's text without the package prefix, to show
// to whoever uploaded the module.
func Detail(err error) string {
	return strings.TrimPrefix(strings.TrimPrefix(err.Error(), "wasmbin: "), "inspect: ")
}

// inspector accumulates Stats section by section; the binary format's
// section order guarantees that what a section refers to came before it.
type inspector struct {
	stats     Stats
	types     []FuncType
	funcTypes []uint32 // type index of every function, imported ones first
	imported  uint32   // imported functions
	globals   uint32   // imported and defined globals
	rank      int      // rank of the last non-custom section
	code      bool     // a code section was read
}

func (in *inspector) read(sections []section) error {
	for _, s := range sections {
		if err := in.order(s.id); err != nil {
			return err
		}
		if err := in.section(s); err != nil {
			return fmt.Errorf("%s section: %w", sectionNames[s.id], err)
		}
	}
	if defined := len(in.funcTypes) - int(in.imported); defined > 0 && !in.code {
		return fmt.Errorf("the function section declares %d functions but there is no code section", defined)
	}
	return nil
}

// sectionNames names the sections in Inspect's errors, which reach people
// who upload modules.
var sectionNames = map[byte]string{
	secCustom: "custom", secType: "type", secImport: "import", secFunction: "function", secTable: "table",
	secMemory: "memory", secGlobal: "global", secExport: "export", secStart: "start", secElement: "element",
	secCode: "code", secData: "data", secDataCnt: "data count", secTag: "tag",
}

// order refuses unknown, repeated and misplaced sections: a second memory
// or code section would make the counts lie.
func (in *inspector) order(id byte) error {
	if id == secCustom {
		return nil
	}
	rank, ok := sectionRank[id]
	switch {
	case !ok:
		return fmt.Errorf("unknown section id %d", id)
	case rank <= in.rank:
		return fmt.Errorf("the %s section is repeated or out of order", sectionNames[id])
	}
	in.rank = rank
	return nil
}

func (in *inspector) section(s section) error {
	r := &reader{b: s.payload}
	var err error
	switch s.id {
	case secType:
		err = in.readTypes(r)
	case secImport:
		err = eachEntryOf(r, in.readImport)
	case secFunction:
		err = eachEntryOf(r, in.readFunction)
	case secTable:
		err = eachEntryOf(r, in.readTable)
	case secMemory:
		err = eachEntryOf(r, in.readMemory)
	case secGlobal:
		var n uint32
		n, err = r.count() // counted only: globals size nothing
		in.globals += n
	case secExport:
		err = eachEntryOf(r, in.readExport)
	case secCode:
		err = in.readCode(r)
	case secData:
		err = eachEntryOf(r, in.readData)
	}
	return err
}

// eachEntryOf reads every entry of a vector that must fill r.
func eachEntryOf(r *reader, entry func(r *reader) error) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := range n {
		if err := entry(r); err != nil {
			return fmt.Errorf("entry %d: %w", i, err)
		}
	}
	if !r.done() {
		return fmt.Errorf("%d bytes after the last entry", len(r.b))
	}
	return nil
}
