package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/compiler/lineage"
)

func newLineageCmd(g *globals) *cobra.Command {
	var (
		format     string
		depth      int
		downstream bool
	)
	cmd := &cobra.Command{
		Use:   "lineage MODEL.COLUMN",
		Short: "Print the columns a column is computed from, down to seeds and sources",
		Long: `lineage prints the upstream columns a model's column is computed from,
transitively down to seeds and sources, one schema.table.column a line,
nearest first. Names are the project's (staging.orders), not the physical
ones a target's schema_prefix gives. With --downstream it prints the
columns computed from it instead: what a change to it can affect.

Sources' columns come from the warehouse when it exists, else from the
columns declared in weir.hcl. --format json adds each edge's kind
(direct, transform, aggregate, window) and depth.`,
		Example: `  weir lineage marts.customers.lifetime_value
  weir lineage staging.orders.status --downstream
  weir lineage marts.daily_revenue.revenue --depth 1 --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("--format %s: give text or json", format)}
			}
			s, res, err := compileProject(g, "text")
			if err != nil {
				return err
			}
			defer res.Close()
			n, col, err := lineageTarget(res, args[0])
			if err != nil {
				return err
			}
			t0 := time.Now()
			lg, diags := s.lineage(res)
			tmark("lineage", t0)
			if diags.HasErrors() {
				s.printDiags(diags)
				return &exitError{code: exitFailed}
			}
			return printLineage(cmd, lg, n, col, depth, downstream, format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().IntVar(&depth, "depth", 0, "stop after this many steps (0: no limit)")
	cmd.Flags().BoolVar(&downstream, "downstream", false, "print the columns computed from it instead")
	return cmd
}

// lineageTarget splits MODEL.COLUMN at the last dot after which the
// rest is a column (a column's name may hold dots: max(o.id)) and finds
// the model.
func lineageTarget(res *compiler.Result, arg string) (*compiler.Node, string, error) {
	if n, _ := res.Lookup(arg, "weir lineage", hcl.Range{}); n != nil || !strings.Contains(strings.Trim(arg, "."), ".") {
		return nil, "", &exitError{code: exitUsage, msg: fmt.Sprintf("%q: give a model and a column, like marts.customers.customer_id", arg)}
	}
	for i := strings.LastIndexByte(arg, '.'); i > 0; i = strings.LastIndexByte(arg[:i], '.') {
		if n, _ := res.Lookup(arg[:i], "weir lineage", hcl.Range{}); n != nil && i < len(arg)-1 {
			return n, arg[i+1:], nil
		}
	}
	i := strings.LastIndexByte(arg, '.')
	_, bad := res.Lookup(arg[:i], "weir lineage", hcl.Range{})
	return nil, "", &exitError{code: exitUsage, msg: bad.Summary + ": " + bad.Detail}
}

// lineage works out the project's column lineage with the columns of
// its sources from the warehouse, when it exists (else lineage uses those
// weir.hcl declares), and of the models whose lineage is unknown, so that
// a * over them still expands.
func (s *session) lineage(res *compiler.Result) (*lineage.Graph, hcl.Diagnostics) {
	opts := lineage.Options{Catalog: lineage.Catalog{}, CacheFile: filepath.Join(s.targetDir(), "cache", "lineage.gob")}
	var cat adapters.Cataloger
	// Through the owner of the DuckDB file when one runs (weir watch);
	// no warehouse yet is no catalog.
	if a, err := s.connectExisting(); err == nil {
		defer a.Close()
		cat, _ = a.(adapters.Cataloger)
	}
	var sources []*compiler.Node
	for _, n := range res.Sorted() {
		if n.Source != nil {
			sources = append(sources, n)
		}
	}
	s.readColumns(cat, sources, opts.Catalog)
	g, diags := lineage.Analyze(s.ctx, res, opts)
	if g == nil || cat == nil {
		return g, diags
	}
	var unknown []*compiler.Node
	for _, ln := range g.Nodes() {
		if n := res.Nodes[ln.ID]; ln.Unknown != "" && n.Model != nil && n.Relation.Name != "" {
			unknown = append(unknown, n)
		}
	}
	if s.readColumns(cat, unknown, opts.Catalog) == 0 {
		return g, diags
	}
	return lineage.Analyze(s.ctx, res, opts) // parsed models come from the cache
}

// readColumns adds the warehouse's columns of nodes to into and returns
// how many relations it found.
func (s *session) readColumns(cat adapters.Cataloger, nodes []*compiler.Node, into lineage.Catalog) int {
	if cat == nil {
		return 0
	}
	found := 0
	for _, n := range nodes {
		cols, err := cat.Columns(s.ctx, n.Relation)
		if err != nil || len(cols) == 0 {
			continue
		}
		found++
		for _, ci := range cols {
			into[n.ID] = append(into[n.ID], ci.Name)
		}
	}
	return found
}

// lineageDoc is weir lineage --format json.
type lineageDoc struct {
	Node      string         `json:"node"`
	Column    string         `json:"column"`
	Direction string         `json:"direction"` // upstream or downstream
	Columns   []lineageStep  `json:"columns"`
	Unknown   []lineageUnkwn `json:"unknown"`
}

type lineageStep struct {
	Name string `json:"name"` // schema.table.column
	lineage.Step
}

// lineageUnkwn is a node or column on the way whose lineage is not known.
type lineageUnkwn struct {
	Node   string `json:"node"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason"`
}

// printLineage walks the graph from n.col and prints what it reaches.
func printLineage(cmd *cobra.Command, lg *lineage.Graph, n *compiler.Node, col string, depth int, down bool, format string) error {
	ln := lg.Node(n.ID)
	if ln.Unknown != "" && len(ln.Columns) == 0 {
		return &exitError{code: exitFailed, msg: fmt.Sprintf("the column lineage of %s is not known: %s", n.ID, ln.Unknown)}
	}
	c, ok := ln.Column(col)
	if !ok {
		var names []string
		for _, c := range ln.Columns {
			names = append(names, c.Name)
		}
		return &exitError{code: exitUsage, msg: fmt.Sprintf("%s has no column %q; its columns are: %s", n.ID, col, strings.Join(names, ", "))}
	}
	doc := lineageDoc{Node: n.ID, Column: c.Name, Direction: "upstream", Columns: []lineageStep{}, Unknown: []lineageUnkwn{}}
	steps := lg.Upstream(n.ID, c.Name, depth)
	if down {
		doc.Direction = "downstream"
		steps = lg.Downstream(n.ID, c.Name, depth)
	}
	doc.Unknown = unknownsOn(lg, n.ID, c, steps)
	for _, st := range steps {
		doc.Columns = append(doc.Columns, lineageStep{Name: st.Node + "." + st.Column, Step: st})
	}
	out := cmd.OutOrStdout()
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(doc)
	}
	for _, st := range doc.Columns {
		fmt.Fprintln(out, st.Name)
	}
	printUnknowns(cmd, doc.Unknown)
	return nil
}

