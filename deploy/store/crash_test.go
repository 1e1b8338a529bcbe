package store_test

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/civetbox/civetbox/deploy/store"
)

// crashEnv names the store directory of a TestHelperChild run.
const crashEnv = "CIVETBOX_STORE_CRASH_DIR"

// TestCrash_killNineAtAnyMoment kills a process writing to the store with
// SIGKILL at random moments and checks after each kill that the store
// opens, serves intact active versions, is tidy, and kept every version
// the child saw acknowledged, under the number it was given.
func TestCrash_killNineAtAnyMoment(t *testing.T) {
	rounds := 30
	if testing.Short() {
		rounds = 8
	}
	dir := t.TempDir()
	logPath := filepath.Join(t.TempDir(), "acks")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	seen := map[string]string{} // "tenant/module@version" -> sha, ever observed
	start, partial, round := time.Now(), 0, 0
	// A slow shared disk may stretch rounds; past the budget, stop early.
	for ; round < rounds && (round < 8 || time.Since(start) < 15*time.Second); round++ {
		runAndKill(t, dir, logPath, time.Duration(50+rng.IntN(350))*time.Millisecond)
		if tmp, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(tmp) > 0 {
			partial++ // killed mid-write: the case this test is for
		}
		acked, deleted := readAcks(t, logPath)
		s, err := store.Open(dir)
		require.NoError(t, err, "round %d", round)
		checkAfterCrash(t, s, seen, acked, deleted)
		require.NoError(t, s.Close())
	}
	t.Logf("%d kills (%d mid-write) in %v; %d versions seen", round, partial, time.Since(start).Round(time.Millisecond), len(seen))
}

// runAndKill starts the child, which appends an acknowledgement line to
// logPath after each mutation returns, and kills it after delay.
func runAndKill(t *testing.T, dir, logPath string, delay time.Duration) {
	acks, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	require.NoError(t, err)
	defer acks.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperChild$")
	cmd.Env = append(os.Environ(), crashEnv+"="+dir)
	cmd.Stdout, cmd.Stderr = acks, &stderr
	require.NoError(t, cmd.Start())
	time.Sleep(delay)
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	err = cmd.Wait()
	status, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	require.True(t, ok && status.Signaled(), "child ended by itself: %v\n%s", err, stderr.String())
}

// readAcks parses the complete lines of the log: acknowledged versions
// (key -> sha), and deletions begun (false) or acknowledged (true).
func readAcks(t *testing.T, path string) (acked map[string]string, deleted map[string]bool) {
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	acked, deleted = map[string]string{}, map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data[:bytes.LastIndexByte(data, '\n')+1]))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch f[0] {
		case "put":
			acked[f[1]] = f[2]
		case "deleting":
			deleted[f[1]] = false
		case "deleted":
			deleted[f[1]] = true
		}
	}
	return acked, deleted
}

func checkAfterCrash(t *testing.T, s *store.Store, seen, acked map[string]string, deleted map[string]bool) {
	requireTidy(t, s)
	present := map[string]bool{}
	for _, tenant := range s.Tenants() {
		for _, m := range s.Modules(tenant) {
			for i, v := range m.Versions {
				key := fmt.Sprintf("%s/%s@%d", tenant, m.Name, v.Version)
				if old, ok := seen[key]; ok {
					require.Equal(t, old, v.SHA256, "%s was reused", key)
				}
				seen[key], present[key] = v.SHA256, true
				require.True(t, i == 0 || m.Versions[i-1].Version < v.Version)
			}
		}
		for _, a := range s.Active(tenant) {
			data, err := s.Read(a.Version.SHA256)
			require.NoError(t, err)
			require.Equal(t, a.Version.Size, int64(len(data)))
		}
	}
	for key, sha := range acked {
		done, begun := deleted[key]
		require.True(t, present[key] || begun, "acknowledged %s is lost", key)
		require.False(t, present[key] && done, "deleted %s is back", key)
		if present[key] {
			require.Equal(t, sha, seen[key], key)
		}
	}
}

// TestHelperChild is the process TestCrash kills: it uploads and
// activates modules of a few MiB, rolls back and deletes, forever.
func TestHelperChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("run by TestCrash_killNineAtAnyMoment")
	}
	s, err := store.Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	seed := [32]byte{}
	binary.LittleEndian.PutUint64(seed[:], uint64(time.Now().UnixNano()))
	src := rand.NewChaCha8(seed)
	for i := 0; ; i++ {
		if err := childStep(s, src, i); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(4)
		}
	}
}

func childStep(s *store.Store, src *rand.ChaCha8, i int) error {
	rng := rand.New(src)
	tenant, module := "t"+strconv.Itoa(rng.IntN(2)), "m"+strconv.Itoa(rng.IntN(3))
	wasm := make([]byte, 1<<20+rng.IntN(3<<20))
	_, _ = src.Read(wasm)
	v, err := s.Put(tenant, module, wasm, store.VersionInfo{UploadedBy: "child"})
	if err != nil {
		return err
	}
	fmt.Printf("put %s/%s@%d %s\n", tenant, module, v.Version, v.SHA256)
	if err := s.Activate(tenant, module, v.Version); err != nil {
		return err
	}
	if i%4 == 3 {
		_, _ = s.Rollback(tenant, module)
	}
	if err := s.Bind(tenant, store.Route{Prefix: "/" + module, Module: module}); err != nil {
		return err
	}
	return prune(s, tenant, module)
}

// prune keeps the active version and the two newest others.
func prune(s *store.Store, tenant, module string) error {
	m, err := s.Module(tenant, module)
	if err != nil {
		return err
	}
	others := 0
	for i := len(m.Versions) - 1; i >= 0; i-- {
		v := m.Versions[i].Version
		if v == m.Active {
			continue
		}
		if others++; others <= 2 {
			continue
		}
		fmt.Printf("deleting %s/%s@%d\n", tenant, module, v)
		if err := s.Delete(tenant, module, v); err != nil {
			return err
		}
		fmt.Printf("deleted %s/%s@%d\n", tenant, module, v)
	}
	return nil
}
