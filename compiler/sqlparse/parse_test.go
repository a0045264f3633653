package sqlparse

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/weir-sh/weir/compiler/internal/corpus"
	"github.com/weir-sh/weir/compiler/sqllex"
)

var parser *Parser

func TestMain(m *testing.M) {
	p, err := New()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	parser = p
	code := m.Run()
	if err := p.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// loadCorpus reads testdata/inference-cases.sql (a copy of
// shared/corpus/inference-cases.sql).
func loadCorpus(tb testing.TB) []corpus.Case {
	return corpus.Load(tb, "testdata/inference-cases.sql")
}

// want is what a case must produce. Refs and funcs are written as they
// appear in the SQL text, in text order: each Ref's text
// sql[Offset:Offset+Length] must equal it, and its name parts must spell it.
type want struct {
	refs  []string
	funcs []string
	kind  string // "" means SELECT_NODE
	stmts int    // 0 means 1
}

// checkResult asserts res against w for the text sql.
func checkResult(t *testing.T, sql string, res *Result, w want) {
	t.Helper()
	var got []string
	for _, r := range res.Refs {
		if r.Offset < 0 || r.Length <= 0 || r.Offset+r.Length > len(sql) {
			t.Errorf("ref %+v: not located in the text", r)
			got = append(got, fmt.Sprintf("<%s.%s.%s>", r.Catalog, r.Schema, r.Name))
			continue
		}
		text := sql[r.Offset : r.Offset+r.Length]
		got = append(got, text)
		var parts []string
		for _, p := range []string{r.Catalog, r.Schema, r.Name} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		spelled := strings.ReplaceAll(text, " . ", ".")
		spelled = strings.ReplaceAll(spelled, `""`, "\x00")
		spelled = strings.ReplaceAll(strings.ReplaceAll(spelled, `"`, ""), "\x00", `"`)
		if strings.Join(parts, ".") != spelled {
			t.Errorf("ref at %d: parts %q do not spell %q", r.Offset, parts, text)
		}
	}
	if !slices.Equal(got, w.refs) {
		t.Errorf("refs:\n got %q\nwant %q", got, w.refs)
	}
	var funcs []string
	for _, f := range res.Funcs {
		funcs = append(funcs, f.Name)
		if f.Offset < 0 || !strings.HasPrefix(sql[f.Offset:], f.Name) {
			t.Errorf("func %+v: offset does not point at its name", f)
		}
	}
	if !slices.Equal(funcs, w.funcs) {
		t.Errorf("funcs: got %q, want %q", funcs, w.funcs)
	}
	kind := cmpOr(w.kind, KindSelect)
	if res.Kind != kind {
		t.Errorf("kind = %q, want %q", res.Kind, kind)
	}
	stmts := w.stmts
	if stmts == 0 {
		stmts = 1
	}
	if res.Statements != stmts {
		t.Errorf("statements = %d, want %d", res.Statements, stmts)
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func refs(r ...string) want { return want{refs: r} }

// corpusWant holds the expected references of every corpus case that
// DuckDB parses as a query; corpusErr the cases it refuses.
var corpusWant = map[string]want{
	"std_join_subq_groupby":   refs("analytics.orders", "analytics.customers", "raw.payments", "ref.statuses"),
	"std_cte":                 refs("raw.orders", "staging.customers"),
	"std_union_all":           {refs: []string{"s1.t_a", "s2.t_b", "t_c"}, kind: KindSetOp},
	"std_window":              refs("main.orders"),
	"pg_cast_colons":          refs("public.orders"),
	"pg_ilike":                refs("public.users"),
	"pg_distinct_on":          refs("public.orders"),
	"pg_now_minus_interval":   refs("public.events"),
	"pg_date_trunc":           refs("public.events"),
	"pg_quoted_idents":        refs(`"Sales"."Order Items"`),
	"pg_json_arrow":           refs("public.events"),
	"pg_generate_series_from": {refs: []string{"public.dim"}, funcs: []string{"generate_series"}},
	"pg_lateral":              refs("public.users", "public.events"),
	"pg_filter_agg":           refs("public.orders"),
	"duck_exclude":            refs("main.users"),
	"duck_qualify":            refs("main.orders"),
	"duck_from_first":         refs("main.orders"),
	"duck_list_literal":       refs("main.t"),
	"duck_struct_literal":     refs("main.t"),
	"duck_read_csv_auto":      {refs: []string{"main.dim"}, funcs: []string{"read_csv_auto"}},
	"duck_group_by_all":       refs("main.orders"),
	"duck_using_sample":       refs("main.orders"),
	"three_part_names":        refs("warehouse.analytics.orders", "other_db.raw.customers"),
	"model_30_lines":          refs("raw.orders", "raw.payments", "staging.customers", "ref.segments"),
	"pgx_array_ctor":          refs("public.items"),
	"pgx_within_group":        refs("public.orders"),
	"pgx_jsonb_contains":      refs("public.events"),
	"pgx_regex":               refs("public.users"),
	"pgx_estring":             refs("public.t"),
	"pgx_tablesample":         refs("public.orders"),
	"pgx_ordinality":          {refs: []string{"public.t"}, funcs: []string{"unnest"}},
	"pgx_fetch_first":         refs("public.orders"),
	"pgx_is_distinct":         refs("public.a", "public.b"),
	"pgx_collate":             refs("public.users"),
	"pgx_recursive":           refs("public.nums"),
	"pgx_rollup":              refs("public.t"),
	"pgx_materialized_cte":    refs("public.t"),
	"pgx_regclass":            refs(),
	"pgx_dollar_param":        refs("public.t"),
	"pgx_interval_units":      refs("public.t"),
	"pgx_only":                refs("public.parent"),
}

var corpusErr = map[string]error{
	// DuckDB 1.5.6 has no row locking; the parser says so without a position.
	"pgx_for_update": &SyntaxError{Msg: "SELECT locking clause is not supported!", Offset: -1},
	// An INSERT is not a model body.
	"pg_returning": &NotSelectError{Kind: "INSERT", Offset: 0, Statements: 1},
}

func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) != 43 {
		t.Fatalf("corpus has %d cases, want 43", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			res, err := parser.Parse(c.SQL)
			if wantErr, ok := corpusErr[c.Name]; ok {
				assertErr(t, err, wantErr)
				return
			}
			w, ok := corpusWant[c.Name]
			if !ok {
				t.Fatalf("no expectation for corpus case %s", c.Name)
			}
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, c.SQL, res, w)
		})
	}
}

