package datatests

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// A test whose declaration, template or SQL does not compile is kept as a
// broken test, so that it fails alone: a build reports it, as an error (a
// warning at severity warn), with the node it is declared on, and runs
// everything else.

// Problem is the first error of a broken test, on one line with its
// file:line:col; "" when the test compiled.
func (t *Test) Problem() string {
	for _, d := range t.Broken {
		if d.Severity == hcl.DiagError {
			return models.DiagString(d)
		}
	}
	return ""
}

// brokenGeneric stands for a test declared on n that did not compile: it
// waits for n like the test would, and reports diags when it runs.
func brokenGeneric(n *compiler.Node, decl models.TestDecl, diags hcl.Diagnostics) *Test {
	t := &Test{Name: decl.Name, Kind: decl.Kind, Node: n.ID, Column: decl.Column, Config: decl.TestConfig,
		DeclRange: decl.DeclRange, Broken: errorsOf(diags), DependsOn: []string{n.ID}}
	if t.Name == "" {
		t.Name = joinName(decl.Kind, nodeSchema(n), n.Name, decl.Column)
		t.defaultName, t.key = true, argsKey(decl)
	}
	switch {
	case n.Source != nil:
		t.Sources = []string{n.ID}
	case n.Relation.Name != "":
		t.Requires = []string{n.ID}
	}
	return t
}

// brokenSingular stands for a tests/*.sql file that did not compile. What
// it reads is unknown, so it is reported on its own.
func brokenSingular(st *models.SingularTest, diags hcl.Diagnostics) *Test {
	t := &Test{Name: st.Name, Kind: KindSingular, Config: st.Config, DeclRange: st.DeclRange, Broken: errorsOf(diags)}
	if st.Config.Name != "" {
		t.Name = st.Config.Name
	}
	return t
}

// brokenResult is what running a broken test reports.
func brokenResult(t *Test, res *Result) {
	res.Status, res.Message = StatusError, "does not compile: "+t.Problem()
	if t.Config.Severity == models.SeverityWarn {
		res.Status = StatusWarn
	}
}

// BrokenErrors counts the errors of the suite's broken tests: errors a
// build or weir test isolates rather than stopping on.
func (s *Suite) BrokenErrors() int {
	n := 0
	for _, t := range s.Tests {
		n += len(t.Broken)
	}
	return n
}

// BrokenTests lists the suite's broken tests (none for a nil suite).
func (s *Suite) BrokenTests() []*Test {
	var out []*Test
	if s == nil {
		return nil
	}
	for _, t := range s.Tests {
		if t.Broken != nil {
			out = append(out, t)
		}
	}
	return out
}

func errorsOf(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}
