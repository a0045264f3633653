package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/runner"
)

// summaryDiffTarget is the target a build's summary compares the built
// models with: --against, else --defer's; "" for none.
func summaryDiffTarget(o buildOptions, f planFlags) string {
	if o.against != "" {
		return o.against
	}
	return f.Defer
}

// writeSummary writes the markdown report of a build for a pull request's
// comment to o.summary: what was built and why, what was deferred, test
// results, and how the built models differ from the --against (or
// --defer) target. It leaves out durations, so the same build writes the
// same report.
func writeSummary(ctx context.Context, p *planned, o buildOptions, f planFlags, results *runner.Results) error {
	if o.summary == "" {
		return nil
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "## weir build on `%s`\n\n", p.s.target.Name)
	summaryCounts(&b, results)
	summaryNodes(&b, results)
	if len(results.Deferred) > 0 {
		fmt.Fprintf(&b, "\n### Deferred\n\nNot built here and missing from `%s`: read from the target named.\n\n| model | from | relation |\n|---|---|---|\n", p.s.target.Name)
		for _, d := range results.Deferred {
			fmt.Fprintf(&b, "| `%s` | `%s` | `%s` |\n", d.Name, d.Target, d.Relation)
		}
	}
	summaryTests(&b, results)
	if against := summaryDiffTarget(o, f); against != "" {
		var built []string
		for _, r := range byName(results.Results) {
			if r.Status == runner.StatusSuccess {
				built = append(built, r.Name)
			}
		}
		fmt.Fprintf(&b, "\n### Changes against `%s`\n\n", against)
		if len(built) == 0 {
			fmt.Fprintln(&b, "Nothing was built.")
		} else {
			diffs, err := diffModels(ctx, p.s, p.c, p.a, against, built, diffSamples)
			if err != nil {
				return err
			}
			writeDiffsMarkdown(&b, p.s.target.Name, against, diffs)
		}
	}
	if err := os.MkdirAll(filepath.Dir(o.summary), 0o755); err != nil && filepath.Dir(o.summary) != "." {
		return err
	}
	return os.WriteFile(o.summary, b.Bytes(), 0o644)
}

func summaryCounts(w io.Writer, r *runner.Results) {
	c := r.Counts()
	if len(r.Results) == 0 {
		fmt.Fprintln(w, "Nothing to do: everything selected is up to date.")
		return
	}
	fmt.Fprintf(w, "**%d built, %d failed, %d skipped**", c[runner.StatusSuccess], c[runner.StatusError], c[runner.StatusSkipped])
	if len(r.Deferred) > 0 {
		fmt.Fprintf(w, " · %d deferred", len(r.Deferred))
	}
	if ts := nodeTestResults(r); len(ts) > 0 {
		fmt.Fprintf(w, " · %s", testTally(ts))
	}
	fmt.Fprintln(w)
}

func summaryNodes(w io.Writer, r *runner.Results) {
	if len(r.Results) == 0 {
		return
	}
	fmt.Fprint(w, "\n### Built\n\n| node | result | why |\n|---|---|---|\n")
	for _, n := range byName(r.Results) {
		result := statusWord(n.Status)
		switch {
		case n.Status == runner.StatusSuccess && n.Rows >= 0:
			result += fmt.Sprintf(", %d rows", n.Rows)
		case n.Message != "":
			result += ": " + firstLine(n.Message)
		}
		fmt.Fprintf(w, "| `%s` | %s | %s |\n", n.Name, mdEscape(result), mdEscape(n.Reason))
	}
}

func summaryTests(w io.Writer, r *runner.Results) {
	ts := nodeTestResults(&runner.Results{Results: byName(r.Results)})
	if len(ts) == 0 {
		return
	}
	fmt.Fprint(w, "\n### Tests\n\n| test | on | result |\n|---|---|---|\n")
	for _, t := range ts {
		on := t.Node
		if t.Column != "" {
			on += "." + t.Column
		}
		result := t.Status
		if t.Failures > 0 {
			result += fmt.Sprintf(" (%d rows)", t.Failures)
		}
		if t.Message != "" && t.Status != datatests.StatusPass {
			result += ": " + firstLine(t.Message)
		}
		fmt.Fprintf(w, "| `%s` | `%s` | %s |\n", t.Name, on, mdEscape(strings.TrimSpace(result)))
	}
}

// byName orders results by node name: threads finish them in any order,
// and a report must not change with it.
func byName(rs []runner.NodeResult) []runner.NodeResult {
	out := slices.Clone(rs)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
