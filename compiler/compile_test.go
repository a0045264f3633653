package compiler_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	_ "github.com/weir-sh/weir/adapters/duckdb"
	_ "github.com/weir-sh/weir/adapters/postgres"

	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/models"
)

var update = flag.Bool("update", false, "rewrite the want/ sections of testdata/cases/*.txtar")

var parser *sqlparse.Parser

func TestMain(m *testing.M) {
	var err error
	if parser, err = sqlparse.New(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	parser.Close()
	os.Exit(code)
}

// TestCases compiles each project in testdata/cases/*.txtar and compares
// the edges, the compiled SQL of chosen models and the diagnostics with
// the case's want/ sections:
//
//	want/edges            one line per model: "name: parent, parent"
//	want/errors           one line per diagnostic: "file:line:col: summary"
//	want/compiled/S/N.sql the compiled SQL of model S.N
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.txtar")
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runCase(t, file)
		})
	}
}

func runCase(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	want := map[string]string{}
	for _, f := range ar.Files {
		if strings.HasPrefix(f.Name, "want/") {
			want[f.Name] = string(f.Data)
			continue
		}
		path := filepath.Join(dir, f.Name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := compileCase(t, dir, want)
	if *update {
		for i, f := range ar.Files {
			if g, ok := got[f.Name]; ok {
				ar.Files[i].Data = []byte(g)
			}
		}
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for name, w := range want {
		if name == "want/edges" {
			compareEdges(t, w, got[name])
			continue
		}
		if diff := cmp.Diff(w, got[name]); diff != "" {
			t.Errorf("%s differs (-want +got):\n%s", name, diff)
		}
	}
}

// compareEdges reports each model whose parents differ as its own subtest,
// so every inference case passes or fails by name.
func compareEdges(t *testing.T, want, got string) {
	parse := func(s string) map[string]string {
		m := map[string]string{}
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			if name, deps, ok := strings.Cut(l, ":"); ok {
				m[name] = strings.TrimSpace(deps)
			}
		}
		return m
	}
	w, g := parse(want), parse(got)
	for name, deps := range w {
		t.Run(name, func(t *testing.T) {
			if g[name] != deps {
				t.Errorf("parents of %s: got [%s], want [%s]", name, g[name], deps)
			}
		})
	}
	for name := range g {
		if _, ok := w[name]; !ok {
			t.Errorf("model %s not in want/edges", name)
		}
	}
}

// compileCase compiles the project in dir and renders what the want/
// sections compare.
func compileCase(t *testing.T, dir string, want map[string]string) map[string]string {
	res, diags := compileProject(t, dir)
	got := map[string]string{}
	var errs []string
	for _, d := range diags {
		if d.Subject != nil {
			errs = append(errs, fmt.Sprintf("%s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, d.Summary))
		} else {
			errs = append(errs, d.Summary)
		}
	}
	sort.Strings(errs)
	got["want/errors"] = lines(errs)
	if _, expectErrors := want["want/errors"]; !expectErrors && diags.HasErrors() {
		t.Fatalf("unexpected diagnostics:\n%s", got["want/errors"])
	}
	if res == nil {
		return got
	}
	var edges []string
	for _, n := range res.Nodes {
		if n.Kind == models.KindModel {
			edges = append(edges, n.ID+": "+strings.Join(n.DependsOn, ", "))
		}
	}
	sort.Strings(edges)
	got["want/edges"] = lines(edges)
	for name := range want {
		if rest, ok := strings.CutPrefix(name, "want/compiled/"); ok {
			id := strings.TrimSuffix(strings.Replace(rest, "/", ".", 1), ".sql")
			if n := res.Nodes[id]; n != nil {
				got[name] = n.SQL + "\n"
			}
		}
	}
	return got
}

func lines(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return strings.Join(l, "\n") + "\n"
}
