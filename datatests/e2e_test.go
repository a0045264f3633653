package datatests_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	_ "github.com/weir-sh/weir/adapters/duckdb"
	_ "github.com/weir-sh/weir/adapters/postgres"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/internal/servertest"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/runner"
)

// TestEndToEndDuckDB builds testdata/fixture into a DuckDB file with its
// tests: load, compile, collect the tests, run the build.
func TestEndToEndDuckDB(t *testing.T) {
	dir := copyFixture(t)
	endToEnd(t, dir, func(p *models.Project) *models.Target {
		tgt := p.Targets["dev"]
		tgt.Path = filepath.Join(dir, "target", "fixture.duckdb")
		return tgt
	})
}

// TestEndToEndPostgres is the same on Postgres, in schemas of its own.
// It skips when Postgres is unreachable, unless WEIR_REQUIRE_POSTGRES=1.
func TestEndToEndPostgres(t *testing.T) {
	dsn, prefix := servertest.Postgres.DSN(), servertest.Postgres.UniquePrefix(t, "wt_")
	dir := copyFixture(t)
	endToEnd(t, dir, func(p *models.Project) *models.Target {
		tgt := p.Targets["pg"]
		tgt.DSN, tgt.SchemaPrefix = dsn, prefix
		for _, s := range p.Sources {
			s.Physical = prefix + s.Schema
		}
		return tgt
	})
}

// built is a compiled fixture with its tests and a connection.
type built struct {
	res   *compiler.Result
	suite *datatests.Suite
	a     adapters.Adapter
	tgt   *models.Target
}

