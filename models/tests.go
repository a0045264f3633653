package models

import (
	"encoding/csv"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Folders of a project's tests, relative to its folder.
const (
	TestsDir       = "tests"
	GenericTestDir = "tests/generic"
	UnitTestDir    = "tests/unit"
)

// Severities of a data test.
const (
	SeverityError = "error"
	SeverityWarn  = "warn"
)

// TestConfig holds the settings every data test takes, declared or
// singular.
type TestConfig struct {
	// Name overrides the generated name (which also names the table its
	// failures are stored in).
	Name string
	// Severity is error (the default: a failure fails the tested model
	// and skips its descendants) or warn.
	Severity string
	// WarnIf and ErrorIf decide, from the number of failing rows, whether
	// the test warns or fails. Both default to "!=0".
	WarnIf, ErrorIf Threshold
	// Where filters the tested model's rows before the test looks at them.
	Where string
	// StoreFailures keeps the failing rows in a table for inspection.
	StoreFailures bool
	// Ranges of the settings, for diagnostics.
	NameRange, WhereRange hcl.Range
}

// TestDecl is a generic data test declared in a config block:
//
//	column "id" { test "unique" { severity = "warn" } }
//	test "row_count" { min = 1 }
type TestDecl struct {
	// Kind is a built-in test (not_null, unique, accepted_values,
	// relationships, expression, unique_combination, row_count) or the
	// name of a custom one in tests/generic/<kind>.sql.
	Kind string
	// Column is the column the test is declared on; "" at model level.
	Column string
	TestConfig
	// Args are the test's other attributes (values, to, field, min, …),
	// with the range of each.
	Args      map[string]cty.Value
	ArgRanges map[string]hcl.Range
	DeclRange hcl.Range // test "kind"
}

// SingularTest is a tests/**/*.sql file: one SELECT that returns the rows
// breaking a rule. Its settings sit in an optional /* config … */ header.
type SingularTest struct {
	Name      string // path under tests/ without .sql, "/" turned into "_"
	Path      string // relative to the project folder
	Body      string // the SQL after the header
	BodyStart hcl.Pos
	Config    TestConfig
	DeclRange hcl.Range
}

// GenericTestDef is a custom generic test: a SQL template in
// tests/generic/<name>.sql, used by name like a built-in test.
type GenericTestDef struct {
	Name      string
	Path      string
	Body      string
	DeclRange hcl.Range
}

// UnitTest runs one model's SQL on fixed input rows and compares its
// output with the expected rows; see tests/unit/*.hcl.
type UnitTest struct {
	Name        string
	Path        string
	Model       string // the model under test, as SQL would name it
	Description string
	Given       []*UnitInput
	Expect      UnitRows
	ModelRange  hcl.Range
	DeclRange   hcl.Range
}

// UnitInput is the rows standing in for one input of a unit-tested model.
type UnitInput struct {
	Input     string // model, seed or source, as SQL would name it
	Rows      UnitRows
	DeclRange hcl.Range
}

// UnitRows is a small table written in a unit test, from rows = [{…}] or
// csv = "…".
type UnitRows struct {
	// Columns in order of first appearance (or as listed in columns).
	Columns []string
	// Types are SQL types to cast columns to, from types = {…}.
	Types map[string]string
	Rows  []UnitRow
	Range hcl.Range
}

// UnitRow is one row; a column missing from Values is NULL.
type UnitRow struct {
	Values map[string]cty.Value
	Range  hcl.Range
}

// Threshold is a condition on a test's number of failing rows, such as
// ">10" or "!=0".
type Threshold struct {
	Op string // one of = != <> > >= < <=
	N  int64
}

// DefaultThreshold fails on any failing row.
var DefaultThreshold = Threshold{Op: "!=", N: 0}

// ParseThreshold reads ">10", ">= 1", "!=0", "=0", "<5".
func ParseThreshold(s string) (Threshold, error) {
	t := strings.TrimSpace(s)
	for _, op := range []string{">=", "<=", "!=", "<>", "==", ">", "<", "="} {
		if rest, ok := strings.CutPrefix(t, op); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			if err != nil || n < 0 {
				break
			}
			if op == "==" {
				op = "="
			}
			if op == "<>" {
				op = "!="
			}
			return Threshold{Op: op, N: n}, nil
		}
	}
	return Threshold{}, fmt.Errorf("%q is not a condition on the number of failing rows; write an operator and a count, like \">10\", \">=1\" or \"!=0\"", s)
}

