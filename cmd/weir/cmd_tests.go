package main

// `weir test`, and the test output shared with build. (The file is not
// cmd_test.go: that name would make it a Go test file.)

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

func newTestCmd(g *globals) *cobra.Command {
	var (
		f       planFlags
		unit    bool
		junit   string
		format  string
		threads int
	)
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Run data tests on what is built, and unit tests on fixed rows",
		Long: `test runs the project's data tests against the relations already in the
target's warehouse (weir build runs them after each model instead), and
its unit tests, which run a model's SQL on the rows they give and need
nothing built. With --select, only the tests of the selected nodes run:
tests declared on them, singular tests reading them, unit tests of them.

A failing test prints a few of its failing rows (a unit test, a diff of
the rows). Results go to target/test_results.json; --junit writes JUnit
XML for CI. Exit code 0 when no test failed (warnings do not count),
1 when one failed or does not compile (the others still run), 2 when the
project, a unit test or a contract does not compile.`,
		Example: `  weir test
  weir test --select staging.orders+
  weir test --unit
  weir test --junit target/junit.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTests(cmd, g, f, unit, junit, format, threads)
		},
	}
	selectionFlags(cmd, &f.Select, &f.Exclude, "nodes whose tests run")
	cmd.Flags().StringVar(&f.Defer, "defer", "", "tests read the models they check against (relationships' to) from `TARGET` where this target lacks them")
	f.stateFlags.register(cmd)
	cmd.Flags().BoolVar(&unit, "unit", false, "run only the unit tests (no data is read)")
	cmd.Flags().StringVar(&junit, "junit", "", "also write the results as JUnit XML to `FILE`")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().IntVar(&threads, "threads", 0, "tests run at once (default: the target's threads)")
	return cmd
}

func runTests(cmd *cobra.Command, g *globals, f planFlags, unitOnly bool, junit, format string, threads int) error {
	if format != "text" && format != "json" {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text or json", format)}
	}
	start := time.Now()
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := open(g, "text")
	if err != nil {
		return err
	}
	s.isolateTests = true // a data test that does not compile fails alone
	c, err := s.compileForTarget()
	if err != nil {
		return err
	}
	defer c.Close()
	suite, err := collectTests(s, c)
	if err != nil {
		return err
	}
	crit, err := s.criteria(f.Select, f.Exclude, f.stateFlags, nil)
	if err != nil {
		return err
	}
	sel, err := planner.ChooseWith(c, crit)
	ids := sel.IDs
	if err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	if ids == nil {
		ids = c.Order
	}
	data, units := suite.Select(ids)
	if unitOnly {
		data = nil
	}
	out := cmd.OutOrStdout()
	if len(data)+len(units) == 0 {
		if format == "json" {
			return encodeJSON(out, []datatests.Result{})
		}
		fmt.Fprintln(out, "No tests to run.")
		return nil
	}
	a, err := s.connect()
	if err != nil {
		return err
	}
	defer a.Close()
	if f.Defer != "" {
		if suite, err = deferTests(ctx, s, c, a, f.Defer, data); err != nil {
			return err
		}
		if data, units = suite.Select(ids); unitOnly {
			data = nil
		}
		if format != "json" {
			printDeferred(out, runner.DeferredNodes(c, f.Defer))
		}
	}
	run, skipped, err := splitUnbuilt(ctx, a, c, data)
	if err != nil {
		return err
	}
	if threads <= 0 {
		threads = s.target.Threads
	}
	quiet := format == "json"
	total, done := len(data)+len(units), 0
	width := len(fmt.Sprint(total))
	show := func(r datatests.Result) {
		if done++; !quiet {
			lead := fmt.Sprintf("%*d/%d ", width, done, total)
			printTestResult(out, r, lead, strings.Repeat(" ", len(lead)+6))
		}
	}
	for _, r := range skipped {
		show(r)
	}
	results := append(append([]datatests.Result(nil), skipped...), suite.RunAll(ctx, a, run, units, threads, show)...)
	if err := writeJSON(filepath.Join(s.targetDir(), "test_results.json"), results); err != nil {
		return err
	}
	if err := writeJUnit(junit, results, start); err != nil {
		return err
	}
	if quiet {
		if err := encodeJSON(out, results); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(out, "\n%s in %.1fs\n", testTally(results), time.Since(start).Seconds())
	}
	switch {
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, msg: "interrupted; queries in flight were canceled"}
	case failedCount(results) > 0:
		return &exitError{code: exitFailed}
	}
	return nil
}

// collectTests compiles the project's tests, printing their diagnostics;
// an error ends the command with exit code 2, unless the session isolates
// failures and every error belongs to a broken data test, which then
// fails alone when it runs. Tests compiled with the
// models (session.compile) are not compiled again.
func collectTests(s *session, c *compiler.Result) (*datatests.Suite, error) {
	if s.suite != nil {
		return s.suite, nil
	}
	suite, diags := datatests.Collect(c)
	if err := s.testsOK(suite, diags); err != nil {
		return nil, err
	}
	return suite, nil
}

// testsOK prints the diagnostics of collecting suite and ends the command
// when they are errors it cannot run with.
func (s *session) testsOK(suite *datatests.Suite, diags hcl.Diagnostics) error {
	s.printDiags(diags)
	if n := countErrors(diags); n > 0 && (!s.isolate && !s.isolateTests || n > suite.BrokenErrors()) {
		return &exitError{code: exitUsage, msg: plural(countErrors(diags), "error") + " in the tests; nothing was run"}
	}
	return nil
}

// splitUnbuilt sets aside the tests that read a relation not in the
// warehouse: they are reported as skipped rather than as SQL errors.
func splitUnbuilt(ctx context.Context, a adapters.Adapter, c *compiler.Result, ts []*datatests.Test) ([]*datatests.Test, []datatests.Result, error) {
	cat, err := runner.ReadCatalog(ctx, a)
	if err != nil || cat == nil {
		return ts, nil, err
	}
	var run []*datatests.Test
	var skipped []datatests.Result
	for _, t := range ts {
		if t.Broken != nil {
			run = append(run, t) // reported as it is, built or not
			continue
		}
		var missing []string
		for _, id := range append(append([]string(nil), t.Requires...), t.Sources...) {
			if n := c.Nodes[id]; !n.Deferred() && !cat.Exists(n) {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			run = append(run, t)
			continue
		}
		skipped = append(skipped, datatests.Result{Name: t.Name, Kind: t.Kind, Node: t.Node, Column: t.Column,
			Status: datatests.StatusSkipped, Severity: t.Config.Severity, File: t.Location(),
			Message: fmt.Sprintf("not run: %s not in the warehouse; run weir build first", strings.Join(missing, ", "))})
	}
	return run, skipped, nil
}

// printTestResult prints one test: a line with its status after lead,
// then, for a test that did not pass, its message and sample rows
// indented by pad.
func printTestResult(w io.Writer, r datatests.Result, lead, pad string) {
	on := r.Node
	if r.Column != "" {
		on += "." + r.Column
	}
	if on != "" {
		on = " (" + on + ")"
	}
	fmt.Fprintf(w, "%s%-5s %s%s %s\n", lead, strings.ToUpper(r.Status), r.Name, on, fmtDuration(r.DurationMS))
	if r.Status == datatests.StatusPass {
		return
	}
	first, rest, _ := strings.Cut(r.Message, "\n")
	msg := first
	if r.File != "" {
		msg += " (" + r.File + ")"
	}
	if rest != "" {
		msg += "\n" + rest
	}
	if r.StoredIn != "" {
		msg += "\nall failing rows: SELECT * FROM " + r.StoredIn
	}
	fmt.Fprintf(w, "%s%s\n", pad, indent(msg, pad))
	if r.Sample != nil {
		more := ""
		if r.Failures > int64(len(r.Sample.Rows)) {
			more = fmt.Sprintf("\n… %d more", r.Failures-int64(len(r.Sample.Rows)))
		}
		fmt.Fprintf(w, "%s%s\n", pad, indent(r.Sample.Table()+more, pad))
	}
}

// printNodeTests prints the tests run with a node in a build: those that
// did not pass in full, the passing ones as a count.
func printNodeTests(w io.Writer, rs []datatests.Result) {
	passed := 0
	for _, r := range rs {
		if r.Status == datatests.StatusPass {
			passed++
			continue
		}
		printTestResult(w, r, "        ", "              ")
	}
	if passed > 0 {
		fmt.Fprintf(w, "        %s passed\n", plural(passed, "test"))
	}
}

// nodeTestResults gathers the test results of a build.
func nodeTestResults(r *runner.Results) []datatests.Result {
	var out []datatests.Result
	for _, n := range r.Results {
		out = append(out, n.Tests...)
	}
	return append(out, r.Tests...)
}

// reportUnowned reports the broken tests no node of the run reported (a
// singular test, whose reads are unknown; a test of a node not built) in
// results, printing them unless quiet: a broken test never passes
// unnoticed.
func reportUnowned(w io.Writer, suite *datatests.Suite, results *runner.Results, quiet bool) {
	seen := map[string]bool{}
	for _, r := range nodeTestResults(results) {
		seen[r.Name] = true
	}
	for _, t := range suite.BrokenTests() {
		if seen[t.Name] {
			continue
		}
		r := suite.Run(context.Background(), nil, t)
		results.Tests = append(results.Tests, r)
		if !quiet {
			printTestResult(w, r, "", "      ")
		}
	}
}

// testTally counts results by status: "12 passed, 1 warned, 2 failed".
func testTally(rs []datatests.Result) string {
	c := map[string]int{}
	for _, r := range rs {
		c[r.Status]++
	}
	parts := []string{fmt.Sprintf("%d passed", c[datatests.StatusPass])}
	for _, s := range []struct{ status, word string }{
		{datatests.StatusWarn, "warned"}, {datatests.StatusFail, "failed"}, {datatests.StatusError, "errored"}, {datatests.StatusSkipped, "skipped"},
	} {
		if c[s.status] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c[s.status], s.word))
		}
	}
	return plural(len(rs), "test") + ": " + strings.Join(parts, ", ")
}

func failedCount(rs []datatests.Result) int {
	n := 0
	for _, r := range rs {
		if r.Failed() {
			n++
		}
	}
	return n
}

// writeJUnit writes results as JUnit XML to path, when path is set.
func writeJUnit(path string, rs []datatests.Result, started time.Time) error {
	if path == "" {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return &exitError{code: exitUsage, msg: "--junit: " + err.Error()}
	}
	if err := datatests.WriteJUnit(f, rs, started); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
