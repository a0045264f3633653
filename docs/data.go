package docs

import (
	"sort"
	"strings"
	"time"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/compiler/lineage"
	"github.com/weir-sh/weir/models"
)

// maxIndexDescription bounds a description in the index (search and
// lists); the node's own script holds all of it.
const maxIndexDescription = 240

// indexData is data/index.js: what the first screen, search and the
// lineage graph need, in compact rows.
type indexData struct {
	Project   string `json:"project"`
	Target    string `json:"target"`
	Adapter   string `json:"adapter"`
	Generated string `json:"generated"`
	Warehouse string `json:"warehouse,omitempty"` // why warehouse facts are missing
	// Nodes are in dependency order (parents first); a node's number N is
	// its place here; its page is in data/nodes/(N/NodesPerScript).js.
	// Each row: [id, kind, materialized, description, tags, columns,
	// parents (numbers), status].
	Nodes [][]any `json:"nodes"`
	// Tests rows: [name, kind, node number or -1, column, severity,
	// status, failures, message, path, time of the result].
	Tests [][]any `json:"tests"`
	// Runs rows, newest first: [id, command, status, started, ended,
	// nodes, errors]; run N's nodes are in data/runs/N.js.
	Runs [][]any `json:"runs"`
}

// nodeData is one node's page, in data/nodes/K.js with its neighbours.
type nodeData struct {
	N            int          `json:"n"`
	ID           string       `json:"id"`
	Kind         string       `json:"kind"`
	Path         string       `json:"path,omitempty"`
	Relation     string       `json:"relation,omitempty"`
	Materialized string       `json:"materialized,omitempty"`
	Description  string       `json:"description,omitempty"`
	Tags         []string     `json:"tags,omitempty"`
	Columns      []columnData `json:"columns"`
	// ColumnsFrom says where the column list comes from: warehouse,
	// declared, or "" when neither has any.
	ColumnsFrom string     `json:"columns_from"`
	SQL         string     `json:"sql,omitempty"`
	Compiled    string     `json:"compiled,omitempty"`
	Problem     string     `json:"problem,omitempty"`
	Tests       []int      `json:"tests"` // rows of the index's tests
	State       *stateData `json:"state,omitempty"`
	Freshness   string     `json:"freshness,omitempty"`
	LoadedAt    string     `json:"loaded_at,omitempty"`
	// History rows, oldest first: [run number, status, duration ms, rows].
	History [][]any `json:"history"`
	// Lineage is false when column lineage was not available.
	Lineage bool `json:"lineage"`
	// LineageUnknown says why the node's column lineage is not known.
	LineageUnknown string `json:"lineage_unknown,omitempty"`
	// Filters rows: [node number, column] of the columns that decide
	// which rows the node has (WHERE, JOIN, GROUP BY, …).
	Filters [][]any `json:"filters,omitempty"`
}

