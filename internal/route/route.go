// Package route selects a guest's request handler the way CivetWeb 1.15 does:
// handlers are kept in registration order, and a request's local_uri is
// tried against them in three passes — exact match, then "uri/" prefix, then
// mg_match patterns — and the first hit wins.
package route

// Route is one registered handler: the guest's function pointer (a table
// index) and the opaque cbdata it registered with.
type Route struct {
	URI     string
	Handler uint32
	CBData  uint32
}

// Table is a guest instance's handlers. It implements hostfuncs.Router.
type Table struct {
	routes []Route
}

// SetHandler adds a route, replaces the handler and cbdata of an existing
// route with the same URI (keeping its position), or removes it when
// handler is 0 — mg_set_request_handler's semantics.
func (t *Table) SetHandler(uri string, handler, cbdata uint32) {
	for i, r := range t.routes {
		if r.URI != uri {
			continue
		}
		if handler == 0 {
			t.routes = append(t.routes[:i], t.routes[i+1:]...)
		} else {
			t.routes[i].Handler, t.routes[i].CBData = handler, cbdata
		}
		return
	}
	if handler != 0 {
		t.routes = append(t.routes, Route{URI: uri, Handler: handler, CBData: cbdata})
	}
}

// Len is the number of routes.
func (t *Table) Len() int { return len(t.routes) }

// Reset empties t, keeping its storage for the next registrations.
func (t *Table) Reset() {
	clear(t.routes)
	t.routes = t.routes[:0]
}

// Clone returns an independent copy of t.
func (t *Table) Clone() Table { return Table{routes: t.Routes()} }

// Routes returns a copy of the routes in registration order.
func (t *Table) Routes() []Route { return append([]Route(nil), t.routes...) }

// Match returns the route for a request's local_uri.
func (t *Table) Match(localURI string) (Route, bool) {
	for _, r := range t.routes {
		if r.URI == localURI {
			return r, true
		}
	}
	for _, r := range t.routes {
		if len(r.URI) < len(localURI) && localURI[len(r.URI)] == '/' && localURI[:len(r.URI)] == r.URI {
			return r, true
		}
	}
	for _, r := range t.routes {
		if MatchPrefix(r.URI, localURI) > 0 {
			return r, true
		}
	}
	return Route{}, false
}
