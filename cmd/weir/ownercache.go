package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/schedule"
)

// ownerCache keeps, in the owner of a warehouse file (weir watch, weir
// serve), what every command it runs would otherwise read again: the
// loaded and compiled project and the state recorded in the file. A
// command takes them from here while nothing they were read from has
// changed since, so a no-op `weir build` sent from another terminal
// neither loads, compiles nor reads the state of 10,000 models.
//
// "Nothing changed" is checked, not assumed: before each use the
// project's files are listed and stat'ed again (their names, sizes,
// times and inodes hashed into a stamp), and so are the warehouse file
// and its write-ahead log, which every commit writes. A stamp is taken
// before what it covers is read, so a change during the read shows as a
// change next time; a file written in the last racyMargin before the
// stamp (when two writes may share one timestamp) makes the entry
// unusable, and the next command reads afresh.
type ownerCache struct {
	mu       sync.Mutex
	compiled []*compiledProject // newest first, at most maxCompiled
	state    *cachedState
}

// maxCompiled is how many compiled projects an owner keeps (one per
// target and environment in use).
const maxCompiled = 2

// racyMargin is how recent a file's time may be for a stamp still to
// stand for its content: a file system's clock ticks coarsely (2 s on
// FAT, 1 s on HFS+), and two writes within one tick can leave the same
// size and time.
const racyMargin = 2 * time.Second

// compileKey says which compile of a project a command needs.
type compileKey struct {
	dir    string // the project folder
	target string // --target ("" for the default); a kept entry's as resolved
	env    string // the command's WEIR_* environment
}

// compiledProject is a loaded and compiled project, as the commands of a
// session use it, and the stamp of the files it was read from.
type compiledProject struct {
	key   compileKey
	files stamp
	// project and its diagnostics from models.Load and schedule.Check.
	project   *models.Project
	loadDiags hcl.Diagnostics
	// res is the compile (its parser is the owner's: closing it is a
	// no-op), diags the compiler's own diagnostics.
	res   *compiler.Result
	diags hcl.Diagnostics
	// suite is the project's tests, testDiags their diagnostics.
	suite     *datatests.Suite
	testDiags hcl.Diagnostics
	// extraPaths are the files outside the project's folders the compile
	// read (readPaths), extra their stamp.
	extraPaths []string
	extra      stamp
	// manifest is the stamp of target/manifest.json as written.
	manifest stamp
}

// cachedState is the recorded state and catalog read for a plan (the
// sources' loaded_at is read every time, by runner.Recorded.Fill: a
// source may be a view of files outside the warehouse).
type cachedState struct {
	file   stamp  // the warehouse file and its log, taken before the read
	prefix string // the state schema's prefix
	rec    *runner.Recorded
}

// projectCache is the cache the session's command may use: the owner's,
// unless the command changes its compiled project (--defer) or exists to
// compile it (weir compile).
func (g *globals) projectCache() *ownerCache {
	o := g.inv.owned
	if o == nil || g.compilesOwn {
		return nil
	}
	return &o.cache
}

// envKey is the part of an environment a cached compile is kept by: the
// WEIR_* variables a command carries to the owner, so that a command
// never takes a compile made under other settings.
func envKey(env []string) string {
	var keep []string
	for _, kv := range env {
		if strings.HasPrefix(kv, "WEIR_") {
			keep = append(keep, kv)
		}
	}
	slices.Sort(keep)
	return strings.Join(keep, "\x00")
}

// loadProject is models.Load and schedule.Check of the project in dir,
// or what the owner kept of them, with their compile, while the project's
// files are as they were then (the entry is returned). Outside an owner,
// or on a miss, it loads; a miss returns the entry the session's compile
// fills and keeps.
func loadProject(g *globals, dir string) (*models.Project, hcl.Diagnostics, *compiledProject) {
	var e *compiledProject
	if c := g.projectCache(); c != nil {
		if abs, err := filepath.Abs(dir); err == nil {
			key := compileKey{dir: abs, target: g.target, env: g.inv.envKey}
			var hit bool
			t0 := time.Now()
			if e, hit = c.lookup(key, g.inv.owned.file); hit {
				tmark("project kept", t0)
				return e.project, e.loadDiags, e
			}
		}
	}
	p, diags := models.Load(dir)
	if p != nil {
		diags = append(diags, schedule.Check(p)...)
	}
	if e != nil {
		e.project, e.loadDiags = p, diags
	}
	return p, diags, e
}

