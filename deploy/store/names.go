package store

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

const maxNameLen = 64

// checkModule accepts 1–64 of [A-Za-z0-9._-] not starting with '.' or '-':
// such a name is safe in a path, a URL and a log line.
func checkModule(name string) error {
	if name == "" || len(name) > maxNameLen {
		return fmt.Errorf("module name %q: %w: must be 1 to %d characters", name, ErrInvalid, maxNameLen)
	}
	if name[0] == '.' || name[0] == '-' {
		return fmt.Errorf("module name %q: %w: must not start with '.' or '-'", name, ErrInvalid)
	}
	for _, c := range []byte(name) {
		if !isModuleByte(c) {
			return fmt.Errorf("module name %q: %w: only A-Z a-z 0-9 . _ - are allowed", name, ErrInvalid)
		}
	}
	return nil
}

func isModuleByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '.' || c == '_' || c == '-'
}

// checkTenant accepts 1–64 bytes of printable UTF-8 without '/'.
func checkTenant(name string) error {
	if name == "" || len(name) > maxNameLen {
		return fmt.Errorf("tenant name %q: %w: must be 1 to %d bytes", name, ErrInvalid, maxNameLen)
	}
	if !utf8.ValidString(name) || strings.ContainsRune(name, '/') || strings.IndexFunc(name, notPrint) >= 0 {
		return fmt.Errorf("tenant name %q: %w: must be printable and without '/'", name, ErrInvalid)
	}
	return nil
}

func notPrint(r rune) bool { return !unicode.IsPrint(r) }

func checkNames(tenant, module string) error {
	if err := checkTenant(tenant); err != nil {
		return err
	}
	return checkModule(module)
}

// checkSHA accepts 64 lower-case hex digits; it also keeps a blob path
// inside blobs/.
func checkSHA(sha string) error {
	if len(sha) != 64 || strings.ToLower(sha) != sha {
		return fmt.Errorf("sha256 %q: %w: want 64 lower-case hex digits", sha, ErrInvalid)
	}
	if _, err := hex.DecodeString(sha); err != nil {
		return fmt.Errorf("sha256 %q: %w: want 64 lower-case hex digits", sha, ErrInvalid)
	}
	return nil
}

const maxPrefixLen = 1024

// checkRoute accepts a Prefix that is a path ("/..."), a Host without '/',
// spaces or control characters, and a valid module name.
func checkRoute(r Route) error {
	if !strings.HasPrefix(r.Prefix, "/") || len(r.Prefix) > maxPrefixLen || strings.IndexFunc(r.Prefix, notGraphic) >= 0 {
		return fmt.Errorf("route prefix %q: %w: must start with '/', be at most %d bytes and have no spaces or control characters", r.Prefix, ErrInvalid, maxPrefixLen)
	}
	if len(r.Host) > 253 || strings.ContainsRune(r.Host, '/') || strings.IndexFunc(r.Host, notGraphic) >= 0 {
		return fmt.Errorf("route host %q: %w: must be at most 253 bytes without '/', spaces or control characters", r.Host, ErrInvalid)
	}
	return checkModule(r.Module)
}

func notGraphic(r rune) bool {
	return r == utf8.RuneError || !unicode.IsGraphic(r) || unicode.IsSpace(r)
}

// prefixed marks an error of the helpers above as this package's.
func prefixed(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %w", err)
}

// CheckModuleName reports whether name may name a module: 1 to 64 of
// A-Z a-z 0-9 . _ - not starting with '.' or '-'. Callers check it before
// reading an upload.
func CheckModuleName(name string) error { return prefixed(checkModule(name)) }
