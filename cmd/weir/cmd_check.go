package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

func newCheckCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate the whole project for CI: every problem at once, exit 1 when there is one",
		Long: `check compiles every model and test and reports every problem at once:
SQL that does not parse, tables read that are neither models, seeds nor
declared sources, dependency cycles, templates and configs in error, tests
that do not compile. When the target's warehouse exists, it also checks
that data tests name columns the tested relation has and that declared
sources are there; otherwise that check is skipped with a note.

It builds nothing and writes nothing to the warehouse. Exit code 0 when
there is no error (warnings do not count), 1 when there is one, 2 for bad
usage. --format github prints one annotation a problem
(::error file=models/x.sql,line=4,col=6::Summary: detail), with paths
relative to the repository when GITHUB_WORKSPACE is set.`,
		Example: `  weir check
  weir check --format github    # annotations on the pull request
  weir check --format json | jq '.diagnostics[]'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, g, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, json or github")
	return cmd
}

// checkReport is weir check's --format json document.
type checkReport struct {
	OK          bool       `json:"ok"`
	Errors      int        `json:"errors"`
	Warnings    int        `json:"warnings"`
	Notes       []string   `json:"notes"`
	Diagnostics []jsonDiag `json:"diagnostics"`
}

func runCheck(cmd *cobra.Command, g *globals, format string) error {
	switch format {
	case "text", "json", "github":
	default:
		return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text, json or github", format)}
	}
	s, err := open(g, format)
	if err != nil {
		return checkLoadFailed(err)
	}
	if format == "json" {
		if s.report == nil {
			s.report = &jsonReport{}
		}
		s.diagOut = io.Discard // the diagnostics go into the document
	}
	diags, notes := checkProject(s)
	s.printDiags(diags)
	errs := countErrors(diags)
	warns := len(diags) - errs
	out := cmd.OutOrStdout()
	switch format {
	case "json":
		if err := encodeJSON(out, checkReport{OK: errs == 0, Errors: errs, Warnings: warns, Notes: append([]string{}, notes...), Diagnostics: append([]jsonDiag{}, s.report.diags...)}); err != nil {
			return err
		}
	default:
		for _, n := range notes {
			fmt.Fprintln(out, "Note:", n)
		}
		fmt.Fprintf(out, "%s, %s in %s\n", plural(errs, "error"), plural(warns, "warning"), plural(len(s.project.Models)+len(s.project.Seeds)+len(s.project.Sources), "node"))
	}
	if errs > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// checkLoadFailed turns a project that does not load (errors in
// weir.hcl, printed already) into exit 1: for check that is a problem
// found, not bad usage.
func checkLoadFailed(err error) error {
	if ee, ok := err.(*exitError); ok && ee.invalid {
		return &exitError{code: exitFailed, msg: ee.msg}
	}
	return err
}

// checkProject compiles the project and its tests and checks them
// against the target's catalog where the warehouse exists. It returns
// every diagnostic, each once, and notes on what was not checked.
func checkProject(s *session) (hcl.Diagnostics, []string) {
	d, err := adapters.DialectOf(s.target)
	if err != nil {
		return append(s.loadDiags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown adapter", Detail: err.Error(), Subject: s.target.DeclRange.Ptr()}), nil
	}
	res, diags := compiler.Compile(s.project, s.compileOptions(d))
	all := diagSet{}
	all.add(s.loadDiags)
	all.add(diags)
	s.loadDiags = nil
	if res == nil {
		return all.list, nil
	}
	defer res.Close()
	for _, id := range res.Order {
		all.add(res.Nodes[id].Diags) // a model that failed alone keeps its own
	}
	_, tdiags := datatests.Collect(res)
	all.add(tdiags)
	all.add(checkSelectors(s.project, res))
	cdiags, notes := checkCatalog(s, res)
	all.add(cdiags)
	return all.list, notes
}

// checkSelectors evaluates every selector block of weir.hcl, so a typo
// in one fails CI rather than the nightly job.
func checkSelectors(p *models.Project, res *compiler.Result) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, name := range slices.Sorted(maps.Keys(p.Selectors)) {
		sel := p.Selectors[name]
		if err := planner.CheckSelector(res, sel); err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Selector " + name + " selects nothing valid",
				Detail: strings.NewReplacer("--select", "select", "--exclude", "exclude").Replace(err.Error()) + ".", Subject: sel.DeclRange.Ptr(),
			})
		}
	}
	return diags
}

// diagSet collects diagnostics, each once (a node's own diagnostics are
// also among the compiler's).
type diagSet struct {
	list hcl.Diagnostics
	seen map[string]bool
}

func (d *diagSet) add(diags hcl.Diagnostics) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	for _, x := range diags {
		if key := models.DiagString(x); !d.seen[key] {
			d.seen[key] = true
			d.list = append(d.list, x)
		}
	}
}

// checkCatalog checks data tests' columns and declared sources against
// the target's warehouse, when it exists.
func checkCatalog(s *session, res *compiler.Result) (hcl.Diagnostics, []string) {
	a, err := s.connectExisting()
	if err != nil {
		return nil, []string{fmt.Sprintf("the warehouse of target %s is not reachable (%s); test columns and sources were not checked against it", s.target.Name, adapters.RedactText(err.Error()))}
	}
	defer a.Close()
	cat, err := runner.ReadCatalog(s.ctx, a)
	lister, ok := a.(adapters.Cataloger)
	if err != nil || cat == nil || !ok {
		return nil, []string{fmt.Sprintf("the catalog of target %s could not be read; test columns and sources were not checked", s.target.Name)}
	}
	if len(cat) == 0 {
		return nil, []string{fmt.Sprintf("the warehouse of target %s holds no relations yet (not built); test columns and sources were not checked against it", s.target.Name)}
	}
	var diags hcl.Diagnostics
	if tc, ok := a.(adapters.TargetChecker); ok {
		diags = tc.CheckTarget(s.ctx, s.target)
	}
	for _, src := range s.project.Sources {
		if n := res.Nodes[src.ID()]; n != nil && !cat.Exists(n) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning, Summary: "Source not in the warehouse",
				Detail:  fmt.Sprintf("Source %s is declared, but %s is not in the warehouse of target %s; load it, or fix its schema or identifier.", n.ID, n.Relation, s.target.Name),
				Subject: src.DeclRange.Ptr(),
			})
		}
	}
	cols := columnCache{ctx: s.ctx, lister: lister, cols: map[string][]string{}}
	unbuilt := 0
	for _, id := range slices.Sorted(maps.Keys(res.Nodes)) {
		n := res.Nodes[id]
		tested := testedColumns(n)
		if len(tested) == 0 || n.Relation.Name == "" {
			continue
		}
		if !cat.Exists(n) {
			unbuilt += len(tested)
			continue
		}
		have, err := cols.of(n.Relation)
		if err != nil {
			continue
		}
		for _, col := range tested {
			if !slices.ContainsFunc(have, func(c string) bool { return strings.EqualFold(c, col.Name) }) {
				diags = append(diags, unknownColumn(n, col, have, s.target.Name))
			}
		}
	}
	var notes []string
	if unbuilt > 0 {
		notes = append(notes, fmt.Sprintf("%d column test(s) not checked: what they test is not built on target %s yet", unbuilt, s.target.Name))
	}
	return diags, notes
}

// testedColumns are the columns of a node that carry data tests.
func testedColumns(n *compiler.Node) []models.Column {
	var out []models.Column
	for _, c := range n.Columns() {
		if len(c.Tests) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// unknownColumn reports a tested column the relation does not have.
func unknownColumn(n *compiler.Node, col models.Column, have []string, target string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError, Summary: "Unknown column " + col.Name,
		Detail: fmt.Sprintf("%s declares tests on column %s, which %s does not have on target %s (its columns: %s). Fix the column name.",
			n.ID, col.Name, n.Relation, target, strings.Join(have, ", ")),
		Subject: col.DeclRange.Ptr(),
	}
}

// columnCache reads each relation's columns once.
type columnCache struct {
	ctx    context.Context
	lister adapters.Cataloger
	cols   map[string][]string
}

func (c *columnCache) of(rel adapters.Relation) ([]string, error) {
	key := rel.String()
	if cols, ok := c.cols[key]; ok {
		return cols, nil
	}
	info, err := c.lister.Columns(c.ctx, rel)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, ci := range info {
		names = append(names, ci.Name)
	}
	c.cols[key] = names
	return names, nil
}
