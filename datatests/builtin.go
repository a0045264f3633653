package datatests

import (
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// Where a generic test may be declared.
const (
	onColumn = iota + 1 // inside column "x" { }
	onModel             // at the level of the model, seed or source table
	onEither
)

// builtin is one built-in generic test: where it may be declared, its
// arguments and the query it compiles to.
type builtin struct {
	level    int
	required []string
	optional []string
	// query writes the SELECT returning the failing rows, naming the
	// tested node by its logical name; extra is appended to the test's
	// default name.
	query func(g *genCtx) (sql string, extra []string, diags hcl.Diagnostics)
}

// builtins are the generic tests weir knows without a template.
var builtins = map[string]builtin{
	"not_null": {level: onColumn, query: func(g *genCtx) (string, []string, hcl.Diagnostics) {
		return fmt.Sprintf("SELECT *\nFROM %s\nWHERE %s IS NULL", g.model, g.col), nil, nil
	}},
	"unique": {level: onColumn, query: func(g *genCtx) (string, []string, hcl.Diagnostics) {
		return fmt.Sprintf("SELECT %[2]s AS unique_field, count(*) AS n_records\nFROM %[1]s\nWHERE %[2]s IS NOT NULL\nGROUP BY %[2]s\nHAVING count(*) > 1", g.model, g.col), nil, nil
	}},
	"accepted_values": {level: onColumn, required: []string{"values"}, optional: []string{"quote"}, query: acceptedValues},
	"relationships":   {level: onColumn, required: []string{"to", "field"}, query: relationships},
	"expression":      {level: onEither, required: []string{"expression"}, query: expression},
	"unique_combination": {level: onModel, required: []string{"columns"}, query: func(g *genCtx) (string, []string, hcl.Diagnostics) {
		cols, diags := g.names("columns")
		if diags.HasErrors() {
			return "", nil, diags
		}
		q := make([]string, len(cols))
		for i, c := range cols {
			q[i] = g.s.c.Dialect.QuoteIdent(c)
		}
		list := strings.Join(q, ", ")
		return fmt.Sprintf("SELECT %[2]s, count(*) AS n_records\nFROM %[1]s\nGROUP BY %[2]s\nHAVING count(*) > 1", g.model, list), cols, nil
	}},
	"row_count": {level: onModel, optional: []string{"min", "max"}, query: rowCount},
}

// genCtx is what a built-in test's query is written from.
type genCtx struct {
	s     *Suite
	n     *compiler.Node
	decl  models.TestDecl
	model string // the tested node's logical name, quoted
	col   string // the tested column, quoted; "" at model level
}

func acceptedValues(g *genCtx) (string, []string, hcl.Diagnostics) {
	vals, diags := g.list("values")
	quote, d := g.boolean("quote", true)
	diags = append(diags, d...)
	if diags.HasErrors() {
		return "", nil, diags
	}
	lits := make([]string, 0, len(vals))
	for _, v := range vals {
		switch {
		case v.IsNull():
			return "", nil, g.argErr("values", "values holds null; NULL never fails accepted_values (use not_null for that), so leave it out.")
		case v.Type() == cty.String && quote:
			lits = append(lits, g.s.c.Dialect.QuoteLiteral(v.AsString()))
		case v.Type() == cty.String:
			lits = append(lits, v.AsString())
		case v.Type() == cty.Number:
			lits = append(lits, numberText(v))
		case v.Type() == cty.Bool:
			lits = append(lits, strings.ToUpper(fmt.Sprint(v.True())))
		default:
			return "", nil, g.argErr("values", "values is a list of strings, numbers or bools.")
		}
	}
	if len(lits) == 0 {
		return "", nil, g.argErr("values", "values is empty, so every row would fail; list the accepted values.")
	}
	return fmt.Sprintf("SELECT %[2]s AS value_field, count(*) AS n_records\nFROM %[1]s\nWHERE %[2]s IS NOT NULL AND %[2]s NOT IN (%[3]s)\nGROUP BY %[2]s",
		g.model, g.col, strings.Join(lits, ", ")), nil, nil
}

func relationships(g *genCtx) (string, []string, hcl.Diagnostics) {
	to, diags := g.str("to")
	field, d := g.str("field")
	if diags = append(diags, d...); diags.HasErrors() {
		return "", nil, diags
	}
	parent, diag := g.s.c.Lookup(to, fmt.Sprintf("The relationships test on %s.%s", g.n.ID, g.decl.Column), g.decl.ArgRanges["to"])
	if diag != nil {
		return "", nil, hcl.Diagnostics{diag}
	}
	sql := fmt.Sprintf("SELECT child.*\nFROM %s AS child\nWHERE child.%s IS NOT NULL\n  AND NOT EXISTS (\n    SELECT 1 FROM %s AS parent\n    WHERE parent.%s = child.%s\n  )",
		g.model, g.col, g.s.logical(parent), g.s.c.Dialect.QuoteIdent(field), g.col)
	return sql, []string{"to", parent.ID, field}, nil
}

func expression(g *genCtx) (string, []string, hcl.Diagnostics) {
	expr, diags := g.str("expression")
	if diags.HasErrors() {
		return "", nil, diags
	}
	return fmt.Sprintf("SELECT *\nFROM %s\nWHERE NOT (%s)", g.model, expr), nil, nil
}

func rowCount(g *genCtx) (string, []string, hcl.Diagnostics) {
	var conds []string
	var diags hcl.Diagnostics
	for _, b := range []struct{ arg, op string }{{"min", "<"}, {"max", ">"}} {
		if _, ok := g.decl.Args[b.arg]; !ok {
			continue
		}
		n, d := g.count(b.arg)
		diags = append(diags, d...)
		conds = append(conds, fmt.Sprintf("n %s %d", b.op, n))
	}
	if len(conds) == 0 {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "row_count needs min or max",
			Detail: `Write test "row_count" { min = 1 } or { max = 1000 } or both.`, Subject: g.decl.DeclRange.Ptr()})
	}
	if diags.HasErrors() {
		return "", nil, diags
	}
	return fmt.Sprintf("SELECT n AS row_count\nFROM (SELECT count(*) AS n FROM %s) AS counted\nWHERE %s", g.model, strings.Join(conds, " OR ")), nil, nil
}

