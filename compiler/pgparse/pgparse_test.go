package pgparse

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/weir-sh/weir/compiler/internal/corpus"
	"github.com/weir-sh/weir/compiler/sqlparse"
)

var (
	pg   *Parser
	duck *sqlparse.Parser
)

func TestMain(m *testing.M) {
	pg, _ = New()
	d, err := sqlparse.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	duck = d
	code := m.Run()
	d.Close()
	os.Exit(code)
}

// loadCorpus reads the shared corpus (the copy sqlparse's tests read).
func loadCorpus(tb testing.TB) []corpus.Case {
	return corpus.Load(tb, "../sqlparse/testdata/inference-cases.sql")
}

// written lists each reference as the text it covers.
func written(sql string, refs []sqlparse.Ref) []string {
	out := []string{}
	for _, r := range refs {
		if r.Offset < 0 || r.Length <= 0 {
			out = append(out, fmt.Sprintf("<unlocated %s.%s.%s>", r.Catalog, r.Schema, r.Name))
			continue
		}
		out = append(out, sql[r.Offset:r.Offset+r.Length])
	}
	return out
}

// agree asserts that both parsers found the same things in sql.
func agree(t *testing.T, sql string, p, d *sqlparse.Result) {
	t.Helper()
	if diff := cmp.Diff(d.Refs, p.Refs); diff != "" {
		t.Errorf("refs differ from DuckDB's (-duckdb +postgres):\n%s", diff)
	}
	if diff := cmp.Diff(d.Qualified, p.Qualified); diff != "" {
		t.Errorf("qualifiers differ from DuckDB's (-duckdb +postgres):\n%s", diff)
	}
	if diff := cmp.Diff(d.Funcs, p.Funcs); diff != "" {
		t.Errorf("funcs differ from DuckDB's (-duckdb +postgres):\n%s", diff)
	}
	if p.Statements != d.Statements || p.Kind != d.Kind {
		t.Errorf("statements, kind = %d, %s; DuckDB says %d, %s", p.Statements, p.Kind, d.Statements, d.Kind)
	}
	for _, r := range p.Refs {
		if r.Length == 0 {
			t.Errorf("ref %+v not located in %q", r, sql)
		}
	}
}

// pgOnly are the corpus cases Postgres parses and DuckDB refuses, with
// the references Postgres finds.
var pgOnly = map[string][]string{
	"pgx_for_update": {"public.orders"},
}

// duckOnly are the corpus cases DuckDB parses and Postgres refuses.
var duckOnly = []string{
	"duck_exclude", "duck_qualify", "duck_from_first", "duck_list_literal",
	"duck_struct_literal", "duck_group_by_all", "duck_using_sample",
}

func TestCorpusAgreesWithDuckDB(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) != 43 {
		t.Fatalf("corpus has %d cases, want 43", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			p, perr := pg.Parse(c.SQL)
			d, derr := duck.Parse(c.SQL)
			switch {
			case slices.Contains(duckOnly, c.Name):
				var se *sqlparse.SyntaxError
				if !errors.As(perr, &se) || se.Offset < 0 {
					t.Fatalf("postgres: err = %v, want a located syntax error", perr)
				}
				if derr != nil {
					t.Fatalf("duckdb: %v", derr)
				}
			case pgOnly[c.Name] != nil:
				if derr == nil {
					t.Fatalf("DuckDB parses it now: move the case out of pgOnly")
				}
				if perr != nil {
					t.Fatal(perr)
				}
				if got := written(c.SQL, p.Refs); !slices.Equal(got, pgOnly[c.Name]) {
					t.Errorf("refs = %q, want %q", got, pgOnly[c.Name])
				}
			case derr != nil:
				// Both refuse: the same kind of error at the same place.
				var dn, pn *sqlparse.NotSelectError
				if !errors.As(derr, &dn) || !errors.As(perr, &pn) || *dn != *pn {
					t.Fatalf("postgres: %#v, duckdb: %#v", perr, derr)
				}
			default:
				if perr != nil {
					t.Fatalf("postgres: %v", perr)
				}
				agree(t, c.SQL, p, d)
			}
		})
	}
}

