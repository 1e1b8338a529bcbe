package config

import "path/filepath"

// Log is where the server writes its logs.
type Log struct {
	// Access is where the access log goes, a JSON line per request:
	// "stdout" (default), "stderr", "off", or a file, appended to.
	Access string `toml:"access"`
}

// Access log destinations that are not files.
const (
	AccessStdout = "stdout"
	AccessStderr = "stderr"
	AccessOff    = "off"
)

// validateLog fills the default and resolves a file relative to the
// configuration file; its directory must exist.
func (c *Config) validateLog() error {
	switch c.Log.Access {
	case "":
		c.Log.Access = AccessStdout
	case AccessStdout, AccessStderr, AccessOff:
	default:
		c.Log.Access = c.path(c.Log.Access)
		return checkDir("log.access", filepath.Dir(c.Log.Access))
	}
	return nil
}
