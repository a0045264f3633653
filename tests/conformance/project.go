package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

// Project is a weir project in a folder, built on one of its targets.
// Build runs the real pipeline (models.Load, compiler.Compile, runner.Run)
// and Query reads the result back from the warehouse, on the adapter the
// builds use.
type Project struct {
	Dir string

	t          testing.TB
	targetName string // "" for the project's default target
	threads    int
	adapter    adapters.Adapter
	last       *compiler.Result

	// For a project NewProject writes, what goes in its weir.hcl.
	h      *Harness
	attrs  map[string]string
	config string // extra HCL, after the target
}

// NewProject creates an empty project in a temporary folder whose only
// target is a fresh one of h, with 4 threads. The adapter is closed when
// the test ends.
func NewProject(t testing.TB, h Harness) *Project {
	t.Helper()
	p := &Project{Dir: t.TempDir(), t: t, h: &h, attrs: h.Target(t), threads: 4}
	p.writeConfig()
	t.Cleanup(p.close)
	return p
}

// LoadProject uses the project that exists in dir, built on its target
// named target ("" for the default) with that target's threads. The
// adapter is closed when the test ends.
func LoadProject(t testing.TB, dir, target string) *Project {
	t.Helper()
	p := &Project{Dir: dir, t: t, targetName: target}
	p.threads = p.Target().Threads
	t.Cleanup(p.close)
	return p
}

func (p *Project) close() {
	if p.adapter != nil {
		p.adapter.Close()
	}
}

// SetConfig puts hcl (seed, source or folder blocks, vars) in the weir.hcl
// of a NewProject, after its target, replacing what an earlier call put
// there.
func (p *Project) SetConfig(hcl string) {
	p.config = hcl
	p.writeConfig()
}

func (p *Project) writeConfig() {
	if p.h == nil {
		p.t.Fatal("SetConfig works on a NewProject, not on a loaded one")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "name = \"conformance\"\ndefault_target = \"test\"\n\ntarget \"test\" {\n  adapter = %s\n  threads = %d\n", HCLString(p.h.Adapter), p.threads)
	keys := make([]string, 0, len(p.attrs))
	for k := range p.attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "  %s = %s\n", k, HCLString(p.attrs[k]))
	}
	b.WriteString("}\n\n")
	b.WriteString(p.config)
	p.Write(models.ConfigFile, b.String())
}

// HCLString writes s as an HCL string literal.
func HCLString(s string) string {
	q := strconv.Quote(s)
	return strings.NewReplacer("${", "$${", "%{", "%%{").Replace(q)
}

