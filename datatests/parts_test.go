package datatests

import (
	"bytes"
	"encoding/xml"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

func TestSameType(t *testing.T) {
	for _, c := range []struct {
		dialect, declared, got string
		same                   bool
	}{
		{"duckdb", "int", "INTEGER", true},
		{"postgres", "integer", "INT4", true},
		{"postgres", "bigint", "INT8", true},
		{"duckdb", "int8", "BIGINT", true},
		{"duckdb", "integer", "BIGINT", false},
		{"postgres", "text", "VARCHAR", true},
		{"duckdb", "string", "VARCHAR", true},
		{"postgres", "double precision", "FLOAT8", true},
		{"duckdb", "double", "DOUBLE", true},
		{"duckdb", "float", "FLOAT", true},
		{"duckdb", "float", "DOUBLE", false}, // FLOAT is single precision on DuckDB
		{"postgres", "float", "FLOAT8", true},
		{"duckdb", "decimal(12,2)", "DECIMAL(12,2)", true},
		{"duckdb", "decimal(12, 2)", "DECIMAL(18,3)", false},
		{"postgres", "numeric(12,2)", "NUMERIC", true}, // the driver gives no parameters
		{"postgres", "timestamp with time zone", "TIMESTAMPTZ", true},
		{"postgres", "timestamp", "TIMESTAMPTZ", false},
		{"duckdb", "bool", "BOOLEAN", true},
		{"duckdb", "integer[]", "INTEGER[]", true},
		{"postgres", "int[]", "_INT4", true},
		{"postgres", "date", "DATE", true},
		{"postgres", "date", "TIMESTAMP", false},
	} {
		if got := sameType(c.dialect, c.declared, c.got); got != c.same {
			t.Errorf("sameType(%s, %q, %q) = %v", c.dialect, c.declared, c.got, got)
		}
	}
}

func TestThresholdsDecideStatus(t *testing.T) {
	th := func(s string) models.Threshold {
		t.Helper()
		v, err := models.ParseThreshold(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, c := range []struct {
		severity, warnIf, errorIf string
		n                         int64
		want                      string
	}{
		{"error", "!=0", "!=0", 0, StatusPass},
		{"error", "!=0", "!=0", 1, StatusFail},
		{"warn", "!=0", "!=0", 3, StatusWarn},
		{"error", ">=1", ">5", 5, StatusWarn},
		{"error", ">=1", ">5", 6, StatusFail},
		{"error", ">10", ">10", 10, StatusPass},
		{"warn", "> 2", "!=0", 2, StatusPass},
		{"error", "=0", "<1", 0, StatusFail}, // conditions can say "fails when empty"
	} {
		cfg := models.TestConfig{Severity: c.severity, WarnIf: th(c.warnIf), ErrorIf: th(c.errorIf)}
		if got := statusFor(cfg, c.n); got != c.want {
			t.Errorf("%s warn_if %s error_if %s with %d: %s, want %s", c.severity, c.warnIf, c.errorIf, c.n, got, c.want)
		}
	}
	for _, bad := range []string{"more than 3", ">", ">-1", "10", "=>3"} {
		if _, err := models.ParseThreshold(bad); err == nil {
			t.Errorf("ParseThreshold(%q) accepted", bad)
		}
	}
}

func TestCompareContract(t *testing.T) {
	declared := []models.Column{{Name: "id", Type: "integer"}, {Name: "name", Type: "text"}, {Name: "amount"}}
	col := func(n, typ string) adapters.ColumnInfo { return adapters.ColumnInfo{Name: n, Type: typ} }
	if d := compareContract("postgres", declared, []adapters.ColumnInfo{col("id", "INT4"), col("name", "VARCHAR"), col("amount", "NUMERIC")}); len(d) != 0 {
		t.Errorf("matching columns: %v", d)
	}
	d := compareContract("duckdb", declared, []adapters.ColumnInfo{col("name", "VARCHAR"), col("id", "BIGINT"), col("amount", "DOUBLE"), col("extra", "DATE")})
	want := []string{
		`column "id" is BIGINT in the query but integer in the contract`,
		`column "extra" (DATE) is returned by the query but not declared`,
		`columns come in another order: the query gives name, id, amount; the contract says id, name, amount`,
	}
	if strings.Join(d, "\n") != strings.Join(want, "\n") {
		t.Errorf("differences:\n%s\nwant:\n%s", strings.Join(d, "\n"), strings.Join(want, "\n"))
	}
}

func TestCellEqual(t *testing.T) {
	num := func(s string) cty.Value { return cty.MustParseNumberVal(s) }
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		actual any
		want   cty.Value
		equal  bool
	}{
		{int64(15), num("15"), true},
		{int32(15), num("15.0"), true},
		{int64(15), num("15.5"), false},
		{0.1 + 0.2, num("0.3"), true},
		{"15.50", num("15.5"), true}, // Postgres numeric arrives as text
		{"15.50", cty.StringVal("15.5"), false},
		{big.NewInt(7), num("7"), true},
		{day, cty.StringVal("2024-03-01"), true},
		{day, cty.StringVal("2024-03-01 00:00:00"), true},
		{day, cty.StringVal("2024-03-02"), false},
		{true, cty.True, true},
		{true, cty.StringVal("true"), true},
		{nil, cty.NullVal(cty.String), true},
		{nil, cty.StringVal(""), false},
		{"", cty.NullVal(cty.String), false},
		{"NL", cty.StringVal("NL"), true},
	} {
		if got := cellEqual(c.actual, c.want); got != c.equal {
			t.Errorf("cellEqual(%#v, %#v) = %v", c.actual, c.want, got)
		}
	}
}

func TestFailureRelationNames(t *testing.T) {
	tgt := &models.Target{SchemaPrefix: "dev_"}
	r := FailureRelation(tgt, "not_null_staging_orders_id")
	if r.String() != "dev_weir_test_failures.not_null_staging_orders_id" {
		t.Errorf("got %s", r)
	}
	long := "relationships_staging_order_lines_order_id_to_staging_orders_order_id_again"
	a, b := FailureRelation(tgt, long), FailureRelation(tgt, long+"2")
	if len(a.Name) > 63 || a.Name == b.Name || !strings.HasPrefix(a.Name, long[:40]) {
		t.Errorf("long names: %q and %q", a.Name, b.Name)
	}
	if got := joinName("accepted_values", "Staging", "Order Lines", "status"); got != "accepted_values_staging_order_lines_status" {
		t.Errorf("joinName: %q", got)
	}
}

func TestJUnitEscapesAndCounts(t *testing.T) {
	rs := []Result{
		{Name: "a", Kind: "not_null", Node: "s.t", Status: StatusPass},
		{Name: "b", Kind: "expression", Node: "s.t", Status: StatusFail, Failures: 2, Message: "2 failing rows",
			Sample: &Sample{Columns: []string{"x"}, Rows: [][]string{{"<&>\"'"}}}},
		{Name: "c", Kind: KindSingular, Status: StatusWarn, Message: "1 failing row"},
		{Name: "d", Kind: KindUnit, Node: "s.u", Status: StatusError, Message: "Binder Error: no column"},
		{Name: "e", Kind: "unique", Node: "s.u", Status: StatusSkipped, Message: "not run"},
	}
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, rs, time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if doc.Tests != 5 || doc.Failures != 1 || doc.Errors != 1 || doc.Skipped != 1 || len(doc.Suites) != 3 {
		t.Errorf("counts: %+v", doc)
	}
	var failure string
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				failure = c.Failure.Text
			}
		}
	}
	if !strings.Contains(failure, `<&>"'`) {
		t.Errorf("sample not carried through escaping: %q", failure)
	}
}