// Holds reports whether n failing rows meet the condition.
func (t Threshold) Holds(n int64) bool {
	switch t.Op {
	case "=":
		return n == t.N
	case "!=":
		return n != t.N
	case ">":
		return n > t.N
	case ">=":
		return n >= t.N
	case "<":
		return n < t.N
	case "<=":
		return n <= t.N
	}
	return false
}

// String writes the condition as it is configured: ">10".
func (t Threshold) String() string { return t.Op + strconv.FormatInt(t.N, 10) }

// testBlock is test "kind" { … } inside a column, model header, seed or
// source table.
type testBlock struct {
	Kind     string    `hcl:"kind,label"`
	Body     hcl.Body  `hcl:",remain"`
	DefRange hcl.Range `hcl:",def_range"`
}

// decodeTests decodes the model-level test blocks and those inside each
// column block; cols is columns(colBlocks), whose Tests it fills.
func decodeTests(blocks []testBlock, colBlocks []columnBlock, cols []Column) ([]TestDecl, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	for i, cb := range colBlocks {
		for _, b := range cb.Tests {
			t, d := decodeTestBlock(b, cb.Name)
			diags = append(diags, d...)
			cols[i].Tests = append(cols[i].Tests, t)
		}
	}
	var out []TestDecl
	for _, b := range blocks {
		t, d := decodeTestBlock(b, "")
		diags = append(diags, d...)
		out = append(out, t)
	}
	return out, diags
}

func decodeTestBlock(b testBlock, column string) (TestDecl, hcl.Diagnostics) {
	t := TestDecl{Kind: b.Kind, Column: column, DeclRange: b.DefRange,
		Args: map[string]cty.Value{}, ArgRanges: map[string]hcl.Range{}}
	cfg, args, diags := decodeTestConfig(b.Body, true)
	t.TestConfig = cfg
	for name, a := range args {
		v, d := a.Expr.Value(evalContext())
		diags = append(diags, d...)
		t.Args[name] = v
		t.ArgRanges[name] = a.Expr.Range()
	}
	return t, diags
}

// TestSettings are the settings every test takes, besides the arguments
// of a generic test.
var TestSettings = []string{"name", "severity", "warn_if", "error_if", "where", "store_failures"}

// decodeTestConfig reads the settings every test takes from body and
// returns its other attributes; when allowArgs is false they are errors.
func decodeTestConfig(body hcl.Body, allowArgs bool) (TestConfig, hcl.Attributes, hcl.Diagnostics) {
	cfg := TestConfig{Severity: SeverityError, WarnIf: DefaultThreshold, ErrorIf: DefaultThreshold}
	attrs, diags := body.JustAttributes()
	args := hcl.Attributes{}
	str := func(a *hcl.Attribute) string {
		var s string
		diags = append(diags, gohcl.DecodeExpression(a.Expr, evalContext(), &s)...)
		return s
	}
	threshold := func(a *hcl.Attribute) Threshold {
		t, err := ParseThreshold(str(a))
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Bad " + a.Name,
				Detail: err.Error() + ".", Subject: a.Expr.Range().Ptr()})
			return DefaultThreshold
		}
		return t
	}
	for name, a := range attrs {
		switch name {
		case "name":
			cfg.Name, cfg.NameRange = str(a), a.Expr.Range()
		case "severity":
			cfg.Severity = strings.ToLower(str(a))
			if cfg.Severity != SeverityError && cfg.Severity != SeverityWarn {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Bad severity",
					Detail:  fmt.Sprintf("severity = %q: use \"error\" (a failure fails the model and skips what depends on it) or \"warn\" (it is only reported).", cfg.Severity),
					Subject: a.Expr.Range().Ptr()})
				cfg.Severity = SeverityError
			}
		case "warn_if":
			cfg.WarnIf = threshold(a)
		case "error_if":
			cfg.ErrorIf = threshold(a)
		case "where":
			cfg.Where, cfg.WhereRange = str(a), a.Expr.Range()
		case "store_failures":
			diags = append(diags, gohcl.DecodeExpression(a.Expr, evalContext(), &cfg.StoreFailures)...)
		default:
			if !allowArgs {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown test setting " + name,
					Detail:  "A singular test's header takes " + strings.Join(TestSettings, ", ") + "." + DidYouMean(name, TestSettings),
					Subject: a.NameRange.Ptr()})
				continue
			}
			args[name] = a
		}
	}
	return cfg, args, diags
}