// TestConstructsAgree parses SQL both grammars accept and compares.
func TestConstructsAgree(t *testing.T) {
	for _, sql := range []string{
		`WITH a AS (WITH b AS (SELECT * FROM s.x) SELECT * FROM b), c AS (SELECT * FROM a JOIN s.y USING (id)) SELECT * FROM c`,
		`WITH a AS (WITH b AS (SELECT 1 AS id) SELECT * FROM b) SELECT * FROM a JOIN b USING (id)`,
		`SELECT * FROM (WITH t AS (SELECT 1 AS v) SELECT * FROM t) x JOIN t ON true`,
		`SELECT * FROM (WITH orders AS (SELECT 1 AS id) SELECT * FROM orders) x UNION ALL SELECT * FROM orders`,
		`WITH orders AS (SELECT * FROM orders WHERE amount > 0) SELECT * FROM orders`,
		`WITH orders AS (SELECT 1 AS id) SELECT * FROM orders, main.orders, db.main.orders`,
		`WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS id) SELECT * FROM a, b`,
		`WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM (SELECT * FROM r) q WHERE n < 5) SELECT * FROM r, s.t`,
		`WITH t AS (SELECT 1 AS v) SELECT * FROM t UNION ALL SELECT * FROM t EXCEPT SELECT * FROM s.u`,
		`SELECT * FROM s.a WHERE id IN (WITH k AS (SELECT id FROM s.keys) SELECT id FROM k)`,
		`WITH x AS MATERIALIZED (SELECT * FROM s.t), y AS NOT MATERIALIZED (SELECT * FROM x) SELECT * FROM y`,
		`(SELECT id FROM s.a) UNION (SELECT id FROM s.b)`,
		`SELECT id, (SELECT max(ts) FROM s.events e WHERE e.uid = u.id) AS last FROM s.users u`,
		`SELECT * FROM s.a WHERE x IN (SELECT x FROM s.b) AND y > ANY (SELECT y FROM s.c) AND z < ALL (SELECT z FROM s.d)`,
		`SELECT * FROM s.u u LEFT JOIN LATERAL (SELECT * FROM s.v v WHERE v.id = u.id LIMIT 1) l ON true`,
		`SELECT CASE (SELECT max(v) FROM s.t) WHEN 1 THEN 'a' WHEN 2 THEN 'b' END FROM s.u`,
		`SELECT * FROM s.t a JOIN s.t b ON a.id = b.parent`,
		`SELECT count(*) FILTER (WHERE x > (SELECT 1 FROM s.lim)) FROM s.t`,
		`SELECT "Order Id" FROM "Sales"."Order Items" AS "o i" JOIN "we""ird" w ON true`,
		`SELECT * FROM Raw."Orders", RAW.orders, main . orders /* c */ . x`,
		"-- café ☕ 😀\nSELECT 'é', '😀' FROM main.orders o, \"Ünïcødé\".\"tàblé\"",
		`SELECT * FROM read_csv_auto('f.csv') r JOIN generate_series(1, 3) g ON true JOIN main.my_func(1) m ON true`,
		`SELECT * FROM unnest((SELECT array_agg(x) FROM s.t))`,
		`SELECT * FROM (VALUES (1)) v(a) JOIN s.t USING (a)`,
		"SELECT * FROM s.t;\n-- done\n",
		`SELECT * FROM s.a; SELECT * FROM s.b UNION SELECT 1`,
		`SELECT staging.t.id, db.staging.t.x, "S"."T"."c", t.y, staging . t . z FROM staging.t, db.staging.t, "S"."T"`,
		`SELECT max(raw.u.v) FROM raw.u WHERE raw.u.k > (SELECT min(raw.w.k) FROM raw.w) ORDER BY raw.u.v`,
	} {
		t.Run("", func(t *testing.T) {
			p, err := pg.Parse(sql)
			if err != nil {
				t.Fatalf("postgres: %v\n%s", err, sql)
			}
			d, err := duck.Parse(sql)
			if err != nil {
				t.Fatalf("duckdb: %v\n%s", err, sql)
			}
			agree(t, sql, p, d)
		})
	}
}

