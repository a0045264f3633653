package lineage_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/weir-sh/weir/adapters"
	_ "github.com/weir-sh/weir/adapters/duckdb"
	_ "github.com/weir-sh/weir/adapters/postgres"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/compiler/lineage"
	"github.com/weir-sh/weir/compiler/sqlparse"
	"github.com/weir-sh/weir/models"
)

var update = flag.Bool("update", false, "rewrite the golden files and the lineage.golden sections of testdata/cases/*.txtar")

const goldenName = "lineage.golden"

// analyzeDir compiles the project in dir and works out its lineage.
func analyzeDir(t *testing.T, dir string, cat lineage.Catalog) (*lineage.Graph, string) {
	t.Helper()
	res := compileDir(t, dir)
	g, ldiags := lineage.Analyze(context.Background(), res, lineage.Options{Catalog: cat})
	if ldiags.HasErrors() {
		t.Fatalf("analyze: %v", ldiags)
	}
	var warns []string
	for _, d := range ldiags {
		warns = append(warns, fmt.Sprintf("warning: %s:%d:%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, d.Detail))
	}
	return g, format(g) + strings.Join(warns, "\n")
}

// compileDir compiles the project in dir for its default target.
func compileDir(t *testing.T, dir string) *compiler.Result {
	t.Helper()
	p, diags := models.Load(dir)
	if p == nil {
		t.Fatalf("load: %v", diags)
	}
	tgt := p.Targets[p.DefaultTarget]
	d, err := adapters.DialectOf(tgt)
	if err != nil {
		t.Fatal(err)
	}
	res, cdiags := compiler.Compile(p, compiler.Options{Target: tgt, Dialect: d})
	if res == nil {
		t.Fatalf("compile: %v", cdiags)
	}
	t.Cleanup(func() { res.Close() })
	return res
}

// TestCacheStartsNoParser: with every model in the lineage cache,
// Analyze gives the same graph without the parser (a closed one here);
// with a model missing, it needs it.
func TestCacheStartsNoParser(t *testing.T) {
	res := compileDir(t, "../../examples/shop")
	ctx := context.Background()
	cache := filepath.Join(t.TempDir(), "lineage.gob")
	cold, diags := lineage.Analyze(ctx, res, lineage.Options{CacheFile: cache})
	if diags.HasErrors() {
		t.Fatalf("cold: %v", diags)
	}
	closed, err := sqlparse.New()
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	warm, diags := lineage.Analyze(ctx, res, lineage.Options{CacheFile: cache, Parser: closed})
	if diags.HasErrors() {
		t.Fatalf("warm, closed parser: %v", diags)
	}
	if got, want := format(warm), format(cold); got != want {
		t.Errorf("warm graph differs\n--- warm\n%s--- cold\n%s", got, want)
	}
	_, diags = lineage.Analyze(ctx, res, lineage.Options{CacheFile: filepath.Join(t.TempDir(), "lineage.gob"), Parser: closed})
	if !diags.HasErrors() || diags[0].Summary != "Cannot start the SQL parser" {
		t.Errorf("no cache, closed parser: %v, want Cannot start the SQL parser", diags)
	}
}

// format writes a graph as text, one node then one column a line.
func format(g *lineage.Graph) string {
	var b strings.Builder
	for _, n := range g.Nodes() {
		fmt.Fprintf(&b, "%s (%s)\n", n.ID, n.Kind)
		if n.Unknown != "" {
			fmt.Fprintf(&b, "  unknown: %s\n", n.Unknown)
		}
		if n.Partial {
			b.WriteString("  partial\n")
		}
		for _, c := range n.Columns {
			fmt.Fprintf(&b, "  %d %s <- %s", c.Ordinal, c.Name, refs(c.Upstream))
			if c.Unknown != "" {
				fmt.Fprintf(&b, " (unknown: %s)", c.Unknown)
			}
			b.WriteString("\n")
		}
		if len(n.Filters) > 0 {
			fmt.Fprintf(&b, "  filters: %s\n", refs(n.Filters))
		}
		for _, p := range n.Problems {
			fmt.Fprintf(&b, "  problem: %s\n", p)
		}
	}
	return b.String()
}

func refs(rs []lineage.Ref) string {
	if len(rs) == 0 {
		return "-"
	}
	var parts []string
	for _, r := range rs {
		s := r.Node + "." + r.Column
		if r.Kind != lineage.Direct && r.Kind != lineage.Filter {
			s += " [" + string(r.Kind) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// TestCases works out the lineage of each project in
// testdata/cases/*.txtar and compares it with its lineage.golden section.
func TestCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.txtar")
	if len(files) == 0 {
		t.Fatal("no cases")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			want, wantIdx := "", -1
			for i, f := range ar.Files {
				if f.Name == goldenName {
					want, wantIdx = string(f.Data), i
					continue
				}
				path := filepath.Join(dir, f.Name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, got := analyzeDir(t, dir, nil)
			got = strings.TrimSpace(got) + "\n"
			if *update {
				if wantIdx < 0 {
					ar.Files = append(ar.Files, txtar.File{Name: goldenName})
					wantIdx = len(ar.Files) - 1
				}
				ar.Files[wantIdx].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != want {
				t.Errorf("lineage differs (go test -update rewrites it)\n--- got\n%s--- want\n%s", got, want)
			}
		})
	}
}

// TestShop checks the lineage of examples/shop against
// testdata/shop.golden, with the sources' columns from a catalog as the
// CLI reads it from a built warehouse.
func TestShop(t *testing.T) {
	cat := lineage.Catalog{
		"app.web_events": {"id", "customer_id", "event_type", "occurred_at"},
		"app.countries":  {"code", "name", "region"},
	}
	_, got := analyzeDir(t, "../../examples/shop", cat)
	got = strings.TrimSpace(got) + "\n"
	golden := "testdata/shop.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("lineage differs (go test -update rewrites it)\n--- got\n%s--- want\n%s", got, want)
	}
}
