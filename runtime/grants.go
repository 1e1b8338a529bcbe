package runtime

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/civetbox/civetbox/hostfuncs"
)

// openGrants opens the directories cfg grants the module and takes its
// environment and clock choice. Every instance shares them; closeGrants
// releases them when the module closes.
func openGrants(cfg Config) (*hostfuncs.Grants, error) {
	g := &hostfuncs.Grants{Env: slices.Clone(cfg.Env), RealClock: cfg.RealClock}
	var err error
	if g.DocRoot, err = openDir("document root", cfg.DocumentRoot); err != nil {
		return nil, err
	}
	if g.Uploads, err = openDir("upload directory", cfg.UploadDir); err != nil {
		closeGrants(g)
		return nil, err
	}
	_, _ = rand.Read(g.NonceKey[:]) // never fails (crypto/rand panics instead)
	return g, nil
}

// openDir opens dir as an os.Root, or returns nil for "".
func openDir(what, dir string) (*os.Root, error) {
	if dir == "" {
		return nil, nil
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return nil, fmt.Errorf("%w: %s %q: %w", ErrConfig, what, dir, err)
	}
	return root, nil
}

func closeGrants(g *hostfuncs.Grants) {
	for _, r := range []*os.Root{g.DocRoot, g.Uploads} {
		if r != nil {
			_ = r.Close()
		}
	}
}