// TestPostgresOnly pins SQL Postgres accepts and DuckDB refuses.
func TestPostgresOnly(t *testing.T) {
	for _, c := range []struct {
		name, sql   string
		refs, quals []string
	}{
		{"alias_at", `SELECT at.id FROM s.orders at JOIN s.items AS at2 ON at2.oid = at.id`, []string{"s.orders", "s.items"}, nil},
		{"column_alias_at", `SELECT id at FROM s.orders`, []string{"s.orders"}, nil},
		{"for_update_of", `SELECT * FROM s.orders o FOR UPDATE OF o`, []string{"s.orders"}, nil},
		{"star_qualified", `SELECT staging.t.* FROM staging.t`, []string{"staging.t"}, []string{"staging.t"}},
		{"rows_from", `SELECT * FROM s.t, ROWS FROM (generate_series(1, 2), pg_catalog.unnest(ARRAY[1])) x`, []string{"s.t"}, nil},
		{"schema_at", `SELECT at.t.id FROM at.t JOIN at.u USING (id)`, []string{"at.t", "at.u"}, []string{"at.t"}},
		{"fetch_with_ties", `SELECT * FROM s.t ORDER BY id FETCH FIRST 1 ROWS WITH TIES`, []string{"s.t"}, nil},
		{"between_symmetric", `SELECT id FROM s.t WHERE id BETWEEN SYMMETRIC (SELECT max(id) FROM s.u) AND 2`, []string{"s.t", "s.u"}, nil},
		{"order_by_using", `SELECT name FROM s.t ORDER BY name USING <`, []string{"s.t"}, nil},
		{"xmltable", `SELECT * FROM s.t, XMLTABLE('/a' PASSING t.x COLUMNS a int) xt`, []string{"s.t"}, nil},
		{"json_table", `SELECT * FROM s.t, JSON_TABLE(t.j, '$' COLUMNS (a int)) jt`, []string{"s.t"}, nil},
		{"recursive_search", `WITH RECURSIVE x(a) AS (SELECT 1 UNION ALL SELECT a + 1 FROM x, s.t) SEARCH DEPTH FIRST BY a SET o SELECT * FROM x`, []string{"s.t"}, nil},
		{"is_normalized", `SELECT * FROM s.t WHERE name IS NORMALIZED`, []string{"s.t"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := duck.Parse(c.sql); err == nil {
				t.Errorf("DuckDB parses it too; it does not belong here")
			}
			res, err := pg.Parse(c.sql)
			if err != nil {
				t.Fatal(err)
			}
			if got := written(c.sql, res.Refs); !slices.Equal(got, c.refs) {
				t.Errorf("refs = %q, want %q", got, c.refs)
			}
			if got := written(c.sql, res.Qualified); len(got)+len(c.quals) > 0 && !slices.Equal(got, c.quals) {
				t.Errorf("qualifiers = %q, want %q", got, c.quals)
			}
		})
	}
}

// TestScopes pins where Postgres's CTE scoping differs from DuckDB's.
func TestScopes(t *testing.T) {
	for _, c := range []struct {
		name, sql string
		refs      []string
	}{
		// Unquoted names fold to lower case; a quoted "Recent" is another name.
		{"case", `WITH "Recent" AS (SELECT 1 AS id) SELECT * FROM "Recent", Recent`, []string{"Recent"}},
		{"folded", `WITH Recent AS (SELECT 1 AS id) SELECT * FROM RECENT JOIN "recent" USING (id)`, []string{}},
		// Under WITH RECURSIVE every CTE sees all of them.
		{"recursive_forward", `WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT 1 AS id) SELECT * FROM a`, []string{}},
		{"plain_no_forward", `WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS id) SELECT * FROM a`, []string{"b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := pg.Parse(c.sql)
			if err != nil {
				t.Fatal(err)
			}
			if got := written(c.sql, res.Refs); !slices.Equal(got, c.refs) {
				t.Errorf("refs = %q, want %q", got, c.refs)
			}
		})
	}
}

func TestRefFields(t *testing.T) {
	sql := `SELECT "S"."T".a FROM "S"."T" AS "o i" JOIN wh.raw.Customers c USING (id) JOIN t USING (id)`
	res, err := pg.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	want := []sqlparse.Ref{
		{Schema: "S", Name: "T", Alias: "o i", Offset: strings.Index(sql, `"S"."T" AS`), Length: 7},
		{Catalog: "wh", Schema: "raw", Name: "Customers", Alias: "c", Offset: strings.Index(sql, "wh."), Length: len("wh.raw.Customers")},
		{Name: "t", Offset: strings.Index(sql, "t USING"), Length: 1},
	}
	if diff := cmp.Diff(want, res.Refs); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
	wantQ := []sqlparse.Ref{{Schema: "S", Name: "T", Offset: 7, Length: 7}}
	if diff := cmp.Diff(wantQ, res.Qualified); diff != "" {
		t.Errorf("qualifiers (-want +got):\n%s", diff)
	}
}

func TestEmpty(t *testing.T) {
	for _, sql := range []string{"", "  \n", "-- nothing\n", ";", "/* x */ ;"} {
		res, err := pg.Parse(sql)
		if err != nil {
			t.Fatalf("%q: %v", sql, err)
		}
		if res.Statements != 0 || res.Kind != "" || len(res.Refs) != 0 {
			t.Errorf("%q: got %+v, want no statement", sql, res)
		}
	}
}

