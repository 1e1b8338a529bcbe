package config_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/config"
)

func TestLoad_accessLog(t *testing.T) {
	c, err := config.Load(writeConfig(t, minimal))
	require.NoError(t, err)
	require.Equal(t, config.AccessStdout, c.Log.Access, "the default")

	for _, dest := range []string{"stderr", "off"} {
		c, err := config.Load(writeConfig(t, minimal+"\n[log]\naccess = \""+dest+"\"\n"))
		require.NoError(t, err)
		require.Equal(t, dest, c.Log.Access)
	}

	path := writeConfig(t, minimal+"\n[log]\naccess = \"www/access.log\"\n")
	c, err = config.Load(path)
	require.NoError(t, err)
	require.Equal(t, filepath.Join(filepath.Dir(path), "www", "access.log"), c.Log.Access, "relative to the file")

	_, err = config.Load(writeConfig(t, minimal+"\n[log]\naccess = \"nodir/access.log\"\n"))
	require.ErrorContains(t, err, "log.access")
}
