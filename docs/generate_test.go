package docs_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	_ "github.com/weir-sh/weir/adapters/duckdb" // the dialect of the test project
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/docs"
	"github.com/weir-sh/weir/models"
)

// compile writes files into a new project folder and compiles it.
func compile(t *testing.T, files map[string]string) *compiler.Result {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, diags := models.Load(dir)
	if p == nil || diags.HasErrors() {
		t.Fatalf("load: %v", diags)
	}
	tgt := p.Targets[p.DefaultTarget]
	d, err := adapters.DialectOf(tgt)
	if err != nil {
		t.Fatal(err)
	}
	res, diags := compiler.Compile(p, compiler.Options{Target: tgt, Dialect: d})
	if diags.HasErrors() {
		t.Fatalf("compile: %v", diags)
	}
	t.Cleanup(func() { res.Close() })
	return res
}

var project = map[string]string{
	"weir.hcl": `name = "p"
target "dev" {
  adapter = "duckdb"
  path    = "target/p.duckdb"
}
`,
	"seeds/raw/pay.csv": "id,amount\n1,100\n",
	"models/m/total.sql": `/* config
description = "Total paid."
tags = ["money"]
column "amount" { description = "In cents." }
column "gone"   { description = "Declared, not in the warehouse." }
*/
SELECT sum(amount) AS amount, count(*) AS n FROM raw.pay
`,
}

// script reads a data script "weir.FN(JSON);" into v.
func script(t *testing.T, path, fn string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.TrimSpace(string(b))
	if !strings.HasPrefix(s, "weir."+fn+"(") || !strings.HasSuffix(s, ");") {
		t.Fatalf("%s is not a weir.%s(…) script: %.60s", path, fn, s)
	}
	if err := json.Unmarshal([]byte(s[len("weir."+fn+"("):len(s)-2]), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

type node struct {
	ID      string `json:"id"`
	Columns []struct {
		Name, Type, Declared, Description string
	} `json:"columns"`
	ColumnsFrom string  `json:"columns_from"`
	Tests       []int   `json:"tests"`
	History     [][]any `json:"history"`
	State       *struct {
		BuiltAt string `json:"built_at"`
	} `json:"state"`
}

// TestGenerate: warehouse columns come first in their order with their
// types and the declared docs, declared columns the warehouse lacks come
// last; runs become the node's history, oldest first; tests are listed on
// their node.
func TestGenerate(t *testing.T) {
	res := compile(t, project)
	res.Tests = []compiler.ManifestTest{{Name: "not_null_m_total_amount", Kind: "not_null", Node: "m.total", Column: "amount", Severity: "error"}}
	built := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	in := docs.Input{
		Result: res,
		Warehouse: &docs.Warehouse{
			Columns: map[string][]docs.Column{"m.total": {{Name: "n", Type: "BIGINT"}, {Name: "amount", Type: "HUGEINT"}}},
			State:   map[string]docs.NodeState{"m.total": {BuiltAt: built, LastStatus: "success"}},
		},
		Runs: []docs.Run{
			{ID: "r2", Command: "build", Status: "success", StartedAt: built, Nodes: []docs.RunNode{{Name: "m.total", Status: "success", DurationMS: 12.34, Rows: 1}}},
			{ID: "r1", Command: "build", Status: "error", StartedAt: built.Add(-time.Hour), Nodes: []docs.RunNode{{Name: "m.total", Status: "error", DurationMS: 5}}},
		},
		Tests: map[string]docs.TestResult{"not_null_m_total_amount": {Status: "pass", At: built}},
	}
	site := filepath.Join(t.TempDir(), "target", "docs")
	st, err := docs.Generate(site, in)
	if err != nil {
		t.Fatal(err)
	}
	if st.Nodes != 2 || st.Runs != 2 {
		t.Errorf("stats %+v", st)
	}
	var index struct {
		Nodes [][]any `json:"nodes"`
		Tests [][]any `json:"tests"`
		Runs  [][]any `json:"runs"`
	}
	script(t, filepath.Join(site, "data", "index.js"), "index", &index)
	if len(index.Nodes) != 2 || index.Nodes[1][0] != "m.total" || index.Nodes[1][7] != "built" {
		t.Fatalf("index nodes %v", index.Nodes)
	}
	if len(index.Runs) != 2 || index.Runs[0][0] != "r2" || index.Runs[1][6] != float64(1) {
		t.Errorf("index runs %v (newest first, errors counted)", index.Runs)
	}
	var nodes []node
	script(t, filepath.Join(site, "data", "nodes", "0.js"), "nodes", &nodes)
	total := nodes[1]
	got := []string{}
	for _, c := range total.Columns {
		got = append(got, c.Name+":"+c.Type+":"+c.Description)
	}
	want := "n:BIGINT:|amount:HUGEINT:In cents.|gone::Declared, not in the warehouse."
	if strings.Join(got, "|") != want || total.ColumnsFrom != "warehouse" {
		t.Errorf("columns %s (%s), want %s", strings.Join(got, "|"), total.ColumnsFrom, want)
	}
	if len(total.History) != 2 || total.History[0][0] != float64(1) || total.History[0][1] != "error" || total.History[1][2] != 12.3 {
		t.Errorf("history %v, want run 1 (error) then run 0 (12.3 ms)", total.History)
	}
	if len(total.Tests) != 1 || total.Tests[0] != 0 || index.Tests[0][5] != "pass" {
		t.Errorf("tests on the node %v, index %v", total.Tests, index.Tests)
	}
	if total.State == nil || total.State.BuiltAt != "2026-12-01T10:00:00Z" {
		t.Errorf("state %+v", total.State)
	}
}

// TestGenerateReplaces: a second site replaces the first whole (no file of
// the old one is left), and Handler serves it uncached.
func TestGenerateReplaces(t *testing.T) {
	res := compile(t, project)
	site := filepath.Join(t.TempDir(), "docs")
	runs := make([]docs.Run, 3)
	for i := range runs {
		runs[i] = docs.Run{ID: "r", StartedAt: time.Now()}
	}
	if _, err := docs.Generate(site, docs.Input{Result: res, Runs: runs}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(site, "data", "runs", "2.js")); err != nil {
		t.Fatal(err)
	}
	if _, err := docs.Generate(site, docs.Input{Result: res, WarehouseNote: "not built"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(site, "data", "runs", "2.js")); !os.IsNotExist(err) {
		t.Errorf("an old run script is left: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(site))
	if len(entries) != 1 {
		t.Errorf("beside the site: %v (temporary folders left?)", entries)
	}
	rec := httptest.NewRecorder()
	docs.Handler(site).ServeHTTP(rec, httptest.NewRequest("GET", "/data/index.js", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"warehouse":"not built"`) || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("served %d %q, Cache-Control %q", rec.Code, rec.Body.String(), rec.Header().Get("Cache-Control"))
	}
}
