// Package config reads civetbox's server configuration: listeners, tenants
// with their modules and limits, from a TOML file. Load parses and validates;
// every error names the offending key and, when it can, the line.
//
// Limits are set once under [limits] and may be overridden per tenant under
// [tenant.limits]; a tenant's Effective limits are the merge of both over
// the built-in defaults.
package config

import (
	"fmt"
	"time"
)

// Config is a whole configuration file.
type Config struct {
	Listen  Listeners `toml:"listen"`
	Limits  Limits    `toml:"limits"`
	Log     Log       `toml:"log"`
	Admin   Admin     `toml:"admin"`
	Tenants []Tenant  `toml:"tenant"`
	// Dir is the directory of the file; relative paths in it resolve
	// against it. Set by Load.
	Dir string `toml:"-"`
}

// Listeners are where the server accepts connections.
type Listeners struct {
	// HTTP addresses serve HTTP/1.1 (and cleartext HTTP/2 with H2C).
	HTTP []string `toml:"http"`
	// HTTPS listeners serve HTTP/1.1 and HTTP/2 over TLS.
	HTTPS []TLSListener `toml:"https"`
	// H2C enables HTTP/2 without TLS ("prior knowledge") on HTTP addresses.
	H2C bool `toml:"h2c"`
	// Admin serves /healthz and /metrics; "" disables it.
	Admin string `toml:"admin"`
}

// TLSListener is an HTTPS address with its certificate and key files.
type TLSListener struct {
	Address string `toml:"address"`
	Cert    string `toml:"cert"`
	Key     string `toml:"key"`
}

// Tenant is one customer: its host names and path mounts, the modules that
// serve them, and how.
type Tenant struct {
	Name string `toml:"name"`
	// Hosts are the Host header values (without port) the tenant answers.
	Hosts []string `toml:"hosts"`
	// Mounts are path prefixes ("/blog") the tenant answers on any host
	// no tenant claims by name; the prefix is removed before routing.
	Mounts []string `toml:"mounts"`
	// Engine is "wazero" (default) or "wasmtime".
	Engine string `toml:"engine"`
	// Mode is "fresh" (default) or "pooled".
	Mode string `toml:"mode"`
	// PoolSize bounds pooled instances per module; 0 means the default.
	PoolSize int `toml:"pool_size"`
	// Env is the guest's whole WASI environment; the host's never reaches it.
	Env Env `toml:"env"`
	// RealClock gives guests the real clocks (to 1 ms) instead of fake ones.
	RealClock bool `toml:"real_clock"`
	// TokenSHA256 are this tenant's admin API tokens (hex SHA-256, from
	// `civetbox token`): they may deploy and see this tenant only.
	TokenSHA256 []string `toml:"token_sha256"`
	Limits      Limits   `toml:"limits"`
	Modules     []Module `toml:"module"`
}

// Module is one wasm module of a tenant.
type Module struct {
	// Name identifies the module in logs; defaults to the file name.
	Name string `toml:"name"`
	// Path is the .wasm file.
	Path string `toml:"path"`
	// DocumentRoot is a directory the module may read (mg_send_file).
	DocumentRoot string `toml:"document_root"`
	// UploadDir is a directory the module may write (mg_store_body).
	UploadDir string `toml:"upload_dir"`
}

// Limits bound what one tenant's requests may use. A nil field is unset: a
// tenant inherits [limits], and [limits] the defaults.
type Limits struct {
	// MemoryMiB bounds each instance's linear memory.
	MemoryMiB *int `toml:"memory_mib"`
	// Timeout is the request deadline.
	Timeout *Duration `toml:"timeout"`
	// MaxConcurrent bounds requests running at once.
	MaxConcurrent *int `toml:"max_concurrent"`
	// Queue bounds requests waiting for a slot; more get 503.
	Queue *int `toml:"queue"`
	// QueueTimeout bounds the wait for a slot; then 503.
	QueueTimeout *Duration `toml:"queue_timeout"`
	// MaxBodyMiB bounds a request body; 0 means no limit.
	MaxBodyMiB *int `toml:"max_body_mib"`
	// MaxHeaderKiB bounds a request head.
	MaxHeaderKiB *int `toml:"max_header_kib"`
	// GuestLogKiB bounds what a request's guest writes to stdout/stderr.
	GuestLogKiB *int `toml:"guest_log_kib"`
}

// Env is a tenant's environment table, NAME = "value". It decodes itself
// because the TOML library silently drops a value that is not a table when
// decoding into a map, and a wrong type must be an error naming the key.
type Env map[string]string

// UnmarshalTOML implements toml.Unmarshaler.
func (e *Env) UnmarshalTOML(v any) error {
	table, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf(`env must be a table like env = { NAME = "value" } (got %T)`, v)
	}
	*e = make(Env, len(table))
	for name, value := range table {
		s, ok := value.(string)
		if !ok {
			return fmt.Errorf("env.%s must be a string (got %T)", name, value)
		}
		(*e)[name] = s
	}
	return nil
}

// Duration is a time.Duration written as "30s", "1m30s".
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
