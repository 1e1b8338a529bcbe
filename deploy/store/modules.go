package store

import (
	"fmt"
	"slices"
	"time"
)

// Put stores wasm as the next version of tenant's module and returns its
// VersionInfo. It computes SHA256 and Size and assigns Version itself;
// from info it keeps ABIVersion, Exports, Imports, UploadedBy and
// UploadedAt (now when zero). Put does not activate the version.
func (s *Store) Put(tenant, module string, wasm []byte, info VersionInfo) (VersionInfo, error) {
	if err := checkNames(tenant, module); err != nil {
		return VersionInfo{}, prefixed(err)
	}
	info = newVersion(wasm, info)
	if err := s.hold(info.SHA256); err != nil {
		return VersionInfo{}, err
	}
	werr := s.writeBlob(info.SHA256, wasm) // outside s.mu: it may take a while
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unhold(info.SHA256)
	if werr != nil {
		s.dropUnused(info.SHA256)
		return VersionInfo{}, werr
	}
	return s.addVersion(tenant, module, info)
}

// addVersion records info, whose blob is written; s.mu is held.
func (s *Store) addVersion(tenant, module string, info VersionInfo) (VersionInfo, error) {
	renamed, err := s.mutateLocked(tenant, func(t *tenantState) error {
		m := t.Modules[module]
		if m == nil {
			m = &moduleState{Next: 1}
			t.Modules[module] = m
		}
		info.Version = m.Next
		m.Next++
		m.Versions = append(m.Versions, info)
		return nil
	})
	if err != nil {
		if !renamed {
			s.dropUnused(info.SHA256)
		}
		return VersionInfo{}, err
	}
	return info.clone(), nil
}

// newVersion fills in what Put computes and normalises the rest, so that
// a version reads back from state.json equal to what Put returned.
func newVersion(wasm []byte, info VersionInfo) VersionInfo {
	info.SHA256 = hashHex(wasm)
	info.Size = int64(len(wasm))
	if info.UploadedAt.IsZero() {
		info.UploadedAt = time.Now()
	}
	info.UploadedAt = info.UploadedAt.UTC().Round(0)
	return info.clone()
}

// clone copies v's slices (nil when empty), so callers never share ours.
func (v VersionInfo) clone() VersionInfo {
	v.Exports = cloneStrings(v.Exports)
	v.Imports = cloneStrings(v.Imports)
	return v
}

func cloneStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// Activate makes version the one served for tenant's module. The version
// active before is remembered for Rollback.
func (s *Store) Activate(tenant, module string, version int) error {
	if err := checkNames(tenant, module); err != nil {
		return prefixed(err)
	}
	return s.mutate(tenant, func(t *tenantState) error {
		m, err := liveVersion(t, tenant, module, version)
		if err != nil {
			return err
		}
		if m.Active != 0 && m.Active != version {
			m.History = append(m.History, m.Active)
		}
		m.Active = version
		return nil
	})
}

// Rollback activates the version that was active before the current one
// and returns it; ErrNoPrevious when there is none. The current version
// is not remembered: rolling back twice goes two steps back.
func (s *Store) Rollback(tenant, module string) (VersionInfo, error) {
	if err := checkNames(tenant, module); err != nil {
		return VersionInfo{}, prefixed(err)
	}
	var back VersionInfo
	err := s.mutate(tenant, func(t *tenantState) error {
		m, err := liveModule(t, tenant, module)
		if err != nil {
			return err
		}
		if len(m.History) == 0 {
			return fmt.Errorf("store: tenant %q module %q: %w to roll back to", tenant, module, ErrNoPrevious)
		}
		m.Active = m.History[len(m.History)-1]
		m.History = m.History[:len(m.History)-1]
		i, _ := m.find(m.Active)
		back = m.Versions[i]
		return nil
	})
	return back.clone(), err
}

// Delete removes version of tenant's module, and its blob when no other
// version has the same bytes. The active version is refused with
// ErrActive. A module whose last version goes disappears; its version
// numbers are still not given again.
func (s *Store) Delete(tenant, module string, version int) error {
	if err := checkNames(tenant, module); err != nil {
		return prefixed(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var sha string
	_, err := s.mutateLocked(tenant, func(t *tenantState) error {
		m, err := liveVersion(t, tenant, module, version)
		if err != nil {
			return err
		}
		if m.Active == version {
			return fmt.Errorf("store: tenant %q module %q version %d: %w", tenant, module, version, ErrActive)
		}
		sha = m.remove(version)
		return nil
	})
	if err == nil {
		s.dropUnused(sha)
	}
	return err
}

// remove drops version from m's versions and history; it returns its sha.
func (m *moduleState) remove(version int) string {
	i, _ := m.find(version)
	sha := m.Versions[i].SHA256
	m.Versions = slices.Delete(m.Versions, i, i+1)
	m.History = slices.DeleteFunc(m.History, func(v int) bool { return v == version })
	return sha
}

func liveModule(t *tenantState, tenant, module string) (*moduleState, error) {
	m := t.live(module)
	if m == nil {
		return nil, fmt.Errorf("store: tenant %q module %q: %w", tenant, module, ErrNotFound)
	}
	return m, nil
}

func liveVersion(t *tenantState, tenant, module string, version int) (*moduleState, error) {
	m, err := liveModule(t, tenant, module)
	if err != nil {
		return nil, err
	}
	if _, ok := m.find(version); !ok {
		return nil, fmt.Errorf("store: tenant %q module %q version %d: %w", tenant, module, version, ErrNotFound)
	}
	return m, nil
}