func assertErr(t *testing.T, err, want error) {
	t.Helper()
	switch w := want.(type) {
	case *SyntaxError:
		var se *SyntaxError
		if !errors.As(err, &se) || *se != *w {
			t.Fatalf("err = %#v (%v), want %#v", err, err, w)
		}
	case *NotSelectError:
		var ne *NotSelectError
		if !errors.As(err, &ne) || *ne != *w {
			t.Fatalf("err = %#v (%v), want %#v", err, err, w)
		}
	default:
		t.Fatalf("bad expectation %T", want)
	}
}

func TestConstructs(t *testing.T) {
	cases := []struct {
		name string
		sql  string
		want want
	}{
		{"nested_ctes",
			`WITH a AS (WITH b AS (SELECT * FROM s.x) SELECT * FROM b),
			      c AS (SELECT * FROM a JOIN s.y USING (id))
			 SELECT * FROM c`,
			refs("s.x", "s.y")},
		{"cte_in_subquery_not_visible_outside",
			`WITH a AS (WITH b AS (SELECT 1 AS id) SELECT * FROM b) SELECT * FROM a JOIN b USING (id)`,
			refs("b")},
		{"cte_in_from_subquery_not_visible_outside",
			`SELECT * FROM (WITH t AS (SELECT 1 AS v) SELECT * FROM t) x JOIN t ON true`,
			refs("t")},
		{"cte_shadows_table_only_in_its_query",
			`SELECT * FROM (WITH orders AS (SELECT 1 AS id) SELECT * FROM orders) x
			 UNION ALL SELECT * FROM orders`,
			want{refs: []string{"orders"}, kind: KindSetOp}},
		{"cte_body_reads_table_of_same_name",
			`WITH orders AS (SELECT * FROM orders WHERE amount > 0) SELECT * FROM orders`,
			refs("orders")},
		{"cte_does_not_shadow_qualified_name",
			`WITH orders AS (SELECT 1 AS id) SELECT * FROM orders, main.orders, db.main.orders`,
			refs("main.orders", "db.main.orders")},
		{"cte_names_case_insensitive",
			`WITH Recent AS (SELECT 1 AS id) SELECT * FROM RECENT JOIN "recent" USING (id)`,
			refs()},
		{"cte_sees_only_earlier_ctes",
			`WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS id) SELECT * FROM a, b`,
			refs("b")},
		{"with_recursive_no_forward_refs",
			`WITH RECURSIVE a AS (SELECT * FROM b), b AS (SELECT 1 AS id) SELECT * FROM a`,
			refs("b")},
		{"recursive_cte_sees_itself_in_subquery",
			`WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM (SELECT * FROM r) q WHERE n < 5)
			 SELECT * FROM r, s.t`,
			refs("s.t")},
		{"cte_on_set_operation",
			`WITH t AS (SELECT 1 AS v) SELECT * FROM t UNION ALL SELECT * FROM t EXCEPT SELECT * FROM s.u`,
			want{refs: []string{"s.u"}, kind: KindSetOp}},
		{"cte_in_in_subquery",
			`SELECT * FROM s.a WHERE id IN (WITH k AS (SELECT id FROM s.keys) SELECT id FROM k)`,
			refs("s.a", "s.keys")},
		{"materialized_ctes",
			`WITH x AS MATERIALIZED (SELECT * FROM s.t), y AS NOT MATERIALIZED (SELECT * FROM x) SELECT * FROM y`,
			refs("s.t")},
		{"intersect_except",
			`SELECT id FROM s.a INTERSECT SELECT id FROM s.b EXCEPT SELECT id FROM s.c`,
			want{refs: []string{"s.a", "s.b", "s.c"}, kind: KindSetOp}},
		{"parenthesized_set_operation",
			`(SELECT id FROM s.a) UNION (SELECT id FROM s.b)`,
			want{refs: []string{"s.a", "s.b"}, kind: KindSetOp}},
		{"scalar_subquery_in_select_list",
			`SELECT id, (SELECT max(ts) FROM s.events e WHERE e.uid = u.id) AS last FROM s.users u`,
			refs("s.events", "s.users")},
		{"exists",
			`SELECT * FROM s.users u WHERE EXISTS (SELECT 1 FROM s.orders o WHERE o.uid = u.id)
			 AND NOT EXISTS (SELECT 1 FROM s.bans b WHERE b.uid = u.id)`,
			refs("s.users", "s.orders", "s.bans")},
		{"in_any_all",
			`SELECT * FROM s.a WHERE x IN (SELECT x FROM s.b) AND y > ANY (SELECT y FROM s.c) AND z < ALL (SELECT z FROM s.d)`,
			refs("s.a", "s.b", "s.c", "s.d")},
		{"lateral_comma",
			`SELECT * FROM s.u u, LATERAL (SELECT * FROM s.v v WHERE v.id = u.id) l`,
			refs("s.u", "s.v")},
		{"lateral_join",
			`SELECT * FROM s.u u LEFT JOIN LATERAL (SELECT * FROM s.v v WHERE v.id = u.id LIMIT 1) l ON true`,
			refs("s.u", "s.v")},
		{"qualify_with_subquery",
			`SELECT * FROM s.o QUALIFY row_number() OVER (PARTITION BY k ORDER BY ts) <= (SELECT n FROM s.limits)`,
			refs("s.o", "s.limits")},
		{"having_subquery",
			`SELECT k, count(*) FROM s.o GROUP BY k HAVING count(*) > (SELECT min(n) FROM s.thresholds)`,
			refs("s.o", "s.thresholds")},
		{"order_by_and_limit_subqueries",
			`SELECT * FROM s.t ORDER BY (SELECT 1 FROM s.ord) LIMIT (SELECT 1 FROM s.lim)`,
			refs("s.t", "s.ord", "s.lim")},
		{"case_operand_copied_once",
			// DuckDB copies the CASE operand into every WHEN; it is one reference.
			`SELECT CASE (SELECT max(v) FROM s.t) WHEN 1 THEN 'a' WHEN 2 THEN 'b' END FROM s.u`,
			refs("s.t", "s.u")},
		{"same_table_twice",
			`SELECT * FROM s.t a JOIN s.t b ON a.id = b.parent`,
			refs("s.t", "s.t")},
		{"exclude_replace", `SELECT * EXCLUDE (secret) REPLACE (lower(email) AS email) FROM main.users`,
			refs("main.users")},
		{"distinct_on", `SELECT DISTINCT ON (k) k, v FROM s.t ORDER BY k, ts DESC`, refs("s.t")},
		{"casts", `SELECT id::int, amount::decimal(10, 2), CAST(ts AS date), '1'::int FROM s.t`, refs("s.t")},
		{"filter", `SELECT count(*) FILTER (WHERE x > (SELECT 1 FROM s.lim)) FROM s.t`, refs("s.lim", "s.t")},
		{"list_struct_map_literals",
			`SELECT [1, 2], {'a': 1, 'b': [x]}, MAP {'k': 'v'}, [y FOR y IN [1, 2] IF y > 1] FROM s.t`,
			refs("s.t")},
		{"group_by_all", `SELECT k, sum(v) FROM s.t GROUP BY ALL ORDER BY ALL`, refs("s.t")},
		{"lambda_subquery", `SELECT list_transform([1], x -> (SELECT x FROM s.l)) FROM s.t`, refs("s.l", "s.t")},
		{"quoted_identifiers",
			`SELECT "Order Id" FROM "Sales"."Order Items" AS "o i" JOIN "we""ird" w ON true`,
			refs(`"Sales"."Order Items"`, `"we""ird"`)},
		{"mixed_case_and_quoted_parts", `SELECT * FROM Raw."Orders", RAW.orders`, refs(`Raw."Orders"`, "RAW.orders")},
		{"space_around_dot", `SELECT * FROM main . orders o`, refs("main . orders")},
		{"only", `SELECT * FROM ONLY public.parent`, refs("public.parent")},
		{"table_functions",
			`SELECT * FROM read_csv_auto('data/f.csv') r
			 JOIN read_parquet(['a.parquet', 'b.parquet']) p USING (id)
			 JOIN generate_series(1, 3) g ON true
			 JOIN main.dim d USING (id)`,
			want{refs: []string{"main.dim"}, funcs: []string{"read_csv_auto", "read_parquet", "generate_series"}}},
		{"table_function_with_subquery_arg",
			`SELECT * FROM unnest((SELECT list(x) FROM s.t))`,
			want{refs: []string{"s.t"}, funcs: []string{"unnest"}}},
		{"from_first", `FROM s.x`, refs("s.x")},
		{"from_first_join", `FROM s.x JOIN s.y USING (id) SELECT id`, refs("s.x", "s.y")},
		{"values_only", `VALUES (1, 'a'), (2, 'b')`, refs()},
		{"values_in_from", `SELECT * FROM (VALUES (1)) v(a) JOIN s.t USING (a)`, refs("s.t")},
		{"table_statement", `TABLE s.x`, refs("s.x")},
		{"pivot_in_from", `SELECT * FROM s.cities PIVOT (sum(population) FOR year IN (2000, 2010))`, refs("s.cities")},
		{"pivot_statement_with_in_list", `PIVOT s.cities ON year IN (2000, 2010) USING sum(population)`, refs("s.cities")},
		{"unpivot", `FROM s.cities UNPIVOT (v FOR k IN (a, b))`, refs("s.cities")},
		{"joins_of_all_kinds",
			`SELECT * FROM s.a NATURAL JOIN s.b POSITIONAL JOIN s.c ASOF JOIN s.d USING (ts) ANTI JOIN s.e USING (id) SEMI JOIN s.f USING (id)`,
			refs("s.a", "s.b", "s.c", "s.d", "s.e", "s.f")},
		{"string_and_comments_are_not_refs",
			"SELECT 'select * from secret.t' AS s, $$from secret.d$$ AS d, E'from \\' secret.e' AS e -- from secret.t\n" +
				"FROM main.x /* join secret.u */ WHERE y <> 'secret.v'",
			refs("main.x")},
		{"multibyte_before_reference",
			"-- café ☕ 😀\nSELECT 'é', '😀' FROM main.orders o, \"Ünïcødé\".\"tàblé\"",
			refs("main.orders", `"Ünïcødé"."tàblé"`)},
		{"unicode_spaces",
			// DuckDB turns these into one ASCII space each before parsing.
			"\ufeffSELECT\u00a0*\u3000FROM\u2003main.orders\u00a0o JOIN\u200b\"Order\u00a0Items\" ON\u202ftrue",
			refs("main.orders", "\"Order\u00a0Items\"")},
		{"trailing_semicolon_and_comment", "SELECT * FROM s.t;\n-- done\n", refs("s.t")},
		{"trailing_semicolons_and_block_comment", "SELECT * FROM s.t ; ; /* end */", refs("s.t")},
		{"parameters", `SELECT * FROM s.t WHERE id = $1 OR id = ?`, refs("s.t")},
		{"named_parameter", `SELECT * FROM s.t WHERE id = $name`, refs("s.t")},
		{"multi_statement",
			`SELECT * FROM s.a; SELECT * FROM s.b UNION SELECT 1`,
			want{refs: []string{"s.a", "s.b"}, stmts: 2}},
		{"describe_and_summarize", `SUMMARIZE s.x`, refs("s.x")},
		{"at_clause", `SELECT * FROM s.t AT (VERSION => 3)`, refs("s.t")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := parser.Parse(c.sql)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, c.sql, res, c.want)
		})
	}
}

