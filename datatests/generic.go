package datatests

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// generic compiles one test declared on node n, built in or custom. A
// custom test in tests/generic/ with a built-in's name replaces it.
func (s *Suite) generic(n *compiler.Node, decl models.TestDecl, custom map[string]*models.GenericTestDef) (*Test, hcl.Diagnostics) {
	t := &Test{Kind: decl.Kind, Node: n.ID, Column: decl.Column, Config: decl.TestConfig, DeclRange: decl.DeclRange}
	if decl.Where != "" && n.Relation.Name == "" {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "where on an ephemeral model",
			Detail:  n.ID + " is ephemeral: it has no table to filter. Drop where, or test the models that read it.",
			Subject: decl.WhereRange.Ptr()}}
	}
	g := &genCtx{s: s, n: n, decl: decl, model: s.logical(n)}
	if decl.Column != "" {
		g.col = s.c.Dialect.QuoteIdent(decl.Column)
	}
	var (
		q     *compiler.Node
		extra []string
	)
	f, diags := s.whereFilter(decl.Where, decl.WhereRange, []string{n.ID})
	if diags.HasErrors() {
		return nil, diags
	}
	def, isCustom := custom[decl.Kind]
	b, isBuiltin := builtins[decl.Kind]
	var d hcl.Diagnostics
	switch {
	case isCustom:
		if d = checkCustomArgs(def, decl); d.HasErrors() {
			return nil, append(diags, d...)
		}
		q, d = s.customQuery(g, def, f)
	case isBuiltin:
		if d = b.checkArgs(decl.Kind, decl); d.HasErrors() {
			return nil, append(diags, d...)
		}
		var sql string
		if sql, extra, d = b.query(g); d.HasErrors() {
			return nil, append(diags, d...)
		}
		q, d = s.builtinQuery(g, sql, f)
	default:
		return nil, hcl.Diagnostics{unknownKind(decl, custom)}
	}
	if diags = append(diags, d...); q == nil {
		return nil, diags
	}
	t.Name = decl.Name
	if t.Name == "" {
		t.Name = joinName(append([]string{decl.Kind, nodeSchema(n), n.Name, decl.Column}, extra...)...)
		t.defaultName, t.key = true, argsKey(decl)
	}
	s.finish(t, q, f)
	return t, diags
}

// builtinQuery compiles the SQL a built-in test wrote. Its diagnostics
// (from an expression written by the user) are moved to the declaration,
// since the SQL is weir's.
func (s *Suite) builtinQuery(g *genCtx, sql string, f filter) (*compiler.Node, hcl.Diagnostics) {
	decl := g.decl
	m := &models.Model{Schema: "test", Name: decl.Kind, Path: decl.DeclRange.Filename, Body: sql,
		BodyStart: hcl.InitialPos, DeclRange: decl.DeclRange}
	q, diags := s.c.CompileSQL(m, compiler.SQLOptions{
		ID:         fmt.Sprintf("test %s on %s", decl.Kind, g.n.ID),
		Substitute: f.subst,
	})
	at := decl.DeclRange
	if decl.Kind == "expression" {
		at = decl.ArgRanges["expression"]
	}
	for _, d := range diags {
		d.Subject = at.Ptr()
		d.Detail += "\nThe test's SQL:\n" + sql
	}
	return q, diags
}

