package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/weir-sh/weir/diff"
)

// diffJSON is the --format json shape of weir diff.
type diffJSON struct {
	Target  string         `json:"target"`
	Against string         `json:"against"`
	Models  []*diff.Result `json:"models"`
}

// printDiffs writes the comparisons of target head with target base.
func printDiffs(w io.Writer, head, base string, rs []*diff.Result, format string) error {
	switch format {
	case "json":
		if rs == nil {
			rs = []*diff.Result{}
		}
		return encodeJSON(w, diffJSON{Target: head, Against: base, Models: rs})
	case "markdown":
		writeDiffsMarkdown(w, head, base, rs)
		return nil
	}
	if len(rs) == 0 {
		fmt.Fprintf(w, "No model differs from target %s\n", base)
	}
	for i, r := range rs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeDiffText(w, head, base, r)
	}
	return nil
}

func writeDiffText(w io.Writer, head, base string, r *diff.Result) {
	fmt.Fprintf(w, "%s: %s\n", r.Model, diffHeadline(r, base))
	if r.Status == diff.New || r.Status == diff.Gone {
		return
	}
	for _, line := range columnLines(r, func(s string) string { return s }) {
		fmt.Fprintf(w, "  %s\n", line)
	}
	fmt.Fprintf(w, "  rows: %d in %s, %d in %s\n", r.BaseRows, base, r.HeadRows, head)
	fmt.Fprintf(w, "  %s\n", rowChanges(r))
	if r.Note != "" {
		fmt.Fprintf(w, "  note: %s\n", r.Note)
	}
	for _, t := range sampleTables(r) {
		fmt.Fprintf(w, "  %s:\n", t.title)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "    %s\n", strings.Join(t.Columns, "\t"))
		for _, row := range t.Rows {
			fmt.Fprintf(tw, "    %s\n", strings.Join(cells(row), "\t"))
		}
		tw.Flush()
	}
	if len(r.Samples.Changed) > 0 {
		fmt.Fprintln(w, "  changed, for example:")
		for _, c := range r.Samples.Changed {
			fmt.Fprintf(w, "    %s\n", changedLine(r, c, func(s string) string { return s }))
		}
	}
}

// diffHeadline is a result's status in words.
func diffHeadline(r *diff.Result, base string) string {
	switch r.Status {
	case diff.New:
		return "new: not in target " + base
	case diff.Gone:
		return "not built in this target"
	case diff.Same:
		return "same columns and rows as " + base
	}
	if len(r.Key) > 0 {
		return "changed (rows matched on " + strings.Join(r.Key, ", ") + ")"
	}
	return "changed (whole rows compared)"
}

// columnLines lists the column changes, names passed through code.
func columnLines(r *diff.Result, code func(string) string) []string {
	var out []string
	list := func(cs []diff.Column) string {
		var parts []string
		for _, c := range cs {
			parts = append(parts, code(c.Name)+" "+c.Type)
		}
		return strings.Join(parts, ", ")
	}
	if len(r.ColumnsAdded) > 0 {
		out = append(out, "columns added: "+list(r.ColumnsAdded))
	}
	if len(r.ColumnsRemoved) > 0 {
		out = append(out, "columns removed: "+list(r.ColumnsRemoved))
	}
	if len(r.ColumnsRetyped) > 0 {
		var parts []string
		for _, c := range r.ColumnsRetyped {
			parts = append(parts, fmt.Sprintf("%s %s → %s", code(c.Name), c.Base, c.Head))
		}
		out = append(out, "columns retyped: "+strings.Join(parts, ", "))
	}
	return out
}

// rowChanges counts the rows added, removed and changed.
func rowChanges(r *diff.Result) string {
	s := fmt.Sprintf("rows added: %d, removed: %d", r.RowsAdded, r.RowsRemoved)
	if len(r.Key) > 0 {
		s += fmt.Sprintf(", changed: %d", r.RowsChanged)
	}
	return s
}

type titledTable struct {
	title string
	*diff.Table
}

func sampleTables(r *diff.Result) []titledTable {
	var out []titledTable
	if t := r.Samples.Added; t != nil {
		out = append(out, titledTable{"added, for example", t})
	}
	if t := r.Samples.Removed; t != nil {
		out = append(out, titledTable{"removed, for example", t})
	}
	return out
}

// changedLine is one changed row: its key and each changed column.
func changedLine(r *diff.Result, c diff.ChangedRow, code func(string) string) string {
	var keys, changes []string
	for i, k := range r.Key {
		keys = append(keys, fmt.Sprintf("%s=%s", k, cell(c.Key[i], "", "NULL")))
	}
	for _, ch := range c.Changes {
		changes = append(changes, fmt.Sprintf("%s %s → %s", code(ch.Column), cell(ch.Base, "", "NULL"), cell(ch.Head, "", "NULL")))
	}
	return strings.Join(keys, ", ") + ": " + strings.Join(changes, ", ")
}

func cells(row []any) []string {
	out := make([]string, len(row))
	for i, v := range row {
		out[i] = cell(v, "", "NULL")
	}
	return out
}

// writeDiffsMarkdown writes the comparisons as markdown, for a pull
// request's comment.
func writeDiffsMarkdown(w io.Writer, head, base string, rs []*diff.Result) {
	if len(rs) == 0 {
		fmt.Fprintf(w, "No model differs from `%s`.\n", base)
		return
	}
	fmt.Fprintf(w, "| model | status | rows in `%s` | rows in `%s` | added | removed | changed |\n|---|---|--:|--:|--:|--:|--:|\n", base, head)
	for _, r := range rs {
		if r.Status == diff.New || r.Status == diff.Gone {
			fmt.Fprintf(w, "| `%s` | %s | | | | | |\n", r.Model, diffHeadline(r, base))
			continue
		}
		changed := "–"
		if len(r.Key) > 0 {
			changed = fmt.Sprint(r.RowsChanged)
		}
		fmt.Fprintf(w, "| `%s` | %s | %d | %d | %d | %d | %s |\n", r.Model, r.Status, r.BaseRows, r.HeadRows, r.RowsAdded, r.RowsRemoved, changed)
	}
	code := func(s string) string { return "`" + s + "`" }
	for _, r := range rs {
		if r.Status != diff.Changed {
			continue
		}
		fmt.Fprintf(w, "\n#### `%s`\n\n", r.Model)
		for _, line := range columnLines(r, code) {
			fmt.Fprintf(w, "- %s\n", mdEscape(line))
		}
		fmt.Fprintf(w, "- %s\n", rowChanges(r))
		if r.Note != "" {
			fmt.Fprintf(w, "- note: %s\n", mdEscape(r.Note))
		}
		for _, t := range sampleTables(r) {
			fmt.Fprintf(w, "\n%s:\n\n| %s |\n|%s\n", strings.ToUpper(t.title[:1])+t.title[1:], strings.Join(mdCells(t.Columns), " | "), strings.Repeat("---|", len(t.Columns)))
			for _, row := range t.Rows {
				fmt.Fprintf(w, "| %s |\n", strings.Join(mdCells(cells(row)), " | "))
			}
		}
		if len(r.Samples.Changed) > 0 {
			fmt.Fprint(w, "\nChanged, for example:\n\n")
			for _, c := range r.Samples.Changed {
				fmt.Fprintf(w, "- %s\n", mdEscape(changedLine(r, c, code)))
			}
		}
	}
}

func mdCells(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = mdEscape(s)
	}
	return out
}

// mdEscape keeps a table cell or list item one cell: pipes escaped,
// newlines as spaces.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
