//go:build cgo

package wasmtime

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	wt "github.com/bytecodealliance/wasmtime-go/v39"

	"github.com/civetbox/civetbox/runtime/engine"
	"github.com/civetbox/civetbox/runtime/engine/recycle"
)

// Available reports whether this binary has the wasmtime engine.
const Available = true

// MaxWasmStack bounds each guest call's wasm stack; wasmtime's default.
const MaxWasmStack = 512 << 10

// epochTick is how often the engine's epoch advances: the granularity of
// deadlines.
const epochTick = 2 * time.Millisecond

// Engine is a wasmtime engine with the host modules defined in a linker
// shared by all its instances.
type Engine struct {
	eng        *wt.Engine
	linker     *wt.Linker
	memLimit   int64 // bytes per instance; -1 for no limit
	preemption bool
	noReset    bool
	idle       recycle.Limit // reset instances all modules keep
	// The epoch counts epochTick periods since start: epochs is how many
	// the ticker has added, never more than the clock allows, so an epoch
	// deadline computed from them never stops a guest early.
	start      time.Time
	epochs     atomic.Int64
	stopTicker chan struct{}
	ticking    sync.WaitGroup
	closeOnce  sync.Once
}

var _ engine.Engine = (*Engine)(nil)

// New creates a wasmtime engine.
func New(_ context.Context, cfg engine.Config) (*Engine, error) {
	if !rawLayout {
		return nil, errLayout
	}
	c, err := newConfig(cfg)
	if err != nil {
		return nil, err
	}
	e := &Engine{eng: wt.NewEngineWithConfig(c), memLimit: -1, preemption: !cfg.DisablePreemption,
		noReset: cfg.DisableReset, start: time.Now(), stopTicker: make(chan struct{})}
	if cfg.MemoryLimitPages > 0 {
		e.memLimit = int64(cfg.MemoryLimitPages) << 16
	}
	e.linker = wt.NewLinker(e.eng)
	for _, host := range cfg.Hosts {
		if err := e.define(host); err != nil {
			e.Close(context.Background())
			return nil, err
		}
	}
	if e.preemption {
		e.ticking.Go(e.tick)
	}
	return e, nil
}

// newConfig sets wasmtime up like wazero: the same wasm features (no
// threads, no tail calls), an optimizing compiler, epoch interruption.
func newConfig(cfg engine.Config) (*wt.Config, error) {
	c := wt.NewConfig()
	c.SetStrategy(wt.StrategyCranelift)
	c.SetCraneliftOptLevel(wt.OptLevelSpeed)
	c.SetEpochInterruption(!cfg.DisablePreemption)
	c.SetMaxWasmStack(MaxWasmStack)
	c.SetWasmThreads(false)
	c.SetWasmTailCall(false)
	if cfg.CacheDir != "" {
		if err := loadCache(c, cfg.CacheDir); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// loadCache points wasmtime's compilation cache at dir, through the TOML
// file wasmtime reads its cache settings from.
func loadCache(c *wt.Config, dir string) error {
	dir = filepath.Join(dir, Name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("wasmtime: compilation cache: %w", err)
	}
	conf := filepath.Join(dir, "cache.toml")
	toml := "[cache]\ndirectory = " + strconv.Quote(dir) + "\n"
	if err := os.WriteFile(conf, []byte(toml), 0o600); err != nil {
		return fmt.Errorf("wasmtime: compilation cache: %w", err)
	}
	if err := c.CacheConfigLoad(conf); err != nil {
		return fmt.Errorf("wasmtime: compilation cache %s: %w", dir, err)
	}
	return nil
}

// tick advances the epoch until the engine closes, to one epoch per
// epochTick of wall-clock time since start. A ticker drops the ticks its
// goroutine is too late to receive, so on a loaded machine one increment
// per tick let the epoch fall behind the clock and guests overran their
// deadlines by a third (server's TestHostileTenant: +100 ms on a 300 ms
// deadline); catching up the missed epochs keeps deadlines on time.
func (e *Engine) tick() {
	t := time.NewTicker(epochTick)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			for due := e.epochAt(now); e.epochs.Load() < due; e.epochs.Add(1) {
				e.eng.IncrementEpoch()
			}
		case <-e.stopTicker:
			return
		}
	}
}

// epochAt is the epoch the engine should have reached at t.
func (e *Engine) epochAt(t time.Time) int64 { return int64(t.Sub(e.start) / epochTick) }

// Name implements engine.Engine.
func (e *Engine) Name() string { return Name }

// Compile implements engine.Engine.
func (e *Engine) Compile(_ context.Context, wasm []byte) (engine.Module, error) {
	wasm, reset, err := e.prepare(wasm)
	if err != nil {
		return nil, fmt.Errorf("wasmtime: compile: %w", err)
	}
	m, err := wt.NewModule(e.eng, wasm)
	if err != nil {
		return nil, fmt.Errorf("wasmtime: compile: %w", err)
	}
	return &module{eng: e, m: m, reset: reset}, nil
}

// Close implements engine.Engine. Modules and instances must be closed
// first.
func (e *Engine) Close(context.Context) error {
	e.closeOnce.Do(func() {
		close(e.stopTicker)
		e.ticking.Wait() // the ticker must not touch a closed engine
		e.linker.Close()
		e.eng.Close()
	})
	return nil
}
