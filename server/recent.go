package server

import (
	"sync"
	"time"
)

// RecentErrors is how many errors Recent keeps per tenant.
const RecentErrors = 20

// Recent keeps each tenant's last errors (failed requests, refused
// deploys, modules left out) for the admin API's status. A nil *Recent
// keeps nothing.
type Recent struct {
	mu     sync.Mutex
	errors map[string][]RecentError // tenant -> oldest first
	now    func() time.Time
}

// RecentError is one error of a tenant.
type RecentError struct {
	Time    time.Time
	Module  string
	Message string
}

// NewRecent returns an empty Recent.
func NewRecent() *Recent {
	return &Recent{errors: map[string][]RecentError{}, now: time.Now}
}

// Add records an error of tenant (from outside the server: refused deploys).
func (r *Recent) Add(tenant, module, message string) { r.add(tenant, module, message) }

func (r *Recent) add(tenant, module, message string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	list := append(r.errors[tenant], RecentError{Time: r.now(), Module: module, Message: message})
	if len(list) > RecentErrors {
		list = list[len(list)-RecentErrors:]
	}
	r.errors[tenant] = list
}

// Of returns tenant's recent errors, newest first.
func (r *Recent) Of(tenant string) []RecentError {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.errors[tenant]
	out := make([]RecentError, len(list))
	for i, e := range list {
		out[len(list)-1-i] = e
	}
	return out
}
