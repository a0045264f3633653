package models

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// TestMacroHeaders checks what a macro file may declare: each bad header
// or name is an error at its file and line.
func TestMacroHeaders(t *testing.T) {
	cases := []struct {
		file, text, want string // want "" for no error
	}{
		{"money/cents.sql", "/* config\nparams = [\"c\", \"s\"]\ndefaults = { s = 2 }\n*/\n{{ .c }}", ""},
		{"keys.sql", "/* config\nparams = [\"a\", \"rest...\"]\n*/\n1", ""},
		{"x.postgres.sql", "1", ""},
		{"bad.sql", "/* config\nparams = [\"a\", \"b\"]\ndefaults = { a = 1 }\n*/\n1", "bad.sql:2,1: Parameter without a default after one with"},
		{"bad.sql", "/* config\nparams = [\"a\"]\ndefaults = { b = 1 }\n*/\n1", "bad.sql:3,12: Default for an unknown parameter"},
		{"bad.sql", "/* config\nparams = [\"a\", \"a\"]\n*/\n1", "bad.sql:2,1: Bad macro parameter"},
		{"bad.sql", "/* config\nparams = [\"a...\"]\ndefaults = { a = 1 }\n*/\n1", "bad.sql:3,12: Defaults with a variadic parameter"},
		{"bad.sql", "/* config\nmaterialized = \"view\"\n*/\n1", "bad.sql:2,1: Unsupported argument"},
		{"1bad.sql", "1", "1bad.sql:1,1: Bad macro file name"},
		{"ref.sql", "1", "ref.sql:1,1: Reserved macro name"},
	}
	for _, c := range cases {
		m, diags := parseMacro("macros/"+c.file, []byte(c.text))
		if m != nil {
			diags = append(diags, m.Broken...) // a bad header breaks the macro alone
		}
		got := ""
		if diags.HasErrors() {
			d := diags[0]
			got = fmt.Sprintf("%s:%d,%d: %s", strings.TrimPrefix(d.Subject.Filename, "macros/"), d.Subject.Start.Line, d.Subject.Start.Column, d.Summary)
		}
		if got != c.want {
			t.Errorf("%s: got %q, want %q", c.file, got, c.want)
		}
		if c.want == "" && m == nil {
			t.Errorf("%s: no macro", c.file)
		}
	}
	m, _ := parseMacro("macros/keys.sql", []byte("/* config\nparams = [\"a\", \"rest...\"]\n*/\n1"))
	if !m.Variadic || m.Required() != 2 || strings.Join(m.Params, ",") != "a,rest" {
		t.Errorf("variadic: %+v", m)
	}
	m, _ = parseMacro("macros/x.postgres.sql", []byte("1"))
	if m.Name != "x" || m.Adapter != "postgres" {
		t.Errorf("variant: name %q adapter %q", m.Name, m.Adapter)
	}
}

// TestStdlib checks that the standard macros load, and that a project
// macro of the same name replaces one.
func TestStdlib(t *testing.T) {
	p := &Project{Files: map[string]*hcl.File{}}
	if diags := p.addStdlib(); diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := strings.Join(p.MacroNames(), ","); got != "date_spine,pivot,star,surrogate_key,union_relations" {
		t.Errorf("standard macros %s", got)
	}
	own, _ := parseMacro("macros/surrogate_key.sql", []byte("1"))
	p = &Project{Files: map[string]*hcl.File{}, Macros: []*Macro{own}}
	p.addStdlib()
	if m := p.MacroFor("surrogate_key", "duckdb"); m != own {
		t.Errorf("surrogate_key is %s, want the project's", m.Path)
	}
	if m := p.MacroFor("date_spine", "postgres"); m == nil || m.Path != "weir:macros/date_spine.sql" {
		t.Errorf("date_spine is %v", m)
	}
}
