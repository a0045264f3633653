package compiler_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// compileProject loads the project in dir and compiles it for its default
// target, DuckDB with the shared parser (other dialects open their own),
// returning the diagnostics of both steps.
func compileProject(t *testing.T, dir string) (*compiler.Result, hcl.Diagnostics) {
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
	opts := compiler.Options{Target: tgt, Dialect: d}
	if d.Name() == "duckdb" {
		opts.Parser = parser
	}
	res, cdiags := compiler.Compile(p, opts)
	return res, append(diags, cdiags...)
}

// compileDir compiles the project in dir, its diagnostics as one text.
func compileDir(t *testing.T, dir string) (*compiler.Result, string) {
	t.Helper()
	res, diags := compileProject(t, dir)
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Summary+": "+d.Detail)
	}
	return res, strings.Join(msgs, "\n")
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFileInputs: the content of the files a model reads is in its
// fingerprint (not its code hash); a model reading none keeps the
// fingerprint it had; URLs are not read; a missing file, a glob matching
// nothing and a FIFO are errors, without hanging.
func TestFileInputs(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"weir.hcl":           "name = \"p\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n}\n",
		"data/x.csv":         "id\n1\n",
		"data/y.csv":         "id\n2\n",
		"models/s/one.sql":   "SELECT * FROM 'data/x.csv'",
		"models/s/glob.sql":  "SELECT * FROM read_csv('data/*.csv') UNION ALL SELECT * FROM read_csv('s3://b/k.csv')",
		"models/s/plain.sql": "SELECT 1 AS id",
	})
	res, msgs := compileDir(t, dir)
	if msgs != "" {
		t.Fatal(msgs)
	}
	one, glob, plain := *res.Nodes["s.one"], *res.Nodes["s.glob"], *res.Nodes["s.plain"]
	if !slices.Equal(one.Inputs, []string{"data/x.csv"}) || !slices.Equal(glob.Inputs, []string{"data/*.csv"}) || plain.Inputs != nil {
		t.Fatalf("inputs: %q, %q, %q", one.Inputs, glob.Inputs, plain.Inputs)
	}

	writeFiles(t, dir, map[string]string{"data/y.csv": "id\n3\n"})
	res, msgs = compileDir(t, dir)
	if msgs != "" {
		t.Fatal(msgs)
	}
	if n := res.Nodes["s.one"]; n.Fingerprint != one.Fingerprint {
		t.Error("s.one: its file did not change, its fingerprint did")
	}
	if n := res.Nodes["s.glob"]; n.Fingerprint == glob.Fingerprint || n.CodeHash != glob.CodeHash {
		t.Error("s.glob: a file its glob matches changed: the fingerprint must change, the code hash not")
	}
	if n := res.Nodes["s.plain"]; n.Fingerprint != plain.Fingerprint {
		t.Error("s.plain reads no file; its fingerprint changed")
	}

	fifo := filepath.Join(dir, "data", "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"models/s/missing.sql": "SELECT * FROM 'data/missing.csv'",
		"models/s/none.sql":    "SELECT * FROM read_csv('nothing/*.csv')",
		"models/s/pipe.sql":    "SELECT * FROM 'data/pipe.csv'",
	})
	done := make(chan string, 1)
	go func() { _, msgs := compileDir(t, dir); done <- msgs }()
	select {
	case msgs = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("compile hangs on a FIFO input")
	}
	for _, want := range []string{
		"Cannot read input file data/missing.csv: stat " + dir + "/data/missing.csv: no such file",
		"Cannot read input file nothing/*.csv: no file matches the pattern",
		"Cannot read input file data/pipe.csv: " + fifo + " is not a regular file",
	} {
		if !strings.Contains(msgs, want) {
			t.Errorf("no %q in:\n%s", want, msgs)
		}
	}
}
