package datatests

import (
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// Suite is every test of a compiled project, ready to run.
type Suite struct {
	// Tests are the data tests, generic and singular, sorted by name.
	Tests []*Test
	// Units are the unit tests, sorted by name.
	Units []*Unit

	c      *compiler.Result
	stores storeSchemas
}

// Collect compiles every test of the project c was compiled from: the
// generic tests declared on models, seeds and sources, the singular tests
// in tests/*.sql and the unit tests in tests/unit/*.hcl. It reports every
// problem at once, each at the declaration it comes from. A data test that
// does not compile is kept in Tests as a broken test (Test.Broken).
func Collect(c *compiler.Result) (*Suite, hcl.Diagnostics) {
	s := &Suite{c: c}
	custom := map[string]*models.GenericTestDef{}
	for _, g := range c.Project.GenericTests {
		custom[g.Name] = g
	}
	var diags hcl.Diagnostics
	var jobs []func() (*Test, hcl.Diagnostics)
	for _, n := range c.Sorted() {
		for _, decl := range declarations(n) {
			jobs = append(jobs, func() (*Test, hcl.Diagnostics) {
				t, d := s.generic(n, decl, custom)
				if t == nil && d.HasErrors() {
					t = brokenGeneric(n, decl, d)
				}
				return t, d
			})
		}
		if n.Model != nil && n.Model.Config.Contract {
			diags = append(diags, checkContractDecl(n.Model)...)
		}
	}
	for _, st := range c.Project.SingularTests {
		jobs = append(jobs, func() (*Test, hcl.Diagnostics) {
			t, d := s.singular(st)
			if t == nil && d.HasErrors() {
				t = brokenSingular(st, d)
			}
			return t, d
		})
	}
	tests, d := compileAll(jobs)
	s.Tests, diags = tests, append(diags, d...)
	for _, u := range c.Project.UnitTests {
		ut, d := s.unit(u)
		diags = append(diags, d...)
		if ut != nil {
			s.Units = append(s.Units, ut)
		}
	}
	s.disambiguate()
	diags = append(diags, s.checkNames()...)
	sort.Slice(s.Tests, func(i, j int) bool { return s.Tests[i].Name < s.Tests[j].Name })
	sort.Slice(s.Units, func(i, j int) bool { return s.Units[i].Name < s.Units[j].Name })
	return s, diags
}

// compileAll runs the compile jobs on every CPU (each parses SQL, which
// is most of the time) and returns the tests and diagnostics in job order.
func compileAll(jobs []func() (*Test, hcl.Diagnostics)) ([]*Test, hcl.Diagnostics) {
	type out struct {
		t *Test
		d hcl.Diagnostics
	}
	outs := make([]out, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.NumCPU(), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				outs[i].t, outs[i].d = jobs[i]()
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	var tests []*Test
	var diags hcl.Diagnostics
	for _, o := range outs {
		diags = append(diags, o.d...)
		if o.t != nil {
			tests = append(tests, o.t)
		}
	}
	return tests, diags
}

// declarations lists the generic tests declared on n: its own, then its
// columns'.
func declarations(n *compiler.Node) []models.TestDecl {
	var own []models.TestDecl
	var cols []models.Column
	switch {
	case n.Model != nil:
		own, cols = n.Model.Config.Tests, n.Model.Config.Columns
	case n.Seed != nil:
		own, cols = n.Seed.Tests, n.Seed.Columns
	case n.Source != nil:
		own, cols = n.Source.Tests, n.Source.Columns
	}
	out := append([]models.TestDecl(nil), own...)
	for _, c := range cols {
		out = append(out, c.Tests...)
	}
	return out
}

// finish fills a compiled test's dependencies from its compiled SQL and
// its where filter.
func (s *Suite) finish(t *Test, q *compiler.Node, f filter) {
	deps := map[string]bool{}
	for _, id := range append(append([]string(nil), q.DependsOn...), f.deps...) {
		deps[id] = true
	}
	t.SQL, t.DependsOn = q.SQL, sortedSet(deps)
	req, src := map[string]bool{}, map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		n := s.c.Nodes[id]
		switch {
		case n.Source != nil:
			src[id] = true
		case n.Materialized == models.MatEphemeral:
			for _, p := range n.DependsOn {
				visit(p)
			}
		default:
			req[id] = true
		}
	}
	for _, id := range t.DependsOn {
		visit(id)
	}
	t.Requires, t.Sources = sortedSet(req), sortedSet(src)
}

// disambiguate appends a hash of the arguments to default names that
// several tests share (two expression tests on one model, say).
func (s *Suite) disambiguate() {
	count := map[string]int{}
	for _, t := range s.Tests {
		count[t.Name]++
	}
	for _, t := range s.Tests {
		if t.defaultName && count[t.Name] > 1 {
			t.Name += "_" + hash8(t.key)
		}
	}
}

// checkNames reports two tests with one name: their failures would be
// stored in one table and their results mixed up.
func (s *Suite) checkNames() hcl.Diagnostics {
	seen := map[string]hcl.Range{}
	var diags hcl.Diagnostics
	check := func(name string, rng hcl.Range) {
		if prev, dup := seen[name]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Duplicate test name " + name,
				Detail:  fmt.Sprintf("Another test, at %s, has this name; give one of them name = \"…\".", where(prev)),
				Subject: rng.Ptr()})
			return
		}
		seen[name] = rng
	}
	for _, t := range s.Tests {
		check(t.Name, t.DeclRange)
	}
	for _, u := range s.Units {
		check(u.Name, u.Decl.DeclRange)
	}
	return diags
}