// loadTests discovers tests/generic/*.sql, tests/unit/**/*.hcl and the
// singular tests in tests/**/*.sql.
func (p *Project) loadTests() hcl.Diagnostics {
	sqls, err := p.walkFiles(TestsDir, ".sql")
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list tests", Detail: err.Error()}}
	}
	var diags hcl.Diagnostics
	for _, rel := range sqls {
		src, err := ReadFile(p.Dir, rel)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read test", Detail: err.Error(), Subject: fileStart(rel)})
			continue
		}
		p.Files[rel] = &hcl.File{Bytes: src}
		first := hcl.Range{Filename: rel, Start: hcl.InitialPos, End: posAt(src, lineEnd(src, 0))}
		name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
		if path.Dir(rel) == GenericTestDir {
			p.GenericTests = append(p.GenericTests, &GenericTestDef{Name: name, Path: rel, Body: string(src), DeclRange: first})
			continue
		}
		t, d := loadSingular(rel, src, first)
		diags = append(diags, d...)
		if t != nil {
			p.SingularTests = append(p.SingularTests, t)
		}
	}
	units, err := p.walkFiles(UnitTestDir, ".hcl")
	if err != nil {
		return append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot list unit tests", Detail: err.Error()})
	}
	for _, rel := range units {
		diags = append(diags, p.loadUnitFile(rel)...)
	}
	return diags
}

func loadSingular(rel string, src []byte, first hcl.Range) (*SingularTest, hcl.Diagnostics) {
	name := strings.TrimSuffix(strings.TrimPrefix(rel, TestsDir+"/"), path.Ext(rel))
	t := &SingularTest{Name: strings.ReplaceAll(name, "/", "_"), Path: rel, DeclRange: first,
		Config: TestConfig{Severity: SeverityError, WarnIf: DefaultThreshold, ErrorIf: DefaultThreshold}}
	header, hclStart, bodyStart, diags := splitHeader(src, rel)
	if diags.HasErrors() {
		return nil, diags
	}
	if header != nil {
		f, d := hclsyntax.ParseConfig(header, rel, hclStart)
		diags = append(diags, d...)
		if d.HasErrors() {
			return nil, diags
		}
		cfg, _, d := decodeTestConfig(f.Body, false)
		diags = append(diags, d...)
		t.Config = cfg
	}
	t.Body, t.BodyStart = string(src[bodyStart.Byte:]), bodyStart
	return t, diags
}

// Model returns the test as a model-shaped value, so that it can be
// rendered, parsed and reported on like a model's SQL.
func (t *SingularTest) Model() *Model {
	return &Model{Schema: "test", Name: t.Name, Path: t.Path, Body: t.Body, BodyStart: t.BodyStart,
		Config: ModelConfig{Enabled: true}, DeclRange: t.DeclRange}
}

// unitFile mirrors a tests/unit/*.hcl file.
type unitFile struct {
	Units []unitBlock `hcl:"unit,block"`
}

