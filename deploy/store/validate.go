package store

import (
	"errors"
	"fmt"
	"slices"
)

// validate checks what the code relies on, so a hand-edited or damaged
// state.json is refused at Open instead of misbehaving later.
func (s *state) validate() error {
	if s.Tenants == nil {
		s.Tenants = map[string]*tenantState{}
	}
	for name, t := range s.Tenants {
		if err := t.validate(name); err != nil {
			return err
		}
	}
	return nil
}

func (t *tenantState) validate(name string) error {
	if err := checkTenant(name); err != nil {
		return err
	}
	if t == nil {
		return fmt.Errorf("tenant %q is null", name)
	}
	if t.Modules == nil {
		t.Modules = map[string]*moduleState{}
	}
	for mod, m := range t.Modules {
		if err := m.validate(mod); err != nil {
			return fmt.Errorf("tenant %q: %w", name, err)
		}
	}
	for _, r := range t.Routes {
		if err := checkRoute(r); err != nil {
			return fmt.Errorf("tenant %q: %w", name, err)
		}
	}
	if !slices.IsSortedFunc(t.Routes, compareRoutes) {
		return fmt.Errorf("tenant %q: routes are not sorted by host and prefix", name)
	}
	return nil
}

func (m *moduleState) validate(name string) error {
	if err := checkModule(name); err != nil {
		return err
	}
	if m == nil {
		return fmt.Errorf("module %q is null", name)
	}
	if err := m.validateVersions(); err != nil {
		return fmt.Errorf("module %q: %w", name, err)
	}
	if err := m.validateActive(); err != nil {
		return fmt.Errorf("module %q: %w", name, err)
	}
	return nil
}

// validateVersions: numbers increase, stay below Next, name valid blobs.
func (m *moduleState) validateVersions() error {
	prev := 0
	for _, v := range m.Versions {
		if v.Version <= prev || v.Version >= m.Next {
			return fmt.Errorf("version %d out of order or not below next %d", v.Version, m.Next)
		}
		if err := checkSHA(v.SHA256); err != nil {
			return fmt.Errorf("version %d: %w", v.Version, err)
		}
		if v.Size < 0 {
			return fmt.Errorf("version %d: negative size %d", v.Version, v.Size)
		}
		prev = v.Version
	}
	if m.Next < 1 {
		return fmt.Errorf("next version %d is below 1", m.Next)
	}
	return nil
}

// validateActive: the active version and every one in history exist.
func (m *moduleState) validateActive() error {
	if m.Active == 0 && len(m.History) > 0 {
		return errors.New("history without an active version")
	}
	if _, ok := m.find(m.Active); m.Active != 0 && !ok {
		return fmt.Errorf("active version %d does not exist", m.Active)
	}
	for _, v := range m.History {
		if _, ok := m.find(v); !ok {
			return fmt.Errorf("earlier active version %d does not exist", v)
		}
	}
	return nil
}
