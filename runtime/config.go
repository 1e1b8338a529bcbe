package runtime

import (
	"fmt"
	"log/slog"
	goruntime "runtime"
	"strings"
	"time"
)

// Mode is how a module's instances serve requests.
type Mode string

const (
	// ModeFresh gives every request an instance in its just-instantiated
	// state and closes it afterwards: no state survives between requests.
	// The engine may reset a closed instance instead of instantiating one
	// (engine.Resetting). The default.
	ModeFresh Mode = "fresh"
	// ModePooled keeps up to Config.PoolSize instances and reuses them, one
	// request at a time each. An instance that trapped or timed out is closed,
	// never reused.
	ModePooled Mode = "pooled"
)

// Config configures how one module serves requests. The zero value of each
// field means the documented default.
type Config struct {
	// Name identifies the module in logs; "" means "module".
	Name string
	// Mode is ModeFresh (default) or ModePooled.
	Mode Mode
	// PoolSize bounds the instances of a pooled module, busy or idle; 0 means
	// 2 × GOMAXPROCS. Requests wait for a free instance until their deadline.
	PoolSize int
	// RequestTimeout bounds each request, from arrival to the end of the
	// guest call, instantiation included; 0 means 30s (CivetWeb's
	// request_timeout_ms). A guest still running then is stopped and the
	// client gets 504.
	RequestTimeout time.Duration
	// InitTimeout bounds loading a module: instantiating it and running
	// civetbox_init; 0 means 10s.
	InitTimeout time.Duration
	// GuestOutputLimit bounds what one request's guest may write to stdout
	// and stderr (both go to the log); 0 means 64 KiB.
	GuestOutputLimit int
	// Logger receives errors, guest output and mg_cry; nil means
	// slog.Default().
	Logger *slog.Logger
	// DocumentRoot is a directory the module may read files from
	// (mg_send_file, digest passwords files); "" grants none.
	DocumentRoot string
	// UploadDir is a directory the module may create files in
	// (mg_store_body, form fields stored as files); "" grants none.
	UploadDir string
	// MaxRequestBody bounds a request body in bytes: a larger declared
	// Content-Length is answered 413 before the guest runs, and mg_read
	// fails once a chunked body passes it (the client gets 413 if no
	// response started). 0 means DefaultMaxRequestBody; negative means no
	// limit.
	MaxRequestBody int64
	// Env is the guest's whole WASI environment (getenv, environ), as
	// "NAME=value" entries; nil means none. The host's environment never
	// reaches guests.
	Env []string
	// RealClock gives guests the host's clocks, to the millisecond, instead
	// of the default fake ones (which start at 2022-01-01 and advance 1 ms per
	// read, so a guest cannot time anything).
	RealClock bool
	// Observer receives compile and instantiation times; nil means none.
	Observer Observer
}

// Defaults.
const (
	DefaultRequestTimeout   = 30 * time.Second
	DefaultInitTimeout      = 10 * time.Second
	DefaultGuestOutputLimit = 64 << 10
	DefaultMaxRequestBody   = 64 << 20
)

// Validate reports the first invalid field.
func (c Config) Validate() error {
	switch {
	case c.Mode != "" && c.Mode != ModeFresh && c.Mode != ModePooled:
		return fmt.Errorf("runtime: mode %q is not %q or %q", c.Mode, ModeFresh, ModePooled)
	case c.PoolSize < 0:
		return fmt.Errorf("runtime: pool size %d is negative", c.PoolSize)
	case c.RequestTimeout < 0:
		return fmt.Errorf("runtime: request timeout %s is negative", c.RequestTimeout)
	case c.InitTimeout < 0:
		return fmt.Errorf("runtime: init timeout %s is negative", c.InitTimeout)
	case c.GuestOutputLimit < 0:
		return fmt.Errorf("runtime: guest output limit %d is negative", c.GuestOutputLimit)
	}
	return checkEnv(c.Env)
}

// checkEnv accepts "NAME=value" entries with non-empty, distinct names and
// no NUL, which would cut the C string the guest sees; getenv would only
// ever find the first of two entries with one name.
func checkEnv(env []string) error {
	seen := make(map[string]bool, len(env))
	for _, e := range env {
		name, _, ok := strings.Cut(e, "=")
		switch {
		case !ok || name == "":
			return fmt.Errorf("runtime: environment entry %q is not NAME=value", e)
		case strings.ContainsRune(e, 0):
			return fmt.Errorf("runtime: environment entry %q contains NUL", e)
		case seen[name]:
			return fmt.Errorf("runtime: environment variable %q is set twice", name)
		}
		seen[name] = true
	}
	return nil
}

// withDefaults returns c with every zero field set to its default.
func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = "module"
	}
	if c.Mode == "" {
		c.Mode = ModeFresh
	}
	if c.PoolSize == 0 {
		c.PoolSize = 2 * goruntime.GOMAXPROCS(0)
	}
	if c.RequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.InitTimeout == 0 {
		c.InitTimeout = DefaultInitTimeout
	}
	if c.GuestOutputLimit == 0 {
		c.GuestOutputLimit = DefaultGuestOutputLimit
	}
	if c.MaxRequestBody == 0 {
		c.MaxRequestBody = DefaultMaxRequestBody
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Observer == nil {
		c.Observer = noObserver{}
	}
	return c
}
