package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"time"
)

// formatVersion is the layout of state.json this build reads and writes.
const formatVersion = 1

const stateFile = "state.json"

// VersionInfo is one uploaded version of a module.
type VersionInfo struct {
	Version    int       `json:"version"` // 1, 2, ... per module, never reused
	SHA256     string    `json:"sha256"`  // hex; names the blob
	Size       int64     `json:"size"`
	ABIVersion uint32    `json:"abi_version"`
	Exports    []string  `json:"exports,omitempty"`
	Imports    []string  `json:"imports,omitempty"` // "module.name"
	UploadedAt time.Time `json:"uploaded_at"`
	UploadedBy string    `json:"uploaded_by,omitempty"`
}

// Module is a module of a tenant with its versions, oldest first.
type Module struct {
	Name     string
	Active   int // 0 when no version is active
	Versions []VersionInfo
}

// ActiveModule is a module the server should serve, at its active version.
type ActiveModule struct {
	Name    string
	Version VersionInfo
}

// Route binds a tenant's requests for Host ("" = any) at or below Prefix
// to Module.
type Route struct {
	Host   string `json:"host,omitempty"`
	Prefix string `json:"prefix"`
	Module string `json:"module"`
}

// state is everything state.json holds. A committed state is never
// changed in place: a mutation changes a copy (see withTenant).
type state struct {
	Format  int                     `json:"format"`
	Tenants map[string]*tenantState `json:"tenants"`
}

type tenantState struct {
	Modules map[string]*moduleState `json:"modules,omitempty"`
	Routes  []Route                 `json:"routes,omitempty"` // sorted by Host, Prefix
}

type moduleState struct {
	// Next is the number of the next upload. A module whose last version
	// was deleted stays here with no versions, hidden, so that a number is
	// never given twice.
	Next     int           `json:"next"`
	Active   int           `json:"active,omitempty"`
	History  []int         `json:"history,omitempty"` // earlier active versions, latest last
	Versions []VersionInfo `json:"versions,omitempty"`
}

func emptyState() *state {
	return &state{Format: formatVersion, Tenants: map[string]*tenantState{}}
}

// withTenant returns a copy of s that shares every tenant but name, and
// name's own copy, created if missing, for a mutation to change.
func (s *state) withTenant(name string) (*state, *tenantState) {
	next := &state{Format: formatVersion, Tenants: make(map[string]*tenantState, len(s.Tenants)+1)}
	for n, t := range s.Tenants {
		next.Tenants[n] = t
	}
	t := &tenantState{Modules: map[string]*moduleState{}}
	if old := s.Tenants[name]; old != nil {
		t = old.clone()
	}
	next.Tenants[name] = t
	return next, t
}

func (t *tenantState) clone() *tenantState {
	c := &tenantState{Modules: make(map[string]*moduleState, len(t.Modules)), Routes: slices.Clone(t.Routes)}
	for n, m := range t.Modules {
		c.Modules[n] = m.clone()
	}
	return c
}

// clone copies m; VersionInfo slices are shared, as they are never changed.
func (m *moduleState) clone() *moduleState {
	c := *m
	c.History = slices.Clone(m.History)
	c.Versions = slices.Clone(m.Versions)
	return &c
}

// live is t's module name if it has versions.
func (t *tenantState) live(name string) *moduleState {
	if t == nil {
		return nil
	}
	if m := t.Modules[name]; m != nil && len(m.Versions) > 0 {
		return m
	}
	return nil
}

// isEmpty reports whether t shows nothing: no live module, no route.
func (t *tenantState) isEmpty() bool {
	for _, m := range t.Modules {
		if len(m.Versions) > 0 {
			return false
		}
	}
	return len(t.Routes) == 0
}

func (m *moduleState) find(v int) (int, bool) {
	return slices.BinarySearchFunc(m.Versions, v, func(vi VersionInfo, v int) int { return vi.Version - v })
}

// references reports whether any version of s stores its bytes in sha.
func (s *state) references(sha string) bool {
	return s.shas()[sha]
}

// shas is the set of blobs s references.
func (s *state) shas() map[string]bool {
	set := map[string]bool{}
	for _, t := range s.Tenants {
		for _, m := range t.Modules {
			for _, v := range m.Versions {
				set[v.SHA256] = true
			}
		}
	}
	return set
}

func (s *state) encode() ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		return nil, fmt.Errorf("store: encode state: %w", err)
	}
	return append(data, '\n'), nil
}

// readState loads path; a missing file is an empty store.
func readState(path string) (*state, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyState(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	st, err := decodeState(data)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	return st, nil
}

// decodeState checks the format version first, so a newer file is
// reported as such rather than as unknown fields.
func decodeState(data []byte) (*state, error) {
	var head struct {
		Format *int `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("corrupt: %w", err)
	}
	if head.Format == nil {
		return nil, errors.New("corrupt: no format version")
	}
	if *head.Format != formatVersion {
		return nil, fmt.Errorf("unknown format version %d (this civetbox reads %d)", *head.Format, formatVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	st := emptyState()
	if err := dec.Decode(st); err != nil {
		return nil, fmt.Errorf("corrupt: %w", err)
	}
	if err := st.validate(); err != nil {
		return nil, fmt.Errorf("corrupt: %w", err)
	}
	return st, nil
}
