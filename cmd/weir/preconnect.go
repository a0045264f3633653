package main

import (
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// early is a warehouse file being opened while the project loads: DuckDB
// reads a file's whole catalog when it opens it (about as long as loading
// and compiling 10,000 models), so a build starts opening it as soon as
// weir.hcl names it.
type early struct {
	file string
	done chan conn
	// opened is set once the file is open (or failed to open).
	opened atomic.Bool
}

// conn is the outcome of opening a warehouse.
type conn struct {
	a   adapters.Adapter
	err error
}

// openEarly starts opening the database file of the target the command
// line names, read from weir.hcl alone, when that file exists (a new one
// is cheap to open, and a project that fails to load must create
// nothing); threads, when above 0, replaces the target's (--threads).
// It returns nil when it started nothing: a server warehouse, a
// file this process owns (weir watch), a weir.hcl that does not decode.
func openEarly(g *globals, open adapters.Factory, threads int) *early {
	if g.inv.owned != nil {
		return nil
	}
	dir := g.project
	if dir == "" {
		var err error
		if dir, err = models.FindProject(g.inv.dir); err != nil {
			return nil
		}
	}
	p, diags := models.LoadConfig(dir)
	if p == nil || diags.HasErrors() {
		return nil
	}
	name := g.target
	if name == "" {
		name = p.DefaultTarget
	}
	t, ok := p.Targets[name]
	if !ok || t.Diags.HasErrors() {
		return nil
	}
	file := adapters.FileOf(t, p.Dir)
	if fi, err := os.Stat(file); file == "" || err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	if threads > 0 {
		t.Threads = threads
	}
	e := &early{file: file, done: make(chan conn, 1)}
	e.start(func() (adapters.Adapter, error) { return open(t, p.Dir) })
	return e
}

// start opens the file with open on a goroutine of its own, holding a
// core for it.
func (e *early) start(open func() (adapters.Adapter, error)) {
	release := holdCore()
	go func() {
		a, err := open()
		release()
		e.opened.Store(true)
		e.done <- conn{a, err}
	}()
}

// take returns the early connection when it is to the file of target t
// and it opened; otherwise (another file, an error, which the caller's
// own connect reports) it closes what it opened and returns nil.
func (e *early) take(t *models.Target, projectDir string) adapters.Adapter {
	if e == nil {
		return nil
	}
	c := <-e.done
	if c.err == nil && adapters.FileOf(t, projectDir) == e.file {
		return c.a
	}
	if c.a != nil {
		c.a.Close()
	}
	return nil
}

// opening reports a file still being opened early.
func (e *early) opening() bool { return e != nil && !e.opened.Load() }

// discard closes the early connection once it is open, without waiting.
func (e *early) discard() {
	if e == nil {
		return
	}
	go func() {
		if c := <-e.done; c.a != nil {
			c.a.Close()
		}
	}()
}

// attaching counts the warehouse files this process is opening early.
var attaching struct {
	sync.Mutex
	n int
}

// holdCore keeps one core from Go's scheduler while a DuckDB file opens
// early: its ATTACH reads the catalog on one thread, the longest step of
// a build that finds nothing to do, and the project's load and compile
// beside it would otherwise run on every core, that one included. Go
// gets all its cores back when the last early open ends (release); a
// GOMAXPROCS set by the user is left alone.
func holdCore() (release func()) {
	if os.Getenv("GOMAXPROCS") != "" {
		return func() {}
	}
	attaching.Lock()
	defer attaching.Unlock()
	if attaching.n == 0 {
		n := runtime.GOMAXPROCS(0)
		if n < 2 {
			return func() {}
		}
		runtime.GOMAXPROCS(n - 1)
	}
	attaching.n++
	return func() {
		attaching.Lock()
		defer attaching.Unlock()
		if attaching.n--; attaching.n == 0 {
			runtime.SetDefaultGOMAXPROCS()
		}
	}
}
