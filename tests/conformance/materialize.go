package conformance

import (
	"reflect"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
)

// testMaterializations builds one model of each kind: a table, a view over
// it, an ephemeral model that is inlined and never created, and a table
// reading the ephemeral one.
func testMaterializations(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/mat/base.sql", Model("table", "SELECT * FROM "+Table("v", []string{"id", "name"}, []string{"1", "'a'"}, []string{"2", "'b'"}, []string{"3", "'c'"})))
	p.Write("models/mat/names.sql", Model("view", "SELECT id, upper(name) AS name FROM mat.base"))
	p.Write("models/mat/odd.sql", Model("ephemeral", "SELECT id, name FROM mat.names WHERE id % 2 = 1"))
	p.Write("models/mat/odd_count.sql", Model("table", "SELECT count(*) AS n, min(name) AS first FROM mat.odd"))
	res := p.MustBuild()

	if got := len(res.Results); got != 3 {
		t.Errorf("the run reported %d nodes, want 3 (the ephemeral model is not built)", got)
	}
	if r := Result(t, res, "mat.base"); r.Rows != 3 {
		t.Errorf("mat.base reported %d rows, want 3", r.Rows)
	}
	if r := Result(t, res, "mat.odd_count"); r.Rows != 1 {
		t.Errorf("mat.odd_count reported %d rows, want 1", r.Rows)
	}
	for id, want := range map[string]string{"mat.base": adapters.KindTable, "mat.names": adapters.KindView, "mat.odd_count": adapters.KindTable} {
		if got := p.Kind(id); got != want {
			t.Errorf("%s is a %q in the warehouse, want %s", id, got, want)
		}
	}
	for rel := range p.Relations() {
		if strings.Contains(strings.ToLower(rel), "odd") && !strings.HasSuffix(rel, "odd_count") {
			t.Errorf("the ephemeral model left a relation %s", rel)
		}
	}
	EqualRows(t, "mat.names", p.Strings("SELECT id, name FROM "+p.Rel("mat.names")+" ORDER BY id"), Rows("1|A", "2|B", "3|C"))
	EqualRows(t, "mat.odd_count", p.Strings("SELECT n, first FROM "+p.Rel("mat.odd_count")), Rows("2|A"))
}

// testSwitchMaterialization rebuilds one model as table, view, table and
// view again, with a table downstream of it rebuilt each time.
func testSwitchMaterialization(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/sw/down.sql", Model("table", "SELECT sum(x) AS total FROM sw.m"))
	for i, kind := range []string{"table", "view", "table", "view", "table"} {
		third := strings.Repeat("1", i+1) // 1, 11, 111, …: each build's rows differ
		sql := "SELECT x FROM " + Table("v", []string{"x"}, []string{"1"}, []string{"2"}, []string{third})
		p.Write("models/sw/m.sql", Model(kind, sql))
		p.MustBuild()
		if got := p.Kind("sw.m"); got != kind {
			t.Fatalf("build %d: sw.m is a %q, want %s", i+1, got, kind)
		}
		EqualRows(t, "sw.down after build "+itoa(i+1), p.Strings("SELECT total FROM "+p.Rel("sw.down")), Rows(itoa(1+2+atoi(third))))
		EqualRows(t, "sw.m after build "+itoa(i+1), p.Strings("SELECT count(*) FROM "+p.Rel("sw.m")), Rows("3"))
	}
	for rel := range p.Relations() {
		if strings.Contains(rel, adapters.TempName("")) {
			t.Errorf("a rebuild left %s behind", rel)
		}
	}
}

// testDownstreamView rebuilds a table alone, then as a view and back,
// while a view and a table that read it are not part of those runs: the
// view must survive every rebuild and show the new rows. (On Postgres a
// DROP of the table would take the view with it.)
func testDownstreamView(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/dv/base.sql", Model("table", "SELECT 1 AS id, 'one' AS label"))
	p.Write("models/dv/reader.sql", Model("view", "SELECT id, label FROM dv.base"))
	p.Write("models/dv/reader2.sql", Model("view", "SELECT count(*) AS n FROM dv.reader"))
	p.MustBuild()

	steps := []struct{ kind, sql, want string }{
		{"table", "SELECT 2 AS id, 'two' AS label", "2|two"},
		{"view", "SELECT 3 AS id, 'three' AS label", "3|three"},
		{"table", "SELECT 4 AS id, 'four' AS label", "4|four"},
	}
	for _, s := range steps {
		p.Write("models/dv/base.sql", Model(s.kind, s.sql))
		res := p.MustBuild("dv.base")
		if len(res.Results) != 1 {
			t.Fatalf("selected one node, the run built %d", len(res.Results))
		}
		if got := p.Kind("dv.reader"); got != adapters.KindView {
			t.Fatalf("after rebuilding dv.base as a %s, dv.reader is %q, want a view", s.kind, got)
		}
		EqualRows(t, "dv.reader after rebuilding dv.base as a "+s.kind, p.Strings("SELECT id, label FROM "+p.Rel("dv.reader")), Rows(s.want))
		EqualRows(t, "dv.reader2", p.Strings("SELECT n FROM "+p.Rel("dv.reader2")), Rows("1"))
	}
	if cols := p.Columns("dv.reader"); !reflect.DeepEqual(cols, []string{"id:int", "label:text"}) {
		t.Errorf("dv.reader has columns %v after the rebuilds", cols)
	}
}
