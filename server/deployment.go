package server

import "fmt"

// Deployed is a module version uploaded through the admin API that a
// tenant serves besides the modules of its configuration file.
type Deployed struct {
	Name    string
	Version int
	SHA256  string
	// Wasm reads the module; called only when this version is not
	// loaded already.
	Wasm func() ([]byte, error)
}

// Binding sends a tenant's requests for Prefix and below (on Host, or on
// any of the tenant's when "") to Module, with Prefix removed, as a mount
// does. Bindings win over the routes modules register themselves: they
// are an explicit instruction.
type Binding struct {
	Host   string
	Prefix string // "/" or a clean path without a trailing slash
	Module string
}

// Deployment is what a tenant serves beyond its configuration file.
type Deployment struct {
	Modules []Deployed
	Routes  []Binding
}

// Deployments returns a tenant's deployment (Options.Deployments).
type Deployments func(tenant string) (Deployment, error)

// DeployError is a deployment a tenant cannot serve: a module that does
// not load, a name the configuration file already uses, a binding to a
// module the tenant does not have.
type DeployError struct {
	Tenant, Module string
	Err            error
}

func (e *DeployError) Error() string {
	return fmt.Sprintf("server: tenant %q module %q: %v", e.Tenant, e.Module, e.Err)
}

func (e *DeployError) Unwrap() error { return e.Err }