type columnData struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`     // in the warehouse
	Declared    string `json:"declared,omitempty"` // in the project
	Description string `json:"description,omitempty"`
	// Upstream rows: [node number, column, kind].
	Upstream [][]any `json:"upstream,omitempty"`
	// Unknown says why some of the column's lineage is not known.
	Unknown string `json:"unknown,omitempty"`
}

type stateData struct {
	BuiltAt string `json:"built_at,omitempty"`
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

// runData is data/runs/N.js: the node outcomes of one run.
type runData struct {
	N int `json:"n"`
	// Nodes rows: [name, status, duration ms, rows, message].
	Nodes [][]any `json:"nodes"`
}

// site is the whole site's data, built from an Input.
type site struct {
	index indexData
	nodes []nodeData
	runs  []runData
}

// build turns in into the site's data.
func build(in Input) *site {
	res := in.Result
	gen := in.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	s := &site{index: indexData{
		Project: res.Project.Name, Adapter: res.Target.Adapter, Target: res.Target.Name,
		Generated: stamp(gen), Warehouse: in.WarehouseNote,
		Nodes: [][]any{}, Tests: [][]any{}, Runs: [][]any{},
	}}
	wh := in.Warehouse
	if wh == nil {
		wh = &Warehouse{}
	}
	order := res.Sorted()
	num := make(map[string]int, len(order))
	for i, n := range order {
		num[n.ID] = i
	}
	history := s.addRuns(in.Runs)
	s.nodes = make([]nodeData, len(order))
	for i, n := range order {
		d := nodeDetail(n, i, wh, in.Lineage, num)
		d.History = history[n.ID]
		if d.History == nil {
			d.History = [][]any{}
		}
		s.nodes[i] = d
		s.index.Nodes = append(s.index.Nodes, indexRow(n, d, num))
	}
	s.addTests(res.Tests, in.Tests, num)
	return s
}

// indexRow is a node's row in data/index.js.
func indexRow(n *compiler.Node, d nodeData, num map[string]int) []any {
	parents := make([]int, 0, len(n.DependsOn))
	for _, p := range n.DependsOn {
		parents = append(parents, num[p])
	}
	sort.Ints(parents)
	cols := make([]string, len(d.Columns))
	for i, c := range d.Columns {
		cols[i] = c.Name
	}
	tags := d.Tags
	if tags == nil {
		tags = []string{}
	}
	return []any{n.ID, n.Kind, n.Materialized, clip(d.Description, maxIndexDescription), tags, cols, parents, status(n, d)}
}

// status is a node's one-word state for lists and the graph.
func status(n *compiler.Node, d nodeData) string {
	switch {
	case n.Broken():
		return "broken"
	case n.Source != nil:
		return "source"
	case n.Materialized == models.MatEphemeral:
		return "ephemeral"
	case d.State == nil:
		return "not built"
	case d.State.Status != "" && d.State.Status != "success":
		return d.State.Status
	case d.State.BuiltAt == "":
		return "not built"
	}
	return "built"
}

// nodeDetail is one node's page data.
func nodeDetail(n *compiler.Node, i int, wh *Warehouse, lin *lineage.Graph, num map[string]int) nodeData {
	d := nodeData{N: i, ID: n.ID, Kind: n.Kind, Path: n.Path, Materialized: n.Materialized,
		Compiled: n.SQL, Problem: n.Problem(), Tests: []int{}, Lineage: lin != nil && n.Model != nil}
	if n.Relation.Name != "" {
		d.Relation = n.Relation.String()
	}
	switch {
	case n.Model != nil:
		d.Description, d.Tags, d.SQL = n.Model.Config.Description, n.Model.Config.Tags, n.Model.Body
	case n.Seed != nil:
		d.Description = n.Seed.Description
	case n.Source != nil:
		d.Description, d.LoadedAt = n.Source.Description, n.Source.LoadedAt
		if t, ok := wh.Freshness[n.ID]; ok {
			d.Freshness = stamp(t)
		}
	}
	if st, ok := wh.State[n.ID]; ok {
		d.State = &stateData{BuiltAt: stamp(st.BuiltAt), Status: st.LastStatus, Message: st.LastMessage}
	}
	d.Columns, d.ColumnsFrom = columns(n.Columns(), wh.Columns[n.ID])
	if d.Lineage {
		addLineage(&d, lin.Node(n.ID), num)
	}
	return d
}

// addLineage adds to d each column's upstream columns, the columns that
// decide its rows, and, when d has no columns from the warehouse or the
// project, the columns lineage found in its SQL.
func addLineage(d *nodeData, ln *lineage.Node, num map[string]int) {
	if ln == nil {
		d.Lineage = false
		return
	}
	d.LineageUnknown = ln.Unknown
	if len(d.Columns) == 0 && len(ln.Columns) > 0 {
		for _, c := range ln.Columns {
			d.Columns = append(d.Columns, columnData{Name: c.Name})
		}
		d.ColumnsFrom = "sql"
	}
	for ci := range d.Columns {
		c := &d.Columns[ci]
		lc, ok := ln.Column(c.Name)
		if !ok {
			continue
		}
		c.Unknown = lc.Unknown
		for _, r := range lc.Upstream {
			if p, ok := num[r.Node]; ok {
				c.Upstream = append(c.Upstream, []any{p, r.Column, string(r.Kind)})
			}
		}
	}
	for _, r := range ln.Filters {
		if p, ok := num[r.Node]; ok {
			d.Filters = append(d.Filters, []any{p, r.Column})
		}
	}
}

// columns merges the warehouse's columns (their order and types) with the
// declared ones (their docs); declared columns the warehouse lacks come
// last, without a warehouse type.
func columns(declared []models.Column, actual []Column) ([]columnData, string) {
	byName := map[string]models.Column{}
	for _, c := range declared {
		byName[lower(c.Name)] = c
	}
	out := []columnData{}
	seen := map[string]bool{}
	for _, c := range actual {
		dc := byName[lower(c.Name)]
		out = append(out, columnData{Name: c.Name, Type: c.Type, Declared: dc.Type, Description: dc.Description})
		seen[lower(c.Name)] = true
	}
	for _, c := range declared {
		if !seen[lower(c.Name)] {
			out = append(out, columnData{Name: c.Name, Declared: c.Type, Description: c.Description})
		}
	}
	switch {
	case len(actual) > 0:
		return out, "warehouse"
	case len(declared) > 0:
		return out, "declared"
	}
	return out, ""
}

// addTests lists the tests in the index and on the pages of the nodes
// they test (a singular test: of every node it reads).
func (s *site) addTests(tests []compiler.ManifestTest, results map[string]TestResult, num map[string]int) {
	for ti, t := range tests {
		node := -1
		on := t.DependsOn
		if t.Node != "" {
			on = []string{t.Node}
		}
		if n, ok := num[t.Node]; ok {
			node = n
		}
		r := results[t.Name]
		at := ""
		if !r.At.IsZero() {
			at = stamp(r.At)
		}
		s.index.Tests = append(s.index.Tests, []any{t.Name, t.Kind, node, t.Column, t.Severity, r.Status, r.Failures, r.Message, t.Path, at})
		for _, id := range on {
			if n, ok := num[id]; ok {
				s.nodes[n].Tests = append(s.nodes[n].Tests, ti)
			}
		}
	}
}

// addRuns lists the runs in the index and returns each node's history
// rows, oldest first.
func (s *site) addRuns(runs []Run) map[string][][]any {
	history := map[string][][]any{}
	for ri := len(runs) - 1; ri >= 0; ri-- {
		for _, n := range runs[ri].Nodes {
			history[n.Name] = append(history[n.Name], []any{ri, n.Status, round(n.DurationMS), n.Rows})
		}
	}
	for ri, r := range runs {
		errs := 0
		rd := runData{N: ri, Nodes: make([][]any, len(r.Nodes))}
		for i, n := range r.Nodes {
			if n.Status == "error" {
				errs++
			}
			rd.Nodes[i] = []any{n.Name, n.Status, round(n.DurationMS), n.Rows, clip(n.Message, 500)}
		}
		ended := ""
		if !r.EndedAt.IsZero() {
			ended = stamp(r.EndedAt)
		}
		s.index.Runs = append(s.index.Runs, []any{r.ID, r.Command, r.Status, stamp(r.StartedAt), ended, len(r.Nodes), errs})
		s.runs = append(s.runs, rd)
	}
	return history
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func round(ms float64) float64 { return float64(int64(ms*10+0.5)) / 10 }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s[:n])
	return string(r[:len(r)-1]) + "…"
}

func lower(s string) string { return strings.ToLower(s) }
