package datatests

import (
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// givenPrefix names the CTE holding a unit test's rows for one input.
const givenPrefix = "__weir_given_"

// Unit is a unit test compiled to one query: the model's SQL with every
// input replaced by the rows the test gives for it.
type Unit struct {
	Name  string
	Model string // ID of the model under test
	// SQL runs the model on the given rows; it reads no table.
	SQL    string
	Expect models.UnitRows
	Decl   *models.UnitTest

	dialect adapters.Dialect
	inputs  []unitInput
	body    string // the model's SQL reading the inputs' CTEs
}

// unitInput is the rows a unit test gives for one input, written as a CTE
// named cte in place of rel.
type unitInput struct {
	cte   string // quoted
	rel   adapters.Relation
	rows  models.UnitRows
	types map[string]string // declared, by lower-cased column name
}

// unit compiles a unit test. Every table the model reads, directly or
// through ephemeral models, must have a given block; the rows stand in
// for it as a CTE at the parser's offsets, so nothing upstream is built.
func (s *Suite) unit(u *models.UnitTest) (*Unit, hcl.Diagnostics) {
	what := "unit test " + u.Name
	n, diag := s.c.Lookup(u.Model, what, u.ModelRange)
	if diag != nil {
		return nil, hcl.Diagnostics{diag}
	}
	if n.Model == nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Unit test of a " + n.Kind,
			Detail:  fmt.Sprintf("%s is a %s; unit tests run a model's SQL. Name a model in model = \"…\".", n.ID, n.Kind),
			Subject: u.ModelRange.Ptr()}}
	}
	var diags hcl.Diagnostics
	given := map[string]*models.UnitInput{}
	for _, g := range u.Given {
		in, diag := s.c.Lookup(g.Input, what, g.DeclRange)
		if diag != nil {
			diags = append(diags, diag)
			continue
		}
		if _, dup := given[in.ID]; dup {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Input given twice",
				Detail: fmt.Sprintf("%s has two given blocks for %s; merge their rows.", what, in.ID), Subject: g.DeclRange.Ptr()})
			continue
		}
		if len(g.Rows.Columns) == 0 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Given rows without columns",
				Detail: `An empty input still needs its columns: rows = [] with columns = ["id", …].`, Subject: g.DeclRange.Ptr()})
			continue
		}
		given[in.ID] = g
	}
	used := map[string]bool{}
	diags = append(diags, s.checkInputs(u, n, n, given, used)...)
	for id, g := range given {
		if !used[id] {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Input not read",
				Detail: fmt.Sprintf("%s does not read %s; these rows are never used.", n.ID, id), Subject: g.DeclRange.Ptr()})
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	ids := make([]string, 0, len(given))
	for id := range used {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	d := s.c.Dialect
	subst := map[string]string{}
	inputs := make([]unitInput, 0, len(ids))
	for _, id := range ids {
		name := d.QuoteIdent(givenPrefix + identPart(id))
		subst[id] = name
		types := declaredTypes(s.c.Nodes[id])
		for c, t := range given[id].Rows.Types {
			types[strings.ToLower(c)] = t
		}
		inputs = append(inputs, unitInput{cte: name, rel: s.c.Nodes[id].Relation, rows: given[id].Rows, types: types})
	}
	t := &Unit{Name: u.Name, Model: n.ID, Expect: u.Expect, Decl: u,
		dialect: d, inputs: inputs, body: s.c.SubstituteSQL(n, subst)}
	t.SQL = t.query(nil)
	return t, diags
}

// query is the unit test's SQL, with each input's columns cast to their
// declared types, or else to the types in found (by input, then by
// lower-cased column), if any.
func (u *Unit) query(found []map[string]string) string {
	ctes := make([]string, len(u.inputs))
	for i, in := range u.inputs {
		types := in.types
		if i < len(found) && len(found[i]) > 0 {
			types = maps.Clone(found[i])
			maps.Copy(types, in.types)
		}
		ctes[i] = fmt.Sprintf("%s AS (\n%s\n)", in.cte, rowsSQL(u.dialect, in.rows, types))
	}
	return fmt.Sprintf("WITH %s\nSELECT * FROM (\n%s\n) AS %s", strings.Join(ctes, ",\n"), u.body, u.dialect.QuoteIdent("__weir_unit"))
}