// checkArgs reports arguments a built-in test does not take, missing
// required ones, and a test declared at the wrong level.
func (b builtin) checkArgs(kind string, decl models.TestDecl) hcl.Diagnostics {
	var diags hcl.Diagnostics
	known := map[string]bool{}
	for _, a := range append(append([]string(nil), b.required...), b.optional...) {
		known[a] = true
	}
	var names []string
	for a := range decl.Args {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		if !known[a] {
			takes := "only the common settings (" + strings.Join(models.TestSettings, ", ") + ")"
			args := append(append([]string(nil), b.required...), b.optional...)
			if len(known) > 0 {
				takes = strings.Join(args, ", ") + " and the common settings"
			}
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Unknown argument %s of test %s", a, kind),
				Detail:  fmt.Sprintf("%s takes %s.%s", kind, takes, models.DidYouMean(a, append(args, models.TestSettings...))),
				Subject: decl.ArgRanges[a].Ptr()})
		}
	}
	for _, a := range b.required {
		if _, ok := decl.Args[a]; !ok {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Test %s needs %s", kind, a),
				Detail: fmt.Sprintf("Add %s = … to the test block; %s.", a, argHelp[kind]), Subject: decl.DeclRange.Ptr()})
		}
	}
	switch {
	case b.level == onColumn && decl.Column == "":
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Test %s tests a column", kind),
			Detail: fmt.Sprintf(`Declare it inside the column it tests: column "id" { test %q {} }.`, kind), Subject: decl.DeclRange.Ptr()})
	case b.level == onModel && decl.Column != "":
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Test %s tests the whole table", kind),
			Detail: fmt.Sprintf("Declare it next to the column blocks, not inside column %q.", decl.Column), Subject: decl.DeclRange.Ptr()})
	}
	return diags
}

var argHelp = map[string]string{
	"accepted_values":    `values = ["a", "b"] lists the values allowed`,
	"relationships":      `to = "staging.customers" names the table every value must exist in and field = "customer_id" its column`,
	"expression":         `expression = "amount >= 0" must hold for every row`,
	"unique_combination": `columns = ["order_id", "line"] must be unique together`,
}

func (g *genCtx) argErr(arg, detail string) hcl.Diagnostics {
	rng := g.decl.DeclRange
	if r, ok := g.decl.ArgRanges[arg]; ok {
		rng = r
	}
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: fmt.Sprintf("Bad %s for test %s", arg, g.decl.Kind), Detail: detail, Subject: &rng}}
}

func (g *genCtx) str(arg string) (string, hcl.Diagnostics) {
	v := g.decl.Args[arg]
	if v.IsNull() || v.Type() != cty.String || v.AsString() == "" {
		return "", g.argErr(arg, fmt.Sprintf("%s is a non-empty string; %s.", arg, argHelp[g.decl.Kind]))
	}
	return v.AsString(), nil
}

func (g *genCtx) list(arg string) ([]cty.Value, hcl.Diagnostics) {
	v := g.decl.Args[arg]
	if v.IsNull() || !(v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType()) {
		return nil, g.argErr(arg, fmt.Sprintf("%s is a list; %s.", arg, argHelp[g.decl.Kind]))
	}
	return v.AsValueSlice(), nil
}

func (g *genCtx) names(arg string) ([]string, hcl.Diagnostics) {
	vals, diags := g.list(arg)
	if diags.HasErrors() {
		return nil, diags
	}
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		if v.IsNull() || v.Type() != cty.String {
			return nil, g.argErr(arg, fmt.Sprintf("%s is a list of column names; %s.", arg, argHelp[g.decl.Kind]))
		}
		out = append(out, v.AsString())
	}
	if len(out) == 0 {
		return nil, g.argErr(arg, arg+" is empty.")
	}
	return out, nil
}

func (g *genCtx) boolean(arg string, def bool) (bool, hcl.Diagnostics) {
	v, ok := g.decl.Args[arg]
	if !ok {
		return def, nil
	}
	if v.IsNull() || v.Type() != cty.Bool {
		return def, g.argErr(arg, arg+" is true or false.")
	}
	return v.True(), nil
}

// count reads a whole, non-negative number.
func (g *genCtx) count(arg string) (int64, hcl.Diagnostics) {
	v := g.decl.Args[arg]
	if !v.IsNull() && v.Type() == cty.Number {
		if n, acc := v.AsBigFloat().Int64(); acc == big.Exact && n >= 0 {
			return n, nil
		}
	}
	return 0, g.argErr(arg, arg+" is a whole number of rows, 0 or more.")
}

// numberText writes a cty number as a SQL numeric literal.
func numberText(v cty.Value) string { return v.AsBigFloat().Text('f', -1) }