// logical is how SQL written by weir refers to n so that the compiler
// resolves it: its schema and name, quoted.
func (s *Suite) logical(n *compiler.Node) string {
	return s.c.Dialect.QuoteIdent(nodeSchema(n)) + "." + s.c.Dialect.QuoteIdent(n.Name)
}

// filter is a test's where, compiled for each table it filters: every
// reference to such a table becomes (SELECT * FROM … WHERE …), whose own
// references are rewritten too and are dependencies of the test.
type filter struct {
	subst map[string]string
	deps  []string
}

// whereFilter compiles where for the nodes in ids; its diagnostics point
// at rng, the where setting.
func (s *Suite) whereFilter(where string, rng hcl.Range, ids []string) (filter, hcl.Diagnostics) {
	var f filter
	if where == "" {
		return f, nil
	}
	f.subst = map[string]string{}
	var diags hcl.Diagnostics
	for _, id := range ids {
		n := s.c.Nodes[id]
		if n.Relation.Name == "" {
			continue // ephemeral: no table to filter
		}
		sql := fmt.Sprintf("SELECT * FROM %s WHERE %s", s.logical(n), where)
		m := &models.Model{Schema: "test", Name: "where", Path: rng.Filename, Body: sql, BodyStart: hcl.InitialPos}
		q, d := s.c.CompileSQL(m, compiler.SQLOptions{ID: "where of a test on " + id})
		for _, x := range d {
			x.Subject = rng.Ptr()
			x.Detail += "\nwhere filters the tested rows as: " + sql
		}
		diags = append(diags, d...)
		if q != nil {
			f.subst[id] = "(" + q.SQL + ")"
			f.deps = append(f.deps, q.DependsOn...)
		}
	}
	return f, diags
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ManifestTests describes the suite's data tests for manifest.json.
func (s *Suite) ManifestTests() []compiler.ManifestTest {
	out := make([]compiler.ManifestTest, 0, len(s.Tests))
	for _, t := range s.Tests {
		sev := t.Config.Severity
		if sev == "" {
			sev = "error"
		}
		out = append(out, compiler.ManifestTest{
			Name: t.Name, Kind: t.Kind, Node: t.Node, Column: t.Column, Severity: sev,
			DependsOn: append([]string{}, t.DependsOn...), Path: t.Location(),
		})
	}
	return out
}
