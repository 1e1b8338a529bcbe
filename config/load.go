package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Error is a configuration problem. Line is 0 when unknown.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	switch {
	case e.File == "":
		return "config: " + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("config: %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("config: %s: %s", e.File, e.Msg)
}

func errorf(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// Load reads, parses and validates the configuration file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Msg: err.Error()}
	}
	return Parse(path, data)
}

// Parse parses and validates data, the contents of the file at path (used
// in messages and to resolve relative paths).
func Parse(path string, data []byte) (*Config, error) {
	c, err := decode(data)
	if err == nil {
		c.Dir = filepath.Dir(path)
		err = c.validate()
	}
	var e *Error
	if errors.As(err, &e) {
		e.File = path
		return nil, e
	}
	return c, err
}

// decode parses TOML into a Config, refusing keys Config does not have.
func decode(data []byte) (*Config, error) {
	var c Config
	md, err := toml.Decode(string(data), &c)
	var perr toml.ParseError
	if errors.As(err, &perr) {
		return nil, &Error{Line: perr.Position.Line, Msg: perr.Message}
	}
	if err != nil {
		return nil, &Error{Msg: err.Error()}
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		key := undecoded[0]
		return nil, &Error{Line: lineOf(data, key), Msg: fmt.Sprintf("unknown key %q", key.String())}
	}
	return &c, nil
}

// lineOf finds the line that sets key, for messages: the TOML library
// does not report positions of keys it did not decode. It looks for the
// key's last part assigned ("name =") or as a table header ("[a.name]"),
// and returns 0 if it cannot tell.
func lineOf(data []byte, key toml.Key) int {
	last := regexp.QuoteMeta(key[len(key)-1])
	assign := regexp.MustCompile(`^\s*"?` + last + `"?\s*=`)
	header := regexp.MustCompile(`^\s*\[\[?\s*([\w."-]+\.)?"?` + last + `"?\s*\]`)
	for i, line := range strings.Split(string(data), "\n") {
		if assign.MatchString(line) || header.MatchString(line) {
			return i + 1
		}
	}
	return 0
}
