package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/internal/fswatch"
	"github.com/weir-sh/weir/internal/webserver"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/owner"
)

// watchedDirs are the project folders weir watch watches whole, besides
// weir.hcl and the files the project's models and scripts read.
var watchedDirs = []string{"models", "seeds", "tests", "macros", models.ScriptSchema}

// saveQuiet is how long a folder stays quiet after a change before
// weir watch builds: an editor's save is a burst of events.
const saveQuiet = 40 * time.Millisecond

func newWatchCmd(g *globals) *cobra.Command {
	var (
		f       planFlags
		format  string
		docsCfg webserver.Config
	)
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Build what is stale, then rebuild what each saved file changes, until Ctrl-C",
		Long: `watch builds what is stale on the target, then watches weir.hcl, models/,
seeds/, tests/, macros/ and scripts/, and the files models and scripts
read (a model's FROM 'data/x.csv', a script's command and files, wherever
they are), but never what a build writes (the DuckDB file, its .wal and
.tmp, target/). Each save recompiles the project (the parse
cache makes that quick), plans, and builds and tests what is stale,
printing a compact result with the time from the save to done. A file
that does not compile prints its errors; what was built stays, and fixing
it resumes. Changes made during a build are built next; a change to a
file a node being built reads (its SQL, a script and its files, input
files) restarts the build. A deleted model is dropped from the
target, unless another model still reads it (an error until fixed).

On DuckDB, watch owns the database file: weir query, show, plan, ls,
test, a manual build and the other commands run from another terminal are
sent to it and run there, on committed data, and builds take turns (see
docs/watch.md). Ctrl-C stops it; the statements in flight are canceled.`,
		Example: `  weir watch
  weir watch --select marts.customers+
  weir watch --format json | jq .`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text or json", format)}
			}
			if !cmd.Flags().Changed("docs-port") {
				docsCfg.Port = -1 // no site
			}
			return watch(cmd, g, f, format, docsCfg)
		},
	}
	selectionFlags(cmd, &f.Select, &f.Exclude, "nodes to keep built")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, or json (one event object a line)")
	cmd.Flags().IntVar(&docsCfg.Port, "docs-port", 0, "also serve the docs site (as weir docs serve) on this port, generated again after each build (0 picks a free port)")
	cmd.Flags().StringVar(&docsCfg.Bind, "docs-bind", webserver.DefaultBind, "address the docs site listens on; beyond loopback only with WEIR_SERVE_TOKEN set")
	return cmd
}

// watch owns the warehouse, builds, and rebuilds at each change until
// ctx ends.
func watch(cmd *cobra.Command, g *globals, f planFlags, format string, docsCfg webserver.Config) error {
	ctx := cmd.Context()
	if format == "json" {
		g.report = &jsonReport{} // diagnostics as JSON lines
	}
	s, err := open(g, "text")
	if err != nil {
		return err
	}
	o, err := own(s, "weir watch")
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	view := newWatchView(out, format == "json", g.inv.terminal, g.inv.getenv("NO_COLOR") == "")
	if o != nil {
		g.inv.owned = o
		defer o.close()
		served := make(chan error, 1)
		sctx, stop := context.WithCancel(ctx)
		go func() { served <- o.serve(sctx) }()
		defer func() { stop(); <-served }()
		if format == "text" {
			fmt.Fprintf(out, "Watching %s; weir commands from other terminals on %s run here\n", s.project.Dir, o.file)
		}
	}
	fw, err := fswatch.New(s.project.Dir, []string{models.ConfigFile}, watchedDirs, saveQuiet)
	if err != nil {
		return &exitError{code: exitFailed, msg: "watching the project's files: " + err.Error()}
	}
	defer fw.Close()
	fw.Keep = func(rel string) bool { return projectExts[strings.ToLower(filepath.Ext(rel))] }
	fw.Ignore(buildWrites(s))
	batches := make(chan fswatch.Batch)
	go fw.Run(ctx, batches, nil)

	f.staleOnly = true // --select keeps nodes built; it does not force them
	l := &watchLoop{g: g, cmd: cmd, flags: f, view: view, drops: newDropper(), docsCfg: docsCfg, files: fw, dir: s.project.Dir}
	l.run(ctx, batches)
	if format == "text" {
		fmt.Fprintln(out, "Stopped watching.")
	}
	return &exitError{code: exitInterrupted}
}

// watchLoop builds at each batch of changes, one build at a time.
type watchLoop struct {
	g     *globals
	cmd   *cobra.Command
	flags planFlags
	view  *watchView
	drops *dropper
	// docsCfg is where to serve the docs site (Port -1: nowhere); docs
	// serves it from the end of the first build.
	docsCfg webserver.Config
	docs    *watchDocs
	// files watches the project; each compile tells it the files the
	// models and scripts read.
	files *fswatch.Watcher
	dir   string // the project's folder
}