type unitBlock struct {
	Name        string       `hcl:"name,label"`
	Model       string       `hcl:"model"`
	Description string       `hcl:"description,optional"`
	Given       []givenBlock `hcl:"given,block"`
	Expect      []rowsBlock  `hcl:"expect,block"`
	ModelRange  hcl.Range    `hcl:"model,attr_range"`
	DefRange    hcl.Range    `hcl:",def_range"`
}

type givenBlock struct {
	Input    string    `hcl:"input,label"`
	Body     hcl.Body  `hcl:",remain"`
	DefRange hcl.Range `hcl:",def_range"`
}

type rowsBlock struct {
	Rows     hcl.Expression `hcl:"rows,optional"`
	CSV      *string        `hcl:"csv,optional"`
	Columns  []string       `hcl:"columns,optional"`
	Types    hcl.Expression `hcl:"types,optional"`
	DefRange hcl.Range      `hcl:",def_range"`
}

func (p *Project) loadUnitFile(rel string) hcl.Diagnostics {
	src, err := ReadFile(p.Dir, rel)
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read unit test", Detail: err.Error(), Subject: fileStart(rel)}}
	}
	p.Files[rel] = &hcl.File{Bytes: src}
	f, diags := hclsyntax.ParseConfig(src, rel, hcl.InitialPos)
	if diags.HasErrors() {
		return diags
	}
	var uf unitFile
	if diags = append(diags, decodeBody(f.Body, &uf)...); diags.HasErrors() {
		return diags
	}
	for _, u := range uf.Units {
		t := &UnitTest{Name: u.Name, Path: rel, Model: u.Model, Description: u.Description,
			ModelRange: u.ModelRange, DeclRange: u.DefRange}
		for _, g := range u.Given {
			var rb rowsBlock
			if d := decodeBody(g.Body, &rb); d.HasErrors() {
				diags = append(diags, d...)
				continue
			}
			rb.DefRange = g.DefRange
			rows, d := decodeRows(rb, "given")
			diags = append(diags, d...)
			t.Given = append(t.Given, &UnitInput{Input: g.Input, Rows: rows, DeclRange: g.DefRange})
		}
		if len(u.Expect) != 1 {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unit test needs one expect block",
				Detail:  fmt.Sprintf("unit %q has %d expect blocks; write exactly one: expect { rows = [{ column = value, … }] }.", u.Name, len(u.Expect)),
				Subject: u.DefRange.Ptr()})
			continue
		}
		rows, d := decodeRows(u.Expect[0], "expect")
		diags = append(diags, d...)
		t.Expect = rows
		p.UnitTests = append(p.UnitTests, t)
	}
	return diags
}

// decodeRows reads rows = [{…}, …] or csv = "…", keeping the columns in
// the order they are first written.
func decodeRows(rb rowsBlock, block string) (UnitRows, hcl.Diagnostics) {
	types, diags := decodeTypeMap(rb.Types, "types")
	if diags.HasErrors() {
		return UnitRows{Range: rb.DefRange}, diags
	}
	out := UnitRows{Types: types, Range: rb.DefRange}
	seen := map[string]bool{}
	addCol := func(c string) {
		if !seen[c] {
			seen[c] = true
			out.Columns = append(out.Columns, c)
		}
	}
	for _, c := range rb.Columns {
		addCol(c)
	}
	hasRows := rb.Rows != nil && !isNullExpr(rb.Rows)
	switch {
	case hasRows && rb.CSV != nil:
		return out, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Both rows and csv",
			Detail: "Give the " + block + " rows either as rows = [{…}] or as csv = \"…\", not both.", Subject: rb.Rows.Range().Ptr()}}
	case rb.CSV != nil:
		rows, cols, err := csvRows(*rb.CSV, rb.DefRange)
		if err != nil {
			return out, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad csv", Detail: err.Error(), Subject: rb.DefRange.Ptr()}}
		}
		for _, c := range cols {
			addCol(c)
		}
		out.Rows = rows
	case hasRows:
		rows, diags := exprRows(rb.Rows)
		if diags.HasErrors() {
			return out, diags
		}
		for _, r := range rows {
			for _, c := range r.order {
				addCol(c)
			}
			out.Rows = append(out.Rows, r.UnitRow)
		}
	default:
		return out, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No rows",
			Detail:  "Write the " + block + " rows as rows = [{ column = value, … }, …] or csv = <<-CSV … CSV; rows = [] with columns = [\"a\", …] stands for an empty table.",
			Subject: rb.DefRange.Ptr()}}
	}
	for c := range types {
		addCol(c)
	}
	return out, diags
}

