package hostfuncs

import (
	"context"
	"os"

	"github.com/civetbox/civetbox/abi"
	"github.com/civetbox/civetbox/runtime/engine"
)

// Grants are what a module may reach beyond its request: the directories its
// configuration grants it, the environment and clocks its guests see, and the
// secret its digest nonces are made with. One Grants serves every instance of
// a module; its roots are opened when the module loads and closed with it.
type Grants struct {
	// DocRoot is the read-only document root; nil if none was granted.
	// Host functions only ever open files in it for reading.
	DocRoot *os.Root
	// Uploads is the writable upload directory; nil if none was granted.
	Uploads *os.Root
	// NonceKey authenticates digest-authentication nonces, so a nonce the
	// module's instances hand out is valid in any of them and cannot be
	// forged by a client.
	NonceKey [32]byte
	// Env is the guest's whole WASI environment, "NAME=value" entries; the
	// host's own environment never reaches guests.
	Env []string
	// RealClock gives each instance a real Clock instead of a fake one.
	RealClock bool
}

// grants implements abi.FuncGrants: grants() -> bits.
func grants(ctx context.Context, _ engine.Memory, stack []uint64) {
	g := scopeOf(ctx, abi.FuncGrants).Grants
	var bits int32
	if g != nil && g.DocRoot != nil {
		bits |= abi.GrantDocumentRoot
	}
	if g != nil && g.Uploads != nil {
		bits |= abi.GrantUploadDir
	}
	stack[0] = i32(bits)
}
