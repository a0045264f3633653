package tidbparse

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/weir-sh/weir/compiler/sqlparse"
)

// refs formats each reference as schema.name@offset:text-at-offset.
func refs(sql string, rs []sqlparse.Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = fmt.Sprintf("%s.%s@%d:%s", r.Schema, r.Name, r.Offset, sql[r.Offset:r.Offset+r.Length])
	}
	return out
}

func TestInference(t *testing.T) {
	for _, c := range []struct {
		name, sql string
		ansi      bool
		want      []string
	}{
		{"backquotes", "SELECT `o`.`id` FROM `sales`.`order items` AS o",
			false, []string{"sales.order items@21:`sales`.`order items`"}},
		{"bare and mixed", "SELECT * FROM staging.Orders o JOIN `staging`.customers c ON c.id = o.cid",
			false, []string{"staging.Orders@14:staging.Orders", "staging.customers@36:`staging`.customers"}},
		{"straight_join", "SELECT STRAIGHT_JOIN a.x FROM s.a STRAIGHT_JOIN s.b ON a.x = b.x",
			false, []string{"s.a@30:s.a", "s.b@48:s.b"}},
		{"index hints", "SELECT * FROM s.t USE INDEX (i1) JOIN s.u FORCE INDEX FOR JOIN (i2) ON t.a = u.a",
			false, []string{"s.t@14:s.t", "s.u@38:s.u"}},
		{"derived table", "SELECT d.n FROM (SELECT count(*) AS n FROM s.t WHERE x > 0) AS d",
			false, []string{"s.t@43:s.t"}},
		{"cte scoped", "WITH t AS (SELECT * FROM s.t), u AS (SELECT * FROM t) SELECT * FROM u JOIN t USING (id) JOIN s.u USING (id)",
			false, []string{"s.t@25:s.t", "s.u@93:s.u"}},
		{"recursive cte", "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9) SELECT * FROM n, s.t",
			false, []string{"s.t@94:s.t"}},
		{"cte name shadows a table only in its scope", "SELECT * FROM (WITH t AS (SELECT 1 AS x) SELECT * FROM t) AS a, t",
			false, []string{".t@64:t"}},
		{"window functions", "SELECT id, row_number() OVER (PARTITION BY g ORDER BY ts) AS rn, sum(v) OVER w FROM s.events WINDOW w AS (PARTITION BY g)",
			false, []string{"s.events@84:s.events"}},
		{"comments", "SELECT 1 # FROM s.hash\n-- FROM s.dash\n/* FROM s.block */ FROM s.real /*! JOIN s.exec ON 1 = 1 */",
			false, []string{"s.real@62:s.real", "s.exec@78:s.exec"}},
		{"strings with backslashes", `SELECT 'it\'s FROM s.nope', "FROM s.dq" FROM s.yes`,
			false, []string{"s.yes@45:s.yes"}},
		{"ansi quotes", `SELECT "id" FROM "Sales"."Orders"`,
			true, []string{`Sales.Orders@17:"Sales"."Orders"`}},
		{"alias named as a table", "SELECT t.x AS t FROM s.t AS t",
			false, []string{"s.t@21:s.t"}},
		{"union", "SELECT a FROM s.x UNION ALL SELECT a FROM s.y",
			false, []string{"s.x@14:s.x", "s.y@42:s.y"}},
		{"subquery in select list", "SELECT (SELECT max(v) FROM s.m) AS top, n FROM s.t",
			false, []string{"s.m@27:s.m", "s.t@47:s.t"}},
		{"comma joins", "SELECT a.x, b.y FROM s.a a, s.b b, (SELECT 1) c WHERE a.x = b.y",
			false, []string{"s.a@21:s.a", "s.b@28:s.b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, _ := New(c.ansi)
			res, err := p.Parse(c.sql)
			if err != nil {
				t.Fatal(err)
			}
			got := refs(c.sql, res.Refs)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("refs of %s\n got %q\nwant %q", c.sql, got, c.want)
			}
		})
	}
}

func TestQualifiedColumns(t *testing.T) {
	p, _ := New(false)
	sql := "SELECT s.t.id, t.v FROM s.t"
	res, err := p.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	if got := refs(sql, res.Qualified); len(got) != 1 || got[0] != "s.t@7:s.t" {
		t.Errorf("qualified: %q", got)
	}
}

func TestErrors(t *testing.T) {
	p, _ := New(false)
	_, err := p.Parse("SELECT * FORM s.t")
	var se *sqlparse.SyntaxError
	if !errors.As(err, &se) || se.Offset != len("SELECT * ") {
		t.Errorf("syntax error: %#v", err)
	}
	_, err = p.Parse("SELECT 1;\nDELETE FROM s.t")
	var ns *sqlparse.NotSelectError
	if !errors.As(err, &ns) || ns.Kind != "DELETE" || ns.Offset != 10 || ns.Statements != 2 {
		t.Errorf("not a select: %#v", err)
	}
	// Double quotes are strings without ANSI_QUOTES: no table there.
	res, err := p.Parse(`SELECT "x" FROM s.t`)
	if err != nil || len(res.Refs) != 1 {
		t.Errorf("double-quoted string: %v %v", res, err)
	}
	// DuckDB-only syntax is refused, not guessed.
	if _, err := p.Parse("SELECT x::int FROM s.t"); err == nil {
		t.Errorf(":: cast parsed on MySQL")
	}
}

// TestAliases checks that a reference carries the alias the SQL gives it:
// the compiler adds one of its own to an inlined ephemeral model only when
// there is none (t AS x AS y is a syntax error).
func TestAliases(t *testing.T) {
	p, _ := New(false)
	sql := "SELECT * FROM s.a AS x JOIN b y ON x.id = y.id LEFT JOIN c ON c.id = x.id"
	res, err := p.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Refs {
		got = append(got, r.Name+":"+r.Alias)
	}
	if want := "a:x b:y c:"; strings.Join(got, " ") != want {
		t.Errorf("aliases: %q, want %q", got, want)
	}
}