func isNullExpr(e hcl.Expression) bool {
	if _, ok := e.(hclsyntax.Expression); ok {
		return false
	}
	v, d := e.Value(nil)
	return !d.HasErrors() && v.IsNull()
}

type orderedRow struct {
	UnitRow
	order []string
}

// exprRows reads a tuple of objects, keeping each object's keys in the
// order written (cty objects have none).
func exprRows(expr hcl.Expression) ([]orderedRow, hcl.Diagnostics) {
	bad := func(rng hcl.Range) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad rows",
			Detail:  "rows is a list of objects, one a row: rows = [{ id = 1, name = \"a\" }, { id = 2, name = null }].",
			Subject: rng.Ptr()}}
	}
	tuple, ok := expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil, bad(expr.Range())
	}
	var out []orderedRow
	var diags hcl.Diagnostics
	for _, e := range tuple.Exprs {
		obj, ok := e.(*hclsyntax.ObjectConsExpr)
		if !ok {
			return nil, bad(e.Range())
		}
		r := orderedRow{UnitRow: UnitRow{Values: map[string]cty.Value{}, Range: obj.Range()}}
		for _, item := range obj.Items {
			k, d := item.KeyExpr.Value(nil)
			diags = append(diags, d...)
			if d.HasErrors() || k.Type() != cty.String || k.IsNull() {
				return nil, bad(item.KeyExpr.Range())
			}
			v, d := item.ValueExpr.Value(evalContext())
			diags = append(diags, d...)
			if !v.IsNull() && !v.Type().IsPrimitiveType() {
				return nil, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported value",
					Detail:  "A cell is a string, number, bool or null; write dates and timestamps as strings and give the column a type in types = { … }.",
					Subject: item.ValueExpr.Range().Ptr()})
			}
			col := k.AsString()
			r.Values[col] = v
			r.order = append(r.order, col)
		}
		out = append(out, r)
	}
	return out, diags
}

// csvRows reads CSV text with a header line. An empty cell is NULL, a
// cell that reads as a number is a number, anything else a string.
func csvRows(text string, rng hcl.Range) ([]UnitRow, []string, error) {
	records, err := readCSV(text)
	if err != nil {
		return nil, nil, err
	}
	if len(records) == 0 {
		return nil, nil, fmt.Errorf("the csv has no header line; its first line names the columns")
	}
	cols := records[0]
	var rows []UnitRow
	for i, rec := range records[1:] {
		if len(rec) != len(cols) {
			return nil, nil, fmt.Errorf("csv line %d has %d values for %d columns", i+2, len(rec), len(cols))
		}
		r := UnitRow{Values: map[string]cty.Value{}, Range: rng}
		for j, cell := range rec {
			r.Values[cols[j]] = csvValue(cell)
		}
		rows = append(rows, r)
	}
	return rows, cols, nil
}

func readCSV(text string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimSpace(text)))
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	return r.ReadAll()
}

func csvValue(cell string) cty.Value {
	if cell == "" {
		return cty.NullVal(cty.String)
	}
	if _, err := strconv.ParseFloat(cell, 64); err == nil && !strings.ContainsAny(cell, "xXnNiI_") {
		if v, err := cty.ParseNumberVal(cell); err == nil {
			return v
		}
	}
	return cty.StringVal(cell)
}
