package store

import "errors"

// Errors callers branch on. Each is wrapped with the details (tenant,
// module, version, file), so test with errors.Is.
var (
	// ErrNotFound: no such tenant, module, version, route or blob.
	ErrNotFound = errors.New("not found")
	// ErrActive: the version is active and may not be deleted.
	ErrActive = errors.New("version is active")
	// ErrNoPrevious: a rollback found no earlier active version.
	ErrNoPrevious = errors.New("no previous version")
	// ErrInvalid: a name, route or hash is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrCorrupt: a blob's content no longer hashes to its name.
	ErrCorrupt = errors.New("corrupt")
	// ErrLocked: another process holds the store directory.
	ErrLocked = errors.New("store directory is in use")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store is closed")
)