func TestEmpty(t *testing.T) {
	for _, sql := range []string{"", "  \n", "-- nothing\n", ";", "/* x */ ;"} {
		res, err := parser.Parse(sql)
		if err != nil {
			t.Fatalf("%q: %v", sql, err)
		}
		if res.Statements != 0 || res.Kind != "" || len(res.Refs) != 0 {
			t.Errorf("%q: got %+v, want no statement", sql, res)
		}
	}
}

func TestRefFields(t *testing.T) {
	sql := `SELECT * FROM "Sales"."Order Items" AS "o i" JOIN wh.raw.Customers c USING (id) JOIN t USING (id)`
	res, err := parser.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	want := []Ref{
		{Schema: "Sales", Name: "Order Items", Alias: "o i", Offset: 14, Length: len(`"Sales"."Order Items"`)},
		{Catalog: "wh", Schema: "raw", Name: "Customers", Alias: "c", Offset: strings.Index(sql, "wh."), Length: len("wh.raw.Customers")},
		{Name: "t", Offset: strings.Index(sql, "t USING"), Length: 1},
	}
	if !slices.Equal(res.Refs, want) {
		t.Errorf("refs:\n got %+v\nwant %+v", res.Refs, want)
	}
}

func TestFuncFields(t *testing.T) {
	sql := `SELECT * FROM read_csv_auto('f.csv') AS r, main.my_macro(1)`
	res, err := parser.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	want := []Func{
		{Name: "read_csv_auto", Offset: 14},
		{Name: "my_macro", Schema: "main", Offset: strings.Index(sql, "main.my_macro")},
	}
	if !slices.Equal(res.Funcs, want) {
		t.Errorf("funcs:\n got %+v\nwant %+v", res.Funcs, want)
	}
	if len(res.Refs) != 0 {
		t.Errorf("refs = %+v, want none", res.Refs)
	}
}