func compileFixture(t *testing.T, dir string, pick func(*models.Project) *models.Target) *built {
	t.Helper()
	p, diags := models.Load(dir)
	if diags.HasErrors() {
		t.Fatalf("load: %v", diags)
	}
	tgt := pick(p)
	d, err := adapters.DialectOf(tgt)
	if err != nil {
		t.Fatal(err)
	}
	res, diags := compiler.Compile(p, compiler.Options{Target: tgt, Dialect: d})
	if diags.HasErrors() {
		t.Fatalf("compile: %v", diags)
	}
	t.Cleanup(func() { res.Close() })
	suite, diags := datatests.Collect(res)
	if diags.HasErrors() {
		t.Fatalf("collect: %v", diags)
	}
	a, err := adapters.Open(tgt, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return &built{res: res, suite: suite, a: a, tgt: tgt}
}

func (b *built) run(t *testing.T) map[string]runner.NodeResult {
	t.Helper()
	results, err := runner.New(b.res, b.a).Run(context.Background(), runner.Options{Threads: 4, Tests: b.suite}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]runner.NodeResult{}
	for _, r := range results.Results {
		out[r.Name] = r
	}
	return out
}

func (b *built) query(t *testing.T, q string) [][]any {
	t.Helper()
	rows, err := b.a.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return rows.Values
}

func (b *built) rel(id string) string {
	return adapters.QuoteRelation(b.res.Dialect, b.res.Nodes[id].Relation)
}

func endToEnd(t *testing.T, dir string, pick func(*models.Project) *models.Target) {
	b := compileFixture(t, dir, pick)
	ctx := context.Background()
	app := b.res.Nodes["app.accounts"].Relation
	for _, q := range []string{
		b.a.Dialect().CreateSchema(app.Schema),
		fmt.Sprintf("DROP TABLE IF EXISTS %s", b.rel("app.accounts")),
		fmt.Sprintf("CREATE TABLE %s AS SELECT * FROM (VALUES (1), (1), (2)) AS t(id)", b.rel("app.accounts")),
	} {
		if _, err := b.a.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	nodes := b.run(t)

	status := func(t *testing.T, id, want string) {
		t.Helper()
		if got := nodes[id].Status; got != want {
			t.Errorf("%s: status %s, want %s (%s)", id, got, want, nodes[id].Message)
		}
	}
	test := func(t *testing.T, node, name, want string, failures int64) datatests.Result {
		t.Helper()
		for _, r := range nodes[node].Tests {
			if r.Name == name {
				if r.Status != want || r.Failures != failures {
					t.Errorf("test %s: %s with %d failures, want %s with %d (%s)", name, r.Status, r.Failures, want, failures, r.Message)
				}
				return r
			}
		}
		var names []string
		for _, r := range nodes[node].Tests {
			names = append(names, r.Name)
		}
		t.Fatalf("no test %s reported with %s; it has %v", name, node, names)
		return datatests.Result{}
	}

	t.Run("error severity fails the model and skips downstream", func(t *testing.T) {
		status(t, "staging.orders", runner.StatusError)
		if !strings.Contains(nodes["staging.orders"].Message, "1 test failed: orders_have_customers") {
			t.Errorf("message %q", nodes["staging.orders"].Message)
		}
		status(t, "marts.revenue", runner.StatusSkipped)
		if !strings.Contains(nodes["marts.revenue"].Message, "staging.orders") {
			t.Errorf("marts.revenue skipped because %q", nodes["marts.revenue"].Message)
		}
	})
	t.Run("failing rows are reported", func(t *testing.T) {
		r := test(t, "staging.orders", "orders_have_customers", datatests.StatusFail, 1)
		if r.Sample == nil || !strings.Contains(r.Sample.Table(), "9") {
			t.Errorf("sample should show customer 9: %+v", r.Sample)
		}
		if r.File != "models/staging/orders.sql:9" {
			t.Errorf("declared at %q", r.File)
		}
	})
	t.Run("stored failures are queryable", func(t *testing.T) {
		r := test(t, "staging.orders", "orders_have_customers", datatests.StatusFail, 1)
		want := datatests.FailureRelation(b.tgt, "orders_have_customers")
		if r.StoredIn != want.String() {
			t.Fatalf("stored in %q, want %q", r.StoredIn, want)
		}
		rows := b.query(t, "SELECT customer_id, order_id FROM "+adapters.QuoteRelation(b.a.Dialect(), want))
		if len(rows) != 1 || fmt.Sprint(rows[0][0]) != "9" || fmt.Sprint(rows[0][1]) != "4" {
			t.Errorf("stored failing rows %v, want order 4 of customer 9", rows)
		}
	})
	t.Run("warn severity does not skip downstream", func(t *testing.T) {
		status(t, "staging.customers", runner.StatusSuccess)
		r := test(t, "staging.customers", "accepted_values_staging_customers_country", datatests.StatusWarn, 1)
		if r.Sample == nil || r.Sample.Rows[0][0] != "XX" {
			t.Errorf("sample %+v, want the value XX", r.Sample)
		}
		status(t, "marts.customer_list", runner.StatusSuccess)
		test(t, "staging.orders", "no_big_orders", datatests.StatusWarn, 1)
	})
	t.Run("thresholds are honoured", func(t *testing.T) {
		test(t, "staging.orders", "accepted_values_staging_orders_status", datatests.StatusWarn, 1)
		r := test(t, "raw.orders", "expression_raw_orders_amount", datatests.StatusPass, 1)
		if !strings.Contains(r.Message, "within warn_if >5 and error_if >5") {
			t.Errorf("message %q", r.Message)
		}
	})
	t.Run("where filters the tested rows", func(t *testing.T) {
		test(t, "staging.orders", "expression_staging_orders_amount", datatests.StatusPass, 0)
	})
	t.Run("other kinds pass", func(t *testing.T) {
		status(t, "raw.orders", runner.StatusSuccess)
		test(t, "raw.orders", "not_null_raw_orders_id", datatests.StatusPass, 0)
		test(t, "raw.orders", "at_least_raw_orders_amount", datatests.StatusPass, 0)
		test(t, "staging.orders", "row_count_staging_orders", datatests.StatusPass, 0)
		// A singular test reading two models runs with the later one.
		test(t, "marts.customer_list", "every_customer_listed", datatests.StatusPass, 0)
		test(t, "marts.kpis", "contract_marts_kpis", datatests.StatusPass, 0)
	})
	t.Run("a failing source test stops its readers", func(t *testing.T) {
		status(t, "staging.accounts", runner.StatusError)
		test(t, "staging.accounts", "unique_app_accounts_id", datatests.StatusFail, 1)
	})
	t.Run("junit", func(t *testing.T) { checkJUnit(t, nodes) })
	t.Run("unit tests", func(t *testing.T) { unitTests(t, b) })
	t.Run("contract violation keeps the previous table", func(t *testing.T) { contractViolation(t, b, dir, pick) })
}

// checkJUnit writes every result as JUnit and parses it back.
func checkJUnit(t *testing.T, nodes map[string]runner.NodeResult) {
	var all []datatests.Result
	failures := 0
	for _, n := range nodes {
		for _, r := range n.Tests {
			all = append(all, r)
			if r.Status == datatests.StatusFail {
				failures++
			}
		}
	}
	var buf bytes.Buffer
	if err := datatests.WriteJUnit(&buf, all, time.Now()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("invalid XML: %v\n%s", err, buf.String())
	}
	if doc.Tests != len(all) || doc.Failures != failures || failures < 2 {
		t.Errorf("testsuites says %d tests, %d failures; want %d and %d", doc.Tests, doc.Failures, len(all), failures)
	}
	cases := 0
	found := false
	for _, s := range doc.Suites {
		cases += len(s.Cases)
		for _, c := range s.Cases {
			if c.Name == "orders_have_customers" {
				found = c.Failure != nil && strings.Contains(c.Failure.Message, "1 failing row") && strings.Contains(c.Failure.Text, "customer_id")
				if s.Name != "staging.orders" {
					t.Errorf("orders_have_customers in suite %s", s.Name)
				}
			}
		}
	}
	if cases != len(all) {
		t.Errorf("%d testcases for %d results", cases, len(all))
	}
	if !found {
		t.Errorf("no failure element with the sample for orders_have_customers:\n%s", buf.String())
	}
}

func unitTests(t *testing.T, b *built) {
	byName := map[string]*datatests.Unit{}
	for _, u := range b.suite.Units {
		byName[u.Name] = u
	}
	ok := b.suite.RunUnit(context.Background(), b.a, byName["revenue_counts_paid_orders"])
	if ok.Status != datatests.StatusPass {
		t.Errorf("revenue_counts_paid_orders: %s: %s\n%s", ok.Status, ok.Message, byName["revenue_counts_paid_orders"].SQL)
	}
	bad := b.suite.RunUnit(context.Background(), b.a, byName["revenue_wrong_on_purpose"])
	if bad.Status != datatests.StatusFail || bad.Failures != 3 {
		t.Fatalf("revenue_wrong_on_purpose: %s with %d failures, want fail with 3: %s", bad.Status, bad.Failures, bad.Message)
	}
	for _, want := range []string{
		"0 of 2 expected rows matched",
		"- { customer_id = 1, revenue = 15 }",
		"- { customer_id = 2, revenue = 7 }",
		"+ { customer_id = 1, revenue = 15.5 }",
	} {
		if !strings.Contains(bad.Message, want) {
			t.Errorf("diff lacks %q:\n%s", want, bad.Message)
		}
	}
}

func contractViolation(t *testing.T, b *built, dir string, pick func(*models.Project) *models.Target) {
	before := b.query(t, "SELECT orders, customers FROM "+b.rel("marts.kpis"))
	if len(before) != 1 || fmt.Sprint(before[0]) != "[5 3]" {
		t.Fatalf("marts.kpis before: %v", before)
	}
	path := filepath.Join(dir, "models/marts/kpis.sql")
	src, _ := os.ReadFile(path)
	broken := strings.Replace(string(src), "SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers",
		"SELECT CAST(count(*) AS INTEGER) AS orders, 'x' AS extra", 1)
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	b2 := compileFixture(t, dir, pick)
	b.a.Close() // one writer at a time on a DuckDB file
	nodes := b2.run(t)
	r := nodes["marts.kpis"]
	if r.Status != runner.StatusError || r.Message != "not built: its contract failed (3 differences); the previous relation was kept" {
		t.Fatalf("marts.kpis: %s: %s", r.Status, r.Message)
	}
	if len(r.Tests) != 1 || r.Tests[0].Kind != datatests.KindContract || r.Tests[0].Status != datatests.StatusFail {
		t.Fatalf("marts.kpis tests: %+v", r.Tests)
	}
	msg := r.Tests[0].Message
	for _, want := range []string{`column "orders" is INT`, `bigint in the contract`, `column "customers" is declared (models/marts/kpis.sql:4)`, `column "extra"`, "previous relation was kept"} {
		if !strings.Contains(msg, want) {
			t.Errorf("contract error lacks %q:\n%s", want, msg)
		}
	}
	after := b2.query(t, "SELECT * FROM "+b2.rel("marts.kpis"))
	if fmt.Sprint(after) != "[[5 3]]" {
		t.Errorf("marts.kpis after the violation: %v, want the previous [[5 3]]", after)
	}
}

// copyFixture copies testdata/fixture to a temporary folder the test may
// change.
func copyFixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/fixture")); err != nil {
		t.Fatal(err)
	}
	return dir
}