func TestNotSelect(t *testing.T) {
	for _, c := range []struct {
		name, sql string
		want      sqlparse.NotSelectError
	}{
		{"drop", `DROP TABLE x`, sqlparse.NotSelectError{Kind: "DROP", Offset: 0, Statements: 1}},
		{"insert_after_comment", "-- load\nINSERT INTO t SELECT * FROM s", sqlparse.NotSelectError{Kind: "INSERT", Offset: 8, Statements: 1}},
		{"with_insert", `WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a`, sqlparse.NotSelectError{Kind: "INSERT", Offset: 0, Statements: 1}},
		{"with_delete", `WITH a(x) AS (SELECT 1) DELETE FROM t USING a WHERE t.x = a.x`, sqlparse.NotSelectError{Kind: "DELETE", Offset: 0, Statements: 1}},
		{"update", `update t SET a = 1`, sqlparse.NotSelectError{Kind: "UPDATE", Offset: 0, Statements: 1}},
		{"create_as", `CREATE TABLE x AS SELECT 1`, sqlparse.NotSelectError{Kind: "CREATE", Offset: 0, Statements: 1}},
		{"select_into", `SELECT * INTO x FROM t`, sqlparse.NotSelectError{Kind: "SELECT INTO", Offset: 0, Statements: 1}},
		{"select_then_drop", `SELECT ';' FROM t; DROP TABLE x;`, sqlparse.NotSelectError{Kind: "DROP", Offset: 19, Statements: 2}},
		{"second_after_comment", "SELECT 1; /* then */\n  explain SELECT 1", sqlparse.NotSelectError{Kind: "EXPLAIN", Offset: 23, Statements: 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := pg.Parse(c.sql)
			var ne *sqlparse.NotSelectError
			if res != nil || !errors.As(err, &ne) || *ne != c.want {
				t.Fatalf("got %+v, %#v; want %#v", res, err, c.want)
			}
		})
	}
}

func TestSyntaxError(t *testing.T) {
	for _, c := range []struct {
		name, sql string
		at        string // the text the offset must point at; "" for the end
		msg       string
	}{
		{"double_where", `SELECT * FROM main.orders WHERE WHERE x`, "WHERE x", `syntax error at or near "WHERE"`},
		// Postgres counts its position in characters; Offset is in bytes.
		{"after_multibyte", "-- café ☕ 😀\nSELECT 'é' AS \"ü\" FROM main.orders WHERE WHERE x", "WHERE x", `syntax error at or near "WHERE"`},
		{"end_of_input", `SELECT * FROM`, "", "syntax error at end of input"},
		{"unterminated_string", `SELECT 'abc FROM t`, "'abc", "unterminated quoted string"},
		{"second_statement", `SELECT 1; SELECT * FROM t WHERE WHERE`, "WHERE", `syntax error at or near "WHERE"`},
		{"duckdb_only", `FROM main.orders SELECT id`, "FROM", `syntax error at or near "FROM"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := pg.Parse(c.sql)
			var se *sqlparse.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%T), want *SyntaxError", err, err)
			}
			if !strings.HasPrefix(se.Msg, c.msg) {
				t.Errorf("msg = %q, want prefix %q", se.Msg, c.msg)
			}
			want := len(c.sql)
			if c.at != "" {
				want = strings.LastIndex(c.sql, c.at)
			}
			if se.Offset != want {
				t.Errorf("offset = %d, want %d (%q)", se.Offset, want, c.sql[want:])
			}
		})
	}
	for sql, off := range map[string]int{"SELECT 1 FROM t\x00, s.u": 15, "SELECT * FROM \"caf\xe9\"": 18} {
		_, err := pg.Parse(sql)
		var se *sqlparse.SyntaxError
		if !errors.As(err, &se) || se.Offset != off {
			t.Errorf("%q: err = %#v, want *SyntaxError at %d", sql, err, off)
		}
	}
}

// BenchmarkParse parses the corpus's 30-line model; compare with
// sqlparse's BenchmarkParse (DuckDB).
func BenchmarkParse(b *testing.B) {
	var sql string
	for _, c := range loadCorpus(b) {
		if c.Name == "model_30_lines" {
			sql = c.SQL
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pg.Parse(sql); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrent parses from several goroutines at once, as the compiler
// does: libpg_query keeps its state per thread.
func TestConcurrent(t *testing.T) {
	cases := loadCorpus(t)
	want := map[string]int{}
	for _, c := range cases {
		if res, err := pg.Parse(c.SQL); err == nil {
			want[c.Name] = len(res.Refs)
		}
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 40 {
				c := cases[(g*7+i)%len(cases)]
				res, err := pg.Parse(c.SQL)
				n, ok := want[c.Name]
				if ok != (err == nil) || ok && len(res.Refs) != n {
					t.Errorf("%s: %v, %v; alone it gave %d refs", c.Name, res, err, n)
				}
			}
		})
	}
	wg.Wait()
}
