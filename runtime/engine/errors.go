package engine

import "fmt"

// TrapKind classifies a wasm trap.
type TrapKind string

// Trap kinds adapters report. TrapOther covers anything an engine reports that
// is not listed.
const (
	TrapUnreachable      TrapKind = "unreachable"
	TrapMemoryOutOfRange TrapKind = "out of bounds memory access"
	TrapDivideByZero     TrapKind = "integer divide by zero"
	TrapIntegerOverflow  TrapKind = "integer overflow"
	TrapBadConversion    TrapKind = "invalid conversion to integer"
	TrapIndirectCall     TrapKind = "indirect call type mismatch"
	TrapTableOutOfRange  TrapKind = "invalid table access"
	TrapStackOverflow    TrapKind = "stack overflow"
	TrapExit             TrapKind = "exit"
	TrapOther            TrapKind = "trap"
)

// TrapError is a guest trap, including a WASI proc_exit.
type TrapError struct {
	Kind TrapKind
	// ExitCode is the proc_exit code when Kind is TrapExit.
	ExitCode uint32
	// Err is the engine's own error, kept for logs.
	Err error
}

func (e *TrapError) Error() string {
	if e.Kind == TrapExit {
		return fmt.Sprintf("guest exited with code %d", e.ExitCode)
	}
	return "guest trapped: " + string(e.Kind)
}

func (e *TrapError) Unwrap() error { return e.Err }