func TestNotSelect(t *testing.T) {
	cases := []struct {
		name, sql string
		want      NotSelectError
	}{
		{"drop", `DROP TABLE x`, NotSelectError{Kind: "DROP", Offset: 0, Statements: 1}},
		{"drop_after_bom", "\ufeffDROP\u00a0TABLE x", NotSelectError{Kind: "DROP", Offset: 3, Statements: 1}},
		{"insert", "-- load\nINSERT INTO t SELECT * FROM s", NotSelectError{Kind: "INSERT", Offset: 8, Statements: 1}},
		{"with_insert", `WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a`, NotSelectError{Kind: "INSERT", Offset: 0, Statements: 1}},
		{"with_cols_delete", `WITH a(x) AS (SELECT 1) DELETE FROM t USING a WHERE t.x = a.x`, NotSelectError{Kind: "DELETE", Offset: 0, Statements: 1}},
		{"create_as", `CREATE TABLE x AS SELECT 1`, NotSelectError{Kind: "CREATE", Offset: 0, Statements: 1}},
		{"update", `update t SET a = 1`, NotSelectError{Kind: "UPDATE", Offset: 0, Statements: 1}},
		{"explain", `EXPLAIN SELECT 1`, NotSelectError{Kind: "EXPLAIN", Offset: 0, Statements: 1}},
		{"select_then_drop", `SELECT ';' FROM t; DROP TABLE x;`, NotSelectError{Kind: "DROP", Offset: 19, Statements: 2}},
		{"drop_then_select", "DROP TABLE x;\nSELECT 1", NotSelectError{Kind: "DROP", Offset: 0, Statements: 2}},
		{"pivot_without_in_list", `PIVOT s.cities ON year USING sum(population)`, NotSelectError{Kind: "PIVOT", Offset: 0, Statements: 1}},
		{"pivot_subquery_without_in_list", `SELECT * FROM (PIVOT s.cities ON year USING sum(population))`, NotSelectError{Kind: "PIVOT", Offset: 15, Statements: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := parser.Parse(c.sql)
			if res != nil {
				t.Errorf("result %+v, want nil", res)
			}
			assertErr(t, err, &c.want)
			if !strings.Contains(err.Error(), c.want.Kind) {
				t.Errorf("message %q does not name %s", err, c.want.Kind)
			}
		})
	}
}