// ownTarget is the session's copy of the project's target t, which the
// session may change (--threads) while other commands use the project.
func (e *compiledProject) ownTarget(t *models.Target) *models.Target {
	own := *t
	return &own
}

// lookup returns the entry for key when the project's files are as they
// were when it was read (hit); on a miss, a new entry with the stamp of
// the files now, taken before the session reads them. skip is the
// warehouse file, which is no file of the project.
func (c *ownerCache) lookup(key compileKey, skip string) (e *compiledProject, hit bool) {
	now := projectStamp(key.dir, skip)
	c.mu.Lock()
	var found *compiledProject
	for _, e := range c.compiled {
		if e.matches(key) && e.files.sum == now.sum {
			found = e
		}
	}
	c.mu.Unlock()
	if found != nil && found.extra.sum == pathStamp(now.taken, found.extraPaths...).sum {
		return found, true
	}
	return &compiledProject{key: key, files: now}, false
}

// matches reports whether e is the compile key asks for. Its key names
// its target as the session resolved it: a key without one asks for the
// project's default target (weir.hcl, which names it, is stamped).
func (e *compiledProject) matches(key compileKey) bool {
	want := key.target
	if want == "" {
		want = e.project.DefaultTarget
	}
	return e.key.dir == key.dir && e.key.env == key.env && e.key.target == want
}

// keep fills e with the session's compile and keeps it, newest first,
// dropping the oldest entry beyond maxCompiled and any other of the same
// key. It stamps the files outside the project's folders the compile
// read (a model's input files, a script's) as of the project's stamp, so
// one written during the compile makes the entry unusable.
func (c *ownerCache) keep(e *compiledProject, res *compiler.Result, diags hcl.Diagnostics, suite *datatests.Suite, testDiags hcl.Diagnostics, targetDir string) {
	e.key.target = res.Target.Name
	e.res, e.diags, e.suite, e.testDiags = res, diags, suite, testDiags
	e.extraPaths = readPaths(res)
	e.extra = pathStamp(e.files.taken, e.extraPaths...)
	e.manifest = pathStamp(time.Now(), filepath.Join(targetDir, "manifest.json"))
	if !e.files.usable() || !e.extra.usable() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := []*compiledProject{e}
	for _, old := range c.compiled {
		if old.key != e.key && len(out) < maxCompiled {
			out = append(out, old)
		}
	}
	c.compiled = out
}

