package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/models"
)

// session is a loaded project with its target, shared by the commands.
type session struct {
	ctx     context.Context // ends at Ctrl-C
	inv     *invocation     // the command line, its streams and environment
	command string          // the command's name: build, query, …
	report  *jsonReport     // keeps the diagnostics of --format json commands
	project *models.Project
	target  *models.Target
	diagOut io.Writer
	format  string // text, json or github, for diagnostics
	// loadDiags are the loader's diagnostics not printed yet.
	loadDiags hcl.Diagnostics
	// suite is the project's tests, compiled with the models.
	suite *datatests.Suite
	// isolate lets a model that does not compile fail alone (build,
	// retry, plan): the rest of the project goes on.
	isolate bool
	// isolateTests lets a data test that does not compile fail alone
	// (weir test); isolate implies it.
	isolateTests bool
	// cache is the owner's cache the session's project came through, nil
	// outside an owner; compiled is the entry it was taken from, or the
	// one its compile fills (ownercache.go).
	cache    *ownerCache
	compiled *compiledProject
}

// targetDir is the project's artifact folder.
func (s *session) targetDir() string { return filepath.Join(s.project.Dir, "target") }

// open finds and loads the project and picks the target. Diagnostics are
// printed; load errors end the command with exit code 2.
func open(g *globals, diagFormat string) (*session, error) {
	dir := g.project
	if dir == "" {
		var err error
		if dir, err = models.FindProject(g.inv.dir); err != nil {
			return nil, &exitError{code: exitUsage, msg: err.Error()}
		}
	}
	p, diags, cached := loadProject(g, dir)
	if g.report != nil {
		diagFormat = "json"
	}
	s := &session{ctx: g.ctx, inv: g.inv, command: g.command, project: p, diagOut: g.inv.stderr, format: diagFormat, report: g.report, compiled: cached}
	if cached != nil {
		s.cache = g.projectCache()
	}
	if s.ctx == nil {
		s.ctx = context.Background()
	}
	if p == nil || configErrors(diags) {
		s.printDiags(diags)
		return nil, &exitError{code: exitUsage, msg: plural(countErrors(diags), "error") + " in the project", invalid: true}
	}
	name := g.target
	if name == "" {
		name = p.DefaultTarget
	}
	t, ok := p.Targets[name]
	if !ok {
		return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("no target %q in %s; declare target %q { adapter = \"duckdb\" } or pick one of %v", name, models.ConfigFile, name, targetNames(p))}
	}
	if t.Diags.HasErrors() {
		s.printDiags(t.Diags)
		return nil, &exitError{code: exitUsage, msg: fmt.Sprintf("%s in target %q", plural(countErrors(t.Diags), "error"), name)}
	}
	if cached != nil {
		t = cached.ownTarget(t) // the session's own: --threads changes it
	}
	s.target = t
	s.loadDiags = diags // reported with the compiler's, so all come at once
	return s, nil
}

// configErrors reports errors in weir.hcl itself, after which nothing
// else can be checked; errors in single model files are reported together
// with the compiler's.
func configErrors(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError && (d.Subject == nil || d.Subject.Filename == models.ConfigFile) {
			return true
		}
	}
	return false
}

func targetNames(p *models.Project) []string {
	var out []string
	for n := range p.Targets {
		out = append(out, n)
	}
	return out
}

// compileOptions are the options of every compile of the session's
// project: the parse cache in target/, and the owner's parser when this
// process owns the warehouse (weir watch), so a compile need not start
// one.
func (s *session) compileOptions(d adapters.Dialect) compiler.Options {
	opts := compiler.Options{Target: s.target, Dialect: d, CacheFile: filepath.Join(s.targetDir(), "cache", "parse.gob")}
	if o := s.inv.owned; o != nil {
		opts.Parser = o.parser(d)
	}
	return opts
}

// compile compiles the project for the session's target and writes the
// artifacts, or takes the compile the owner kept (ownercache.go). Errors
// end the command with exit code 2.
func (s *session) compile(d adapters.Dialect) (*compiler.Result, error) {
	e := s.compiled
	hit := e != nil && e.res != nil && e.res.Dialect.Name() == d.Name()
	var res *compiler.Result
	var diags hcl.Diagnostics
	shared := false // the compile runs on the owner's parser
	if hit {
		res, diags = e.res, e.diags
	} else {
		opts := s.compileOptions(d)
		shared = opts.Parser != nil
		res, diags = compiler.Compile(s.project, opts)
	}
	all := slices.Concat(s.loadDiags, diags)
	s.loadDiags = nil
	s.printDiags(all)
	if models.ProjectErrors(all) != nil || all.HasErrors() && !s.isolate {
		if res != nil && !hit {
			res.Close()
		}
		return nil, &exitError{code: exitUsage, msg: plural(countErrors(all), "error") + "; nothing was built"}
	}
	// Tests are compiled with the models, so every command checks them
	// and the manifest lists them.
	var suite *datatests.Suite
	var testDiags hcl.Diagnostics
	if hit {
		suite, testDiags = e.suite, e.testDiags
	} else {
		suite, testDiags = datatests.Collect(res)
	}
	if err := s.testsOK(suite, testDiags); err != nil {
		return nil, err
	}
	s.suite = suite
	if hit && s.cache.manifestCurrent(e, s.targetDir()) {
		return res, nil
	}
	if !hit {
		res.Tests = suite.ManifestTests()
	}
	if err := res.WriteArtifacts(s.targetDir()); err != nil {
		return nil, fmt.Errorf("writing artifacts: %w", err)
	}
	switch {
	case hit:
		s.cache.manifestWritten(e, s.targetDir())
	case e != nil && shared:
		// Kept for the next commands; closing it is a no-op, as the
		// parser is the owner's.
		s.cache.keep(e, res, diags, suite, testDiags, s.targetDir())
	}
	return res, nil
}

// connect opens the target's warehouse.
func (s *session) connect() (adapters.Adapter, error) { return s.connectWith(adapters.Open) }

// connectExisting opens the target's warehouse to read it, creating
// nothing (no database file).
func (s *session) connectExisting() (adapters.Adapter, error) {
	return s.connectWith(adapters.OpenExisting)
}

// connectWith connects with open; Ctrl-C ends the wait at once.
func (s *session) connectWith(open adapters.Factory) (adapters.Adapter, error) {
	if o := s.inv.owned; o != nil && adapters.FileOf(s.target, s.project.Dir) == o.file {
		return o.adapter(s.inv.who(s.command), s.diagOut), nil
	}
	a, err := await(s.ctx, func() (adapters.Adapter, error) { return open(s.target, s.project.Dir) },
		func(a adapters.Adapter) { a.Close() })
	var ee *exitError
	if errors.As(err, &ee) {
		return nil, err
	}
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: err.Error()}
	}
	return a, nil
}

func countErrors(d hcl.Diagnostics) int {
	n := 0
	for _, x := range d {
		if x.Severity == hcl.DiagError {
			n++
		}
	}
	return n
}
