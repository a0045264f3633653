package dbt

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

func TestCombineIncremental(t *testing.T) {
	for _, c := range []struct{ full, inc, want string }{
		{"a\nb\n", "a\nb\n", "a\nb\n"},
		{"select 1\nfrom t\n\n", "select 1\nfrom t\n\nwhere x > 1\n\n",
			"select 1\nfrom t\n\n{{ if is_incremental }}\nwhere x > 1\n{{ end }}\n"},
		{"select 1\nfrom t\nwhere a\norder by 1\n", "select 1\nfrom t\nwhere b\norder by 1\n",
			"select 1\nfrom t\n{{ if is_incremental }}\nwhere b\n{{ else }}\nwhere a\n{{ end }}\norder by 1\n"},
	} {
		if got := combineIncremental(c.full, c.inc); got != c.want {
			t.Errorf("combineIncremental(%q, %q)\n got %q\nwant %q", c.full, c.inc, got, c.want)
		}
	}
}

func TestMacroTranslate(t *testing.T) {
	for _, c := range []struct{ params, body, weir, reason string }{
		{"col, scale=2", " round({{ col }}, {{- scale }}) ", "/* config\nparams = [\"col\", \"scale\"]\ndefaults = { scale = 2 }\n*/\nround({{ .col }}, {{- .scale }})\n", ""},
		{"col", "{% if col %}x{% endif %}", "", "its body has Jinja statements ({% … %})"},
		{"col", "{{ col | upper }}", "", "its body prints col | upper, not only its parameters"},
		{"col, d=none", "{{ col }}", "", "its default none is not a plain value"},
	} {
		m := &macro{Name: "m"}
		m.parseParams(c.params)
		m.translate(c.body)
		if m.weir != c.weir || m.reason != c.reason {
			t.Errorf("macro (%s) %q: got %q (%s), want %q (%s)", c.params, c.body, m.weir, m.reason, c.weir, c.reason)
		}
	}
}

// TestConvertDeterministic imports the dbt project of the CLI's import
// test several times: every file is the same each time.
func TestConvertDeterministic(t *testing.T) {
	ar, err := txtar.ParseFile("../../cmd/weir/testdata/script/import_dbt.txtar")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		if rel, ok := strings.CutPrefix(f.Name, "dbt/"); ok {
			full := filepath.Join(dir, rel)
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	first, err := Convert(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Files) < 10 {
		t.Fatalf("%d files written, want the whole project", len(first.Files))
	}
	for range 5 {
		again, err := Convert(dir)
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range first.Files {
			if !bytes.Equal(again.Files[name], b) {
				t.Fatalf("%s differs between two imports:\n%s\n---\n%s", name, b, again.Files[name])
			}
		}
		if len(again.Files) != len(first.Files) {
			t.Fatalf("%d files, then %d", len(first.Files), len(again.Files))
		}
	}
}

func TestConvertNotDbt(t *testing.T) {
	_, err := Convert(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "is not a dbt project") {
		t.Errorf("got %v, want an error saying it is not a dbt project", err)
	}
}

func TestResolveDispatch(t *testing.T) {
	mk := func(name, params, body string) *macro {
		m := &macro{Name: name, body: body}
		m.parseParams(params)
		m.translate(body)
		return m
	}
	dispatch := "{{ return(adapter.dispatch('c2d', 'pkg')(col)) }}"
	c := &converter{report: &Report{}, macros: map[string]*macro{
		"c2d":            mk("c2d", "col", dispatch),
		"default__c2d":   mk("default__c2d", "col", "{{ col }} / 100"),
		"postgres__c2d":  mk("postgres__c2d", "col", "{{ col }}::float / 100"),
		"orphan":         mk("orphan", "x", "{{ return(adapter.dispatch('orphan')(x)) }}"),
		"loopy":          mk("loopy", "x", "{{ return(adapter.dispatch('loopy')(x)) }}"),
		"default__loopy": mk("default__loopy", "x", "{% for i in x %}{{ i }}{% endfor %}"),
	}}
	c.resolveDispatch()
	m := c.macros["c2d"]
	if !strings.HasSuffix(m.weir, "{{ .col }} / 100\n") || !strings.HasSuffix(m.variants["postgres"], "{{ .col }}::float / 100\n") || len(m.variants) != 1 {
		t.Errorf("c2d: %q, variants %q", m.weir, m.variants)
	}
	if !c.macros["default__c2d"].variantOf || !c.macros["postgres__c2d"].variantOf {
		t.Error("the implementations of c2d are still macros of their own")
	}
	if m := c.macros["orphan"]; m.weir != "" || !strings.Contains(m.reason, "no default__orphan") {
		t.Errorf("orphan: %q (%s)", m.weir, m.reason)
	}
	if m := c.macros["loopy"]; m.weir != "" || !strings.Contains(m.reason, "dispatches to default__loopy, which weir cannot write") {
		t.Errorf("loopy: %q (%s)", m.weir, m.reason)
	}
}

func TestUndefinedNameReported(t *testing.T) {
	c := &converter{report: &Report{}, macros: map[string]*macro{}, ids: map[string]string{}}
	_, _, err := c.translateSQL("m.sql", "select 1\n{% set rows = run_query('select 1') %}\n", false)
	if err == nil || err.Error() != "line 2: it uses run_query, which weir does not provide (a dbt feature or a package macro with no weir equivalent)" {
		t.Errorf("got %v", err)
	}
}