// checkInputs walks what n reads, through ephemeral models, and reports
// each table without given rows; used collects the inputs read.
func (s *Suite) checkInputs(u *models.UnitTest, top, n *compiler.Node, given map[string]*models.UnitInput, used map[string]bool) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, ref := range n.Refs {
		if ref.Target == "" || used[ref.Target] {
			continue
		}
		t := s.c.Nodes[ref.Target]
		switch {
		case given[t.ID] != nil:
			used[t.ID] = true
		case t.Materialized == models.MatEphemeral:
			diags = append(diags, s.checkInputs(u, top, t, given, used)...)
		default:
			via := ""
			if n != top {
				via = " (through ephemeral " + n.ID + ")"
			}
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "No rows given for " + t.ID,
				Detail: fmt.Sprintf("%s reads %s%s; unit test %s must give its rows, so that nothing upstream is needed: add given %q { rows = [{ … }] } (rows = [] with columns = […] for an empty table).",
					top.ID, t.ID, via, u.Name, t.ID),
				Subject: u.DeclRange.Ptr()})
			used[t.ID] = true // report it once
		}
	}
	return diags
}

// declaredTypes are the column types a node declares (model and source
// columns with type, seed column_types), by lower-cased column name.
func declaredTypes(n *compiler.Node) map[string]string {
	out := map[string]string{}
	if n.Seed != nil {
		for c, t := range n.Seed.ColumnTypes {
			out[strings.ToLower(c)] = t
		}
	}
	for _, c := range n.Columns() {
		if c.Type != "" {
			out[strings.ToLower(c.Name)] = c.Type
		}
	}
	return out
}

// rowsSQL writes fixed rows as a SELECT over a UNION ALL of one SELECT
// a row (which every warehouse reads; MySQL has no VALUES with column
// names), casting the columns that have a type. No rows give an empty
// SELECT with the columns.
func rowsSQL(d adapters.Dialect, rows models.UnitRows, types map[string]string) string {
	sel := make([]string, len(rows.Columns))
	names := make([]string, len(rows.Columns))
	for i, c := range rows.Columns {
		q := d.QuoteIdent(c)
		names[i] = q
		src := q
		if len(rows.Rows) == 0 {
			src = "NULL"
		}
		if t := types[strings.ToLower(c)]; t != "" {
			src = fmt.Sprintf("CAST(%s AS %s)", src, adapters.CastType(d, t))
		}
		sel[i] = src + " AS " + q
	}
	if len(rows.Rows) == 0 {
		return fmt.Sprintf("SELECT %s WHERE 1 = 0", strings.Join(sel, ", "))
	}
	selects := make([]string, len(rows.Rows))
	for i, r := range rows.Rows {
		vals := make([]string, len(rows.Columns))
		for j, c := range rows.Columns {
			v, ok := r.Values[c]
			if !ok {
				v = cty.NullVal(cty.String)
			}
			vals[j] = literal(d, v)
			if i == 0 {
				vals[j] += " AS " + names[j]
			}
		}
		selects[i] = "SELECT " + strings.Join(vals, ", ")
	}
	return fmt.Sprintf("SELECT %s\nFROM (\n  %s\n) AS %s", strings.Join(sel, ", "), strings.Join(selects, "\n  UNION ALL "),
		d.QuoteIdent("given"))
}

// literal writes a cell as SQL.
func literal(d adapters.Dialect, v cty.Value) string {
	switch {
	case v.IsNull():
		return "NULL"
	case v.Type() == cty.String:
		return d.QuoteLiteral(v.AsString())
	case v.Type() == cty.Number:
		return numberText(v)
	case v.Type() == cty.Bool:
		if v.True() {
			return "TRUE"
		}
		return "FALSE"
	}
	return "NULL"
}