func TestSyntaxError(t *testing.T) {
	cases := []struct {
		name, sql string
		at        string // the text the error offset must point at; "" for the end
		msg       string
	}{
		{"double_where", `SELECT * FROM main.orders WHERE WHERE x`, "WHERE x", `syntax error at or near "WHERE"`},
		// DuckDB counts its position in code points; Offset is in bytes.
		{"after_multibyte", "-- café ☕ 😀\nSELECT 'é' AS \"ü\" FROM main.orders WHERE WHERE x", "WHERE x", `syntax error at or near "WHERE"`},
		{"after_unicode_spaces", "\ufeffSELECT\u00a0*\u3000FROM t WHERE WHERE x", "WHERE x", `syntax error at or near "WHERE"`},
		{"end_of_input", `SELECT * FROM`, "", "syntax error at end of input"},
		{"unterminated_string", `SELECT 'abc FROM t`, "'abc", "unterminated quoted string"},
		{"second_statement", `SELECT 1; SELECT * FROM t WHERE WHERE`, "WHERE", `syntax error at or near "WHERE"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parser.Parse(c.sql)
			var se *SyntaxError
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
				t.Errorf("offset = %d (%q), want %d (%q)", se.Offset, c.sql[min(max(se.Offset, 0), len(c.sql)):], want, c.sql[want:])
			}
			if !strings.Contains(se.Error(), fmt.Sprint(want)) {
				t.Errorf("Error() = %q does not give the offset", se.Error())
			}
		})
	}
	// Text DuckDB would misread is refused before it gets there.
	for sql, off := range map[string]int{"SELECT 1 FROM t\x00, s.u": 15, "SELECT * FROM \"caf\xe9\"": 18} {
		_, err := parser.Parse(sql)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Offset != off {
			t.Errorf("%q: err = %#v, want *SyntaxError at %d", sql, err, off)
		}
	}
	// Errors DuckDB reports without a position.
	for _, sql := range []string{
		`WITH a AS (SELECT 1), a AS (SELECT 2) SELECT * FROM a`,
		`SELECT * FROM t FOR UPDATE`,
	} {
		_, err := parser.Parse(sql)
		var se *SyntaxError
		if !errors.As(err, &se) || se.Offset != -1 {
			t.Errorf("%s: err = %#v, want *SyntaxError without offset", sql, err)
		}
	}
}

func TestLexer(t *testing.T) {
	sql := "SELECT ';' AS a, \"x;y\", $t$;$t$, E'\\';' -- ;\n/* ; /* ; */ ; */ FROM t ;; \n select 2 -- end"
	got := splitStatements(sql)
	want := []sqllex.Span{{Start: 0, End: strings.Index(sql, " ;;")}, {Start: strings.Index(sql, "select 2"), End: strings.Index(sql, " -- end")}}
	if !slices.Equal(got, want) {
		t.Errorf("split = %v, want %v", got, want)
	}
	for _, c := range []struct {
		sql   string
		kind  string
		query bool
	}{
		{"WITH a(x) USING KEY (x) AS (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) SELECT 3", "SELECT", true},
		{"WITH a AS (SELECT 1) (SELECT 2) UNION (SELECT 3)", "SELECT", true},
		{"with a as (select 1) merge into t using a on true when matched then delete", "MERGE", false},
		{"(SELECT 1)", "SELECT", true},
		{"pragma version", "PRAGMA", false},
	} {
		kind, query := classify(c.sql, sqllex.Span{Start: 0, End: len(c.sql)})
		if kind != c.kind || query != c.query {
			t.Errorf("classify(%q) = %q, %v; want %q, %v", c.sql, kind, query, c.kind, c.query)
		}
	}
}

// TestConcurrent parses from several goroutines at once (run with -race).
func TestConcurrent(t *testing.T) {
	cases := loadCorpus(t)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				c := cases[(g*7+i)%len(cases)]
				res, err := parser.Parse(c.SQL)
				if _, bad := corpusErr[c.Name]; bad {
					if err == nil {
						t.Errorf("%s: no error", c.Name)
					}
					continue
				}
				if err != nil {
					t.Errorf("%s: %v", c.Name, err)
					continue
				}
				if len(res.Refs) != len(corpusWant[c.Name].refs) {
					t.Errorf("%s: %d refs, want %d", c.Name, len(res.Refs), len(corpusWant[c.Name].refs))
				}
			}
		})
	}
	wg.Wait()
}

func model30(b *testing.B) string {
	for _, c := range loadCorpus(b) {
		if c.Name == "model_30_lines" {
			return c.SQL
		}
	}
	b.Fatal("model_30_lines not in corpus")
	return ""
}

func BenchmarkParse(b *testing.B) {
	sql := model30(b)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		if _, err := parser.Parse(sql); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseParallel(b *testing.B) {
	sql := model30(b)
	b.ReportAllocs()
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := parser.Parse(sql); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkParseMany parses from as many goroutines as a compile does.
func BenchmarkParseMany(b *testing.B) {
	sql := model30(b)
	b.ReportAllocs()
	b.SetParallelism(maxBatch)
	defer reportCPU(b)()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := parser.Parse(sql); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// reportCPU reports the CPU time of the process (every thread, DuckDB's
// too) per operation: on a busy machine it varies less than wall time.
// Call the function it returns at the end of the benchmark.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