// readPaths are the paths a compile read besides the project's own
// folders: each model's input files (a glob as it is written) and each
// script's files and the arguments of its command that may name one.
func readPaths(res *compiler.Result) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range res.Nodes {
		for _, p := range nodeReads(n, res.Project.Dir) {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	slices.Sort(out)
	return out
}

// nodeReads are the paths node n reads besides its own file, absolute
// (dir is the project's folder): a model's input files, a script's files
// and the arguments of its command that may name one.
func nodeReads(n *compiler.Node, dir string) []string {
	var out []string
	add := func(p string) {
		if p == "" || strings.HasPrefix(p, "-") || strings.Contains(p, "://") {
			return
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		out = append(out, p)
	}
	for _, in := range n.Inputs {
		add(in)
	}
	if sc := n.Script; sc != nil {
		for _, f := range sc.Files {
			add(f)
		}
		for _, arg := range sc.Command {
			add(arg)
		}
	}
	return out
}

// manifestCurrent reports whether target/manifest.json in dir is as e's
// compile wrote it (a cached compile need not write it again).
func (c *ownerCache) manifestCurrent(e *compiledProject, dir string) bool {
	now := pathStamp(time.Now(), filepath.Join(dir, "manifest.json"))
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.manifest.sum == now.sum
}

// manifestWritten notes that a command wrote e's manifest again.
func (c *ownerCache) manifestWritten(e *compiledProject, dir string) {
	now := pathStamp(time.Now(), filepath.Join(dir, "manifest.json"))
	c.mu.Lock()
	defer c.mu.Unlock()
	e.manifest = now
}

// readRecorded is runner.ReadRecorded through the owner's cache of the
// state and catalog of file: what it read last, when nothing was written
// to file since.
func (c *ownerCache) readRecorded(ctx context.Context, file string, p *planned) (*runner.Recorded, error) {
	prefix := p.s.target.SchemaPrefix
	now := pathStamp(time.Now(), file, file+".wal")
	c.mu.Lock()
	hit := c.state
	c.mu.Unlock()
	if hit != nil && hit.prefix == prefix && hit.file.sum == now.sum {
		tmark("state kept", time.Now())
		return hit.rec, nil
	}
	rec, err := runner.ReadRecorded(ctx, p.a, p.store)
	if err == nil && now.usable() {
		c.mu.Lock()
		c.state = &cachedState{file: now, prefix: prefix, rec: rec}
		c.mu.Unlock()
	}
	return rec, err
}

// readRecorded reads the recorded state and the catalog, through the
// owner's cache when the session has one and its target is the owned
// file.
func (p *planned) readRecorded(ctx context.Context) (*runner.Recorded, error) {
	if c := p.s.cache; c != nil && adapters.FileOf(p.s.target, p.s.project.Dir) == p.s.inv.owned.file {
		return c.readRecorded(ctx, p.s.inv.owned.file, p)
	}
	return runner.ReadRecorded(ctx, p.a, p.store)
}

// stamp identifies the state of some files: a hash of each one's name,
// size, times and inode, and the newest of their times.
type stamp struct {
	sum    [sha256.Size]byte
	taken  time.Time // just before the files were listed
	newest time.Time // the newest modification or change among them
	failed bool      // a folder could not be listed
}

// usable reports whether the stamp stands for the content of its files:
// all were listed, and none was written within racyMargin of the stamp.
func (s stamp) usable() bool {
	return !s.failed && !s.taken.IsZero() && s.newest.Before(s.taken.Add(-racyMargin))
}

// stamper hashes files into a stamp.
type stamper struct {
	h      hash.Hash
	newest time.Time
	failed bool
	buf    []byte
}

func newStamper() *stamper { return &stamper{h: sha256.New()} }

// fileStat is what a stamp keeps of a file: the times are those of the
// file system, the change time where there is one (it cannot be set
// back, as a modification time can: tar, rsync -a).
type fileStat struct {
	size, mtime, ctime int64 // times in ns
	mode               uint32
	ino                uint64
	dir, missing       bool
}

// entry is one name in a folder and what it is.
type entry struct {
	name string
	fileStat
}

// file adds the file named rel (missing ones too).
func (st *stamper) file(rel string, fs fileStat) {
	st.buf = append(st.buf[:0], rel...)
	st.buf = append(st.buf, 0)
	switch {
	case fs.missing:
		st.buf = append(st.buf, '-')
	case fs.dir:
		// A folder adds its name alone: its times change with files the
		// owner writes beside the project's (a log, a socket).
		st.buf = append(st.buf, '/')
	default:
		st.buf = binary.LittleEndian.AppendUint64(st.buf, uint64(fs.size))
		st.buf = binary.LittleEndian.AppendUint64(st.buf, uint64(fs.mode))
		st.buf = binary.LittleEndian.AppendUint64(st.buf, uint64(fs.mtime))
		st.buf = binary.LittleEndian.AppendUint64(st.buf, uint64(fs.ctime))
		st.buf = binary.LittleEndian.AppendUint64(st.buf, fs.ino)
		st.newest = latest(st.newest, time.Unix(0, fs.mtime), time.Unix(0, fs.ctime))
	}
	st.h.Write(st.buf)
}

// path adds a file or, for a folder, its tree, or notes it missing.
func (st *stamper) path(full, rel string) {
	fi, err := os.Stat(full)
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
		st.file(rel, fileStat{missing: true})
	case err != nil:
		st.failed = true
	case fi.IsDir():
		st.tree(full, rel, skipNone)
	default:
		st.file(rel, statOf(fi))
	}
}

// skipper tells the paths a stamp leaves out of a folder's tree: the
// artifacts in target/ and the warehouse file with its log, socket and
// spill folder (paths that start with file).
type skipper struct {
	target string // the target folder's path, "" for none
	file   string
}

var skipNone = skipper{}

// skips reports whether the entry name of folder dir is left out.
func (sk skipper) skips(dir, name string) bool {
	switch {
	case sk.target != "" && len(sk.target) == len(dir)+1+len(name) && strings.HasPrefix(sk.target, dir) && strings.HasSuffix(sk.target, name) && sk.target[len(dir)] == filepath.Separator:
		return true
	case sk.file != "" && filepath.Dir(sk.file) == dir && strings.HasPrefix(name, filepath.Base(sk.file)):
		return true
	}
	return false
}

// tree adds the files under the folder full (named rel), following no
// links to folders, leaving out hidden folders and what skip skips. The
// folders are listed in parallel (the owner's CPU is its own while a
// client waits) and hashed in order.
func (st *stamper) tree(full, rel string, skip skipper) {
	type listing struct {
		rel     string
		entries []entry
		err     error
	}
	var (
		mu    sync.Mutex
		found []listing
		wg    sync.WaitGroup
		slots = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	var visit func(full, rel string)
	visit = func(full, rel string) {
		defer wg.Done()
		slots <- struct{}{}
		entries, err := readDirStat(full)
		<-slots
		kept := entries[:0]
		for _, e := range entries {
			if skip.skips(full, e.name) || e.dir && strings.HasPrefix(e.name, ".") {
				continue
			}
			kept = append(kept, e)
			if e.dir {
				wg.Add(1)
				go visit(full+string(filepath.Separator)+e.name, rel+"/"+e.name)
			}
		}
		mu.Lock()
		found = append(found, listing{rel, kept, err})
		mu.Unlock()
	}
	wg.Add(1)
	visit(full, rel)
	wg.Wait()
	slices.SortFunc(found, func(a, b listing) int { return strings.Compare(a.rel, b.rel) })
	for _, l := range found {
		if l.err != nil {
			st.failed = true
		}
		st.file(l.rel, fileStat{dir: true})
		for _, e := range l.entries {
			st.file(l.rel+"/"+e.name, e.fileStat)
		}
	}
}

func (st *stamper) done(taken time.Time) stamp {
	s := stamp{taken: taken, newest: st.newest, failed: st.failed}
	st.h.Sum(s.sum[:0])
	return s
}

// projectStamp stamps every file of the project folder dir that a load
// or compile may read: all of them but those in hidden folders (.git),
// the artifacts in target/ and the paths starting with file (the
// warehouse file, its log, socket and spill folder).
func projectStamp(dir, file string) stamp {
	taken := time.Now()
	st := newStamper()
	st.tree(dir, "", skipper{target: filepath.Join(dir, "target"), file: file})
	return st.done(taken)
}

// pathStamp stamps the files at paths (missing ones, folders whole, and
// what a glob matches) as of taken.
func pathStamp(taken time.Time, paths ...string) stamp {
	st := newStamper()
	for _, p := range paths {
		if strings.ContainsAny(p, "*?[") {
			matches, _ := filepath.Glob(p)
			st.file(p+"\x00"+strings.Join(matches, "\x00"), fileStat{missing: true})
			for _, m := range matches {
				st.path(m, m)
			}
			continue
		}
		st.path(p, p)
	}
	return st.done(taken)
}

func latest(ts ...time.Time) time.Time {
	var out time.Time
	for _, t := range ts {
		if t.After(out) {
			out = t
		}
	}
	return out
}