// unknownsOn lists the columns and nodes reached (the start too) whose
// lineage is not fully known.
func unknownsOn(lg *lineage.Graph, start string, c lineage.Column, steps []lineage.Step) []lineageUnkwn {
	out := []lineageUnkwn{}
	if c.Unknown != "" {
		out = append(out, lineageUnkwn{Node: start, Column: c.Name, Reason: c.Unknown})
	}
	seen := map[string]bool{}
	for _, st := range steps {
		ln := lg.Node(st.Node)
		if ln == nil {
			continue
		}
		if sc, ok := ln.Column(st.Column); ok && sc.Unknown != "" {
			out = append(out, lineageUnkwn{Node: ln.ID, Column: sc.Name, Reason: sc.Unknown})
		} else if ln.Unknown != "" && !seen[ln.ID] {
			seen[ln.ID] = true
			out = append(out, lineageUnkwn{Node: ln.ID, Reason: ln.Unknown})
		}
	}
	return out
}

// printUnknowns notes on stderr the columns reached whose lineage is not
// fully known, grouped by reason, naming a few of each.
func printUnknowns(cmd *cobra.Command, us []lineageUnkwn) {
	var reasons []string
	names := map[string][]string{}
	for _, u := range us {
		if _, ok := names[u.Reason]; !ok {
			reasons = append(reasons, u.Reason)
		}
		name := u.Node
		if u.Column != "" {
			name += "." + u.Column
		}
		names[u.Reason] = append(names[u.Reason], name)
	}
	for _, r := range reasons {
		list := names[r]
		shown := strings.Join(list[:min(len(list), 3)], ", ")
		if len(list) > 3 {
			shown += fmt.Sprintf(" and %d more", len(list)-3)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "Note: lineage not fully known for %s: %s\n", shown, r)
	}
}