// run builds what is stale, then again after each batch of changes,
// until ctx ends. Changes during a build are built next; one to a model
// being built cancels the build, which starts again with them.
func (l *watchLoop) run(ctx context.Context, batches <-chan fswatch.Batch) {
	next := &fswatch.Batch{First: time.Now()}
	for {
		if next == nil {
			select {
			case <-ctx.Done():
				return
			case b := <-batches:
				next = &b
			}
		}
		cur := *next
		next = nil
		bctx, cancel := context.WithCancel(ctx)
		restarted := false
		done := make(chan struct{})
		go func() {
			defer close(done)
			l.build(bctx, cur)
		}()
	building:
		for {
			select {
			case <-done:
				break building
			case b := <-batches:
				if next == nil {
					next = &fswatch.Batch{First: b.First}
				}
				next.Paths = union(next.Paths, b.Paths)
				if id := l.view.runningFrom(l.abs(b.Paths)); id != "" {
					l.view.say("restart", id, fmt.Sprintf("%s changed while it was being built: starting again", id))
					restarted = true
					cancel()
				}
			}
		}
		cancel()
		if ctx.Err() != nil {
			return
		}
		if restarted {
			// The build that starts again times from the first save.
			next.Paths, next.First = union(cur.Paths, next.Paths), cur.First
		}
	}
}

// abs makes the paths of a batch absolute (those inside the project are
// relative to it).
func (l *watchLoop) abs(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = filepath.FromSlash(p)
		if !filepath.IsAbs(out[i]) {
			out[i] = filepath.Join(l.dir, out[i])
		}
	}
	return out
}

// build compiles, plans and builds once for a batch of changes.
func (l *watchLoop) build(ctx context.Context, b fswatch.Batch) {
	l.view.begin(b.Paths)
	start := time.Now()
	p, err := makePlan(ctx, l.g, l.flags, true)
	if err != nil {
		if ctx.Err() == nil {
			l.view.problem(errorText(err))
		}
		return
	}
	closed := false
	defer func() {
		if !closed {
			p.close()
		}
	}()
	l.view.nodeFiles(nodeFiles(p.c))
	l.files.Also(watchPaths(p.c, p.s.targetDir()))
	l.drops.note(p.c)
	err = execute(ctx, l.cmd, p, "watch", l.flags, buildOptions{view: l.view}, start)
	if ctx.Err() != nil {
		return // restarted, or stopping
	}
	l.drops.drop(ctx, p, l.view)
	if !l.view.end(b.First) && err != nil {
		l.view.problem(errorText(err))
	}
	p.close() // the build lock too: the site is generated after it
	closed = true
	l.siteAfterBuild()
}

// siteAfterBuild generates the docs site again, and serves it from the
// first build on, when --docs-port asks for it.
func (l *watchLoop) siteAfterBuild() {
	switch {
	case l.docsCfg.Port < 0:
	case l.docs == nil:
		d, err := serveWatchDocs(l.cmd.Context(), l.g, l.docsCfg, l.cmd.OutOrStdout()) // until weir watch stops
		if err != nil {
			l.view.problem("the docs site is not served: " + errorText(err))
			l.docsCfg.Port = -1
			return
		}
		l.docs = d
	default:
		l.docs.refresh(l.view)
	}
}

// errorText is what an error from a build says, for the watcher's line.
func errorText(err error) string {
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg == "" {
			return "build failed"
		}
		return ee.msg
	}
	return err.Error()
}

// union merges two sorted lists of paths.
func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range [][]string{a, b} {
		for _, p := range list {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// projectExts are the files of the folders watched whole a change of
// which matters (others matter when a model or script reads them).
var projectExts = map[string]bool{".sql": true, ".csv": true, ".hcl": true}

// buildWrites are the files and folders a build writes, which weir watch
// never takes for a save, even when a script's files or a model's input
// glob covers them (else each build would start another): target/ and, on
// DuckDB, the warehouse file, its write-ahead log, its folder of temporary
// files and the owner's socket.
func buildWrites(s *session) []string {
	out := []string{s.targetDir()}
	if file := adapters.FileOf(s.target, s.project.Dir); file != "" {
		out = append(out, file, file+".wal", file+".tmp", owner.SocketPath(file))
	}
	return out
}

// watchPaths are the files (folders, globs) the compiled project reads
// besides its own folders (readPaths), less the project folder and those
// holding target/: weir writes there at each build.
func watchPaths(res *compiler.Result, targetDir string) []string {
	return slices.DeleteFunc(readPaths(res), func(p string) bool {
		return holds(p, res.Project.Dir) || holds(p, targetDir)
	})
}

// holds reports whether the folder p is dir or holds it.
func holds(p, dir string) bool {
	return strings.HasPrefix(dir+string(filepath.Separator), p+string(filepath.Separator))
}