// customQuery renders and compiles a tests/generic/<name>.sql template.
// Its dot holds model (the tested node, to write in FROM), column (the
// column, quoted; "" at model level), column_name (unquoted) and every
// argument of the test block.
func (s *Suite) customQuery(g *genCtx, def *models.GenericTestDef, f filter) (*compiler.Node, hcl.Diagnostics) {
	decl := g.decl
	data := map[string]any{"model": g.model, "column": g.col, "column_name": decl.Column}
	for k, v := range decl.Args {
		data[k] = goValue(v)
	}
	m := &models.Model{Schema: "test", Name: def.Name, Path: def.Path, Body: def.Body,
		BodyStart: hcl.InitialPos, DeclRange: def.DeclRange}
	q, diags := s.c.CompileSQL(m, compiler.SQLOptions{
		ID:         fmt.Sprintf("test %s on %s", decl.Kind, g.n.ID),
		Data:       data,
		Funcs:      templateHelpers(s.c.Dialect),
		Substitute: f.subst,
	})
	for _, d := range diags {
		d.Detail += fmt.Sprintf("\n(compiling test %q declared at %s)", decl.Kind, where(decl.DeclRange))
	}
	if q != nil && !slices.Contains(q.DependsOn, g.n.ID) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Custom test does not read what it tests",
			Detail:  fmt.Sprintf("%s never reads {{ .model }}, so it does not test %s and runs without waiting for it. Write FROM {{ .model }}.", def.Path, g.n.ID),
			Subject: decl.DeclRange.Ptr()})
	}
	return q, diags
}

// templateHelpers are the functions a custom test's template may call,
// besides var and env: quote (a string literal), ident (a quoted
// identifier), literal (a value as SQL: strings quoted, numbers bare) and
// literals (a list of them, comma-separated).
func templateHelpers(d adapters.Dialect) template.FuncMap {
	literal := func(v any) string { return compiler.SQLLiteral(d, v) }
	return template.FuncMap{
		"quote":   func(v any) string { return d.QuoteLiteral(fmt.Sprint(v)) },
		"ident":   func(s string) string { return d.QuoteIdent(s) },
		"literal": literal,
		"literals": func(vs []any) string {
			out := make([]string, len(vs))
			for i, v := range vs {
				out[i] = literal(v)
			}
			return strings.Join(out, ", ")
		},
	}
}

// goValue turns an argument into what a template prints naturally.
func goValue(v cty.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		bf := v.AsBigFloat()
		if i, acc := bf.Int64(); acc == big.Exact {
			return i
		}
		f, _ := bf.Float64()
		return f
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		var out []any
		for _, e := range v.AsValueSlice() {
			out = append(out, goValue(e))
		}
		return out
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for k, e := range v.AsValueMap() {
			out[k] = goValue(e)
		}
		return out
	}
	return v.GoString()
}

func unknownKind(decl models.TestDecl, custom map[string]*models.GenericTestDef) *hcl.Diagnostic {
	var known []string
	for k := range builtins {
		known = append(known, k)
	}
	for k := range custom {
		if _, dup := builtins[k]; !dup {
			known = append(known, k)
		}
	}
	sort.Strings(known)
	detail := fmt.Sprintf("%q is not a built-in test (%s) and there is no %s/%s.sql.", decl.Kind, strings.Join(known, ", "), models.GenericTestDir, decl.Kind)
	best, bestD := "", 3
	for _, k := range known {
		if d := levenshtein.Distance(decl.Kind, k, nil); d < bestD {
			best, bestD = k, d
		}
	}
	if best != "" {
		detail += fmt.Sprintf(" Did you mean %q?", best)
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown test " + decl.Kind, Detail: detail, Subject: decl.DeclRange.Ptr()}
}

// argsKey identifies a declaration's arguments, to tell apart two tests
// that would get the same default name.
func argsKey(decl models.TestDecl) string {
	var names []string
	for k := range decl.Args {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		fmt.Fprintf(&b, "%s=%#v;", k, decl.Args[k])
	}
	fmt.Fprintf(&b, "where=%s", decl.Where)
	return b.String()
}

// nodeSchema is the logical schema of a node ("staging" in staging.orders).
func nodeSchema(n *compiler.Node) string {
	switch {
	case n.Model != nil:
		return n.Model.Schema
	case n.Seed != nil:
		return n.Seed.Schema
	case n.Source != nil:
		return n.Source.Schema
	}
	return ""
}