// Write creates or replaces the file at rel (slash-separated, relative to
// the project folder), creating its folders.
func (p *Project) Write(rel, content string) {
	p.t.Helper()
	path := filepath.Join(p.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// Target is the project's target as weir.hcl declares it.
func (p *Project) Target() *models.Target {
	p.t.Helper()
	return p.target(p.load())
}

func (p *Project) target(proj *models.Project) *models.Target {
	p.t.Helper()
	name := p.targetName
	if name == "" {
		name = proj.DefaultTarget
	}
	t, ok := proj.Targets[name]
	if !ok {
		p.t.Fatalf("no target %q in %s", name, p.Dir)
	}
	return t
}

func (p *Project) load() *models.Project {
	p.t.Helper()
	proj, diags := models.Load(p.Dir)
	if diags.HasErrors() {
		p.t.Fatalf("loading the project: %s", diags.Error())
	}
	return proj
}

// Compile loads and compiles the project, failing the test on any error.
func (p *Project) Compile() *compiler.Result {
	p.t.Helper()
	proj := p.load()
	target := p.target(proj)
	d, err := adapters.DialectOf(target)
	if err != nil {
		p.t.Fatal(err)
	}
	res, diags := compiler.Compile(proj, compiler.Options{Target: target, Dialect: d})
	if diags.HasErrors() {
		p.t.Fatalf("compiling the project: %s", diags.Error())
	}
	p.last = res
	return res
}

// Adapter is the open adapter of the project's target, shared by every
// build and query of the test.
func (p *Project) Adapter() adapters.Adapter {
	p.t.Helper()
	if p.adapter == nil {
		a, err := adapters.Open(p.Target(), p.Dir)
		if err != nil {
			p.t.Fatal(err)
		}
		p.adapter = a
	}
	return p.adapter
}

// Build compiles the project and builds the nodes with the given IDs
// (every node when none are given). It returns what runner.Run returns.
func (p *Project) Build(ctx context.Context, ids ...string) (*runner.Results, error) {
	p.t.Helper()
	return p.BuildWith(ctx, runner.Options{}, ids...)
}

// BuildWith is Build with run options (OnStart, say); Threads and Plan are
// set by the project.
func (p *Project) BuildWith(ctx context.Context, opts runner.Options, ids ...string) (*runner.Results, error) {
	p.t.Helper()
	res := p.Compile()
	opts.Threads = p.threads
	if len(ids) > 0 {
		opts.Plan = planner.Make(planner.Input{Compiled: res, Selected: ids, FullRefresh: true, Now: time.Now()})
	}
	return runner.New(res, p.Adapter()).Run(ctx, opts, nil)
}

// MustBuild is Build that fails the test unless every node succeeded.
func (p *Project) MustBuild(ids ...string) *runner.Results {
	p.t.Helper()
	res, err := p.Build(context.Background(), ids...)
	if err != nil {
		p.t.Fatalf("build: %v", err)
	}
	for _, r := range res.Results {
		if r.Status != runner.StatusSuccess {
			p.t.Fatalf("build: %s %s: %s", r.Name, r.Status, r.Message)
		}
	}
	return res
}

// Result is the outcome of node id in res, failing the test when the run
// did not report it.
func Result(t testing.TB, res *runner.Results, id string) runner.NodeResult {
	t.Helper()
	for _, r := range res.Results {
		if r.Name == id {
			return r
		}
	}
	t.Fatalf("the run did not report %s", id)
	return runner.NodeResult{}
}

// Relation is where node id lives, as of the last compile.
func (p *Project) Relation(id string) adapters.Relation {
	p.t.Helper()
	if p.last == nil {
		p.Compile()
	}
	n, ok := p.last.Nodes[id]
	if !ok {
		p.t.Fatalf("no node %s", id)
	}
	return n.Relation
}

// Rel is node id's relation quoted for the warehouse's SQL.
func (p *Project) Rel(id string) string {
	p.t.Helper()
	return adapters.QuoteRelation(p.Adapter().Dialect(), p.Relation(id))
}

// Ident quotes name as an identifier of the project's warehouse.
func (p *Project) Ident(name string) string {
	return p.Adapter().Dialect().QuoteIdent(name)
}

// Query runs sql on the project's adapter, failing the test on error.
func (p *Project) Query(sql string) *adapters.Rows {
	p.t.Helper()
	rows, err := p.Adapter().Query(context.Background(), sql)
	if err != nil {
		p.t.Fatalf("%s: %v", sql, err)
	}
	return rows
}

// Strings runs sql and returns its rows as canonical strings (see
// Canonical).
func (p *Project) Strings(sql string) [][]string {
	p.t.Helper()
	return Canonical(p.Query(sql))
}

// Relations lists the relations in the warehouse by kind, keyed by
// "schema.name" exactly as the catalog spells them, in the schemas of the
// project's target (those that start with its schema_prefix).
func (p *Project) Relations() map[string]string {
	p.t.Helper()
	cat, ok := p.Adapter().(adapters.Cataloger)
	if !ok {
		p.t.Fatalf("adapter %s has no catalog", p.Adapter().Dialect().Name())
	}
	rels, err := cat.Relations(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	// A server warehouse lists other tests' relations too, and MySQL
	// shows their rebuilds in flight: keep to this project's schemas.
	prefix := p.Target().SchemaPrefix
	out := map[string]string{}
	for _, r := range rels {
		if strings.HasPrefix(r.Schema, prefix) {
			out[r.Schema+"."+r.Name] = r.Kind
		}
	}
	return out
}

// Kind is the kind of relation node id has in the warehouse ("" when it
// has none).
func (p *Project) Kind(id string) string {
	p.t.Helper()
	rel := p.Relation(id)
	return p.Relations()[rel.Schema+"."+rel.Name]
}

// Columns lists the columns of node id's relation with their type
// families (see TypeFamily), as "name:family".
func (p *Project) Columns(id string) []string {
	p.t.Helper()
	cat := p.Adapter().(adapters.Cataloger)
	cols, err := cat.Columns(context.Background(), p.Relation(id))
	if err != nil {
		p.t.Fatal(err)
	}
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name + ":" + TypeFamily(c.Type)
	}
	return out
}

// CheckAllColumns checks that the adapter lists every column in one query
// (adapters.ColumnLister, what the docs site reads) exactly as Columns
// lists the columns of the given nodes' relations.
func (p *Project) CheckAllColumns(ids ...string) {
	p.t.Helper()
	if _, ok := p.Adapter().(adapters.ColumnLister); !ok {
		p.t.Fatalf("adapter %s is no adapters.ColumnLister", p.Adapter().Dialect().Name())
	}
	rels := make([]adapters.Relation, len(ids))
	for i, id := range ids {
		rels[i] = p.Relation(id)
	}
	all, err := adapters.CatalogColumns(context.Background(), p.Adapter(), rels)
	if err != nil {
		p.t.Fatal(err)
	}
	cat := p.Adapter().(adapters.Cataloger)
	for i, rel := range rels {
		want, err := cat.Columns(context.Background(), rel)
		if err != nil {
			p.t.Fatal(err)
		}
		if got := all[rel]; !reflect.DeepEqual(got, want) {
			p.t.Errorf("%s: all columns at once give %v, Columns gives %v", ids[i], got, want)
		}
	}
}

// Exec runs one statement on the project's adapter, failing the test on
// error.
func (p *Project) Exec(sql string) {
	p.t.Helper()
	if _, err := p.Adapter().Exec(context.Background(), sql); err != nil {
		p.t.Fatalf("%s: %v", sql, err)
	}
}
