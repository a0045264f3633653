package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// TestOwnerCacheSeesEdits sends commands to a weir watch that keeps its
// compiled project and recorded state between them: each is answered
// from what it kept (the test checks that it was), and a command after an
// edit of a model, a macro, weir.hcl, a new file, a deleted file or a
// write to the warehouse by another command sees the change.
func TestOwnerCacheSeesEdits(t *testing.T) {
	dir := t.TempDir()
	hcl := "name = \"c\"\nvars = { n = 10 }\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/c.duckdb\"\n}\n"
	writeFile(t, filepath.Join(dir, "weir.hcl"), hcl)
	writeFile(t, filepath.Join(dir, "models/s/fast.sql"), "SELECT 1 AS x\n")
	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT {{ var \"n\" }} + {{ two }} AS v\n")
	writeFile(t, filepath.Join(dir, "macros/two.sql"), "2\n")

	settle()
	out := startTimedOwner(t, dir, "from save to done", "watch", "--select", "s.fast")

	kept := func(what string) { t.Helper(); keptTwice(t, dir, out, what) }
	value := func(what, sql, want string) { t.Helper(); queryGives(t, dir, what, sql, want) }
	kept("first")
	value("first", "SELECT v FROM s.a", "v\n12\n")

	// Commands that run at once share what the owner kept (go test
	// -race checks the owner too).
	n := strings.Count(out.String(), "project kept")
	var wg sync.WaitGroup
	for _, args := range [][]string{
		{"build", "--select", "s.a"}, {"plan"}, {"ls"}, {"show", "s.a"}, {"query", "SELECT v FROM s.a"},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := weirProcess(dir, args...).CombinedOutput(); err != nil {
				t.Errorf("weir %s: %v\n%s", strings.Join(args, " "), err, out)
			}
		}()
	}
	wg.Wait()
	if strings.Contains(out.String(), "DATA RACE") {
		t.Fatal("the race detector found a race in the owner")
	}
	if got := strings.Count(out.String(), "project kept"); got != n+5 {
		t.Fatalf("%d of the 5 commands run at once took the project the owner kept", got-n)
	}

	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT {{ var \"n\" }} + {{ two }} + 100 AS v\n")
	runWeir(t, dir, "build")
	value("model edited", "SELECT v FROM s.a", "v\n112\n")

	kept("model edited")
	writeFile(t, filepath.Join(dir, "macros/two.sql"), "3\n") // same size
	runWeir(t, dir, "build")
	value("macro edited", "SELECT v FROM s.a", "v\n113\n")

	kept("macro edited")
	writeFile(t, filepath.Join(dir, "weir.hcl"), strings.Replace(hcl, "n = 10", "n = 20", 1))
	runWeir(t, dir, "build")
	value("weir.hcl edited", "SELECT v FROM s.a", "v\n123\n")

	kept("weir.hcl edited")
	writeFile(t, filepath.Join(dir, "models/t/b.sql"), "SELECT v + 1 AS w FROM s.a\n")
	runWeir(t, dir, "build")
	value("new file", "SELECT w FROM t.b", "w\n124\n")

	kept("new file")
	if err := os.Remove(filepath.Join(dir, "models/t/b.sql")); err != nil {
		t.Fatal(err)
	}
	if got := runWeir(t, dir, "ls"); strings.Contains(got, "t.b") {
		t.Fatalf("weir ls after t.b was deleted:\n%s", got)
	}

	// The recorded state and the catalog are kept too, until a command
	// writes to the warehouse.
	kept("file deleted")
	n = strings.Count(out.String(), "state kept")
	if got := runWeir(t, dir, "build"); !strings.Contains(got, "Nothing to do") {
		t.Fatalf("no-op build:\n%s", got)
	}
	if strings.Count(out.String(), "state kept") != n+1 {
		t.Fatal("the no-op build did not take the state the owner kept")
	}
	runWeir(t, dir, "query", "DROP TABLE s.a")
	if got := runWeir(t, dir, "build"); !strings.Contains(got, "1 built") {
		t.Fatalf("build after s.a was dropped by another command:\n%s", got)
	}
	value("table dropped", "SELECT v FROM s.a", "v\n123\n")
}

// settle waits until files written before are older than racyMargin:
// only then is a stamp taken as standing for their content, and the
// owner keeps what it read from them.
func settle() { time.Sleep(racyMargin + 100*time.Millisecond) }

// startTimedOwner starts weir with args (watch or serve) on dir with
// WEIR_TIMING set, so that its output says when a command took what it
// kept, and waits until it prints ready.
func startTimedOwner(t *testing.T, dir, ready string, args ...string) *syncBuffer {
	t.Helper()
	w := weirProcess(dir, args...)
	w.Env = append(w.Env, "WEIR_TIMING=1")
	out := &syncBuffer{}
	w.Stdout, w.Stderr = out, out
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		w.Process.Kill()
		w.Wait()
		if t.Failed() {
			t.Logf("weir %s printed:\n%s", args[0], out.String())
		}
	})
	waitFor(t, ready, func() bool { return strings.Contains(out.String(), ready) })
	return out
}

// keptTwice builds twice after the files settled, the second time from
// the project the owner kept.
func keptTwice(t *testing.T, dir string, out *syncBuffer, what string) {
	t.Helper()
	settle()
	runWeir(t, dir, "build")
	n := strings.Count(out.String(), "project kept")
	runWeir(t, dir, "build")
	if strings.Count(out.String(), "project kept") != n+1 {
		t.Fatalf("%s: the second build did not take the project the owner kept", what)
	}
}

// queryGives checks what a query through the owner returns.
func queryGives(t *testing.T, dir, what, sql, want string) {
	t.Helper()
	if got := runWeir(t, dir, "query", sql, "--format", "csv"); got != want {
		t.Fatalf("%s: %s gave %q, want %q", what, sql, got, want)
	}
}

// TestOwnerCacheServe sends builds to weir serve, which keeps the
// compiled project too (it watches no model files: the stamp alone tells
// it of an edit).
func TestOwnerCacheServe(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "weir.hcl"), "name = \"c\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/c.duckdb\"\n}\n")
	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT 1 AS v\n")
	settle()
	out := startTimedOwner(t, dir, "Serving the monitor", "serve", "--port", "0")
	keptTwice(t, dir, out, "first")
	queryGives(t, dir, "first", "SELECT v FROM s.a", "v\n1\n")
	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT 2 AS v\n")
	if got := runWeir(t, dir, "build"); !strings.Contains(got, "1 built") {
		t.Fatalf("build after s.a was edited:\n%s", got)
	}
	queryGives(t, dir, "edited", "SELECT v FROM s.a", "v\n2\n")
}

// TestOwnerCacheKeys keeps a compile in an owner's cache and looks it up:
// the default target by name finds it; another target or environment, or a changed file of the project or an
// input file a model reads outside its folders, does not find it.
func TestOwnerCacheKeys(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(t.TempDir(), "data.csv")
	writeFile(t, data, "x\n1\n")
	writeFile(t, filepath.Join(dir, "weir.hcl"), "name = \"k\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"k.duckdb\"\n}\ntarget \"prod\" {\n  adapter = \"duckdb\"\n  path = \"p.duckdb\"\n}\n")
	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT x FROM read_csv('"+data+"')\n")
	writeFile(t, filepath.Join(dir, "k.duckdb.wal"), "the warehouse's log, not the project's\n")
	time.Sleep(racyMargin + 100*time.Millisecond)

	file := filepath.Join(dir, "k.duckdb")
	var c ownerCache
	key := compileKey{dir: dir, target: "", env: envKey([]string{"WEIR_X=1", "HOME=/a"})}
	e, hit := c.lookup(key, file)
	if hit {
		t.Fatal("found a compile in an empty cache")
	}
	p, diags := models.Load(dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	d, err := adapters.DialectOf(p.Targets["dev"])
	if err != nil {
		t.Fatal(err)
	}
	parser, err := compiler.NewParser(d)
	if err != nil {
		t.Fatal(err)
	}
	defer parser.Close()
	res, diags := compiler.Compile(p, compiler.Options{Target: p.Targets["dev"], Dialect: d, Parser: parser})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	e.project = p
	c.keep(e, res, diags, nil, nil, filepath.Join(dir, "target"))

	same := compileKey{dir: dir, env: envKey([]string{"HOME=/b", "WEIR_X=1"})}
	if _, hit := c.lookup(same, file); !hit {
		t.Fatal("the compile kept is not found with the same key (another HOME)")
	}
	if _, hit := c.lookup(compileKey{dir: dir, target: "dev", env: same.env}, file); !hit {
		t.Fatal("the compile of the default target is not found by its name")
	}
	writeFile(t, filepath.Join(dir, "k.duckdb.wal"), "written by a build\n")
	if _, hit := c.lookup(same, file); !hit {
		t.Fatal("a write to the warehouse's log changed the project's stamp")
	}
	for _, k := range []compileKey{
		{dir: dir, target: "prod", env: key.env},
		{dir: dir, env: envKey([]string{"WEIR_X=2"})},
	} {
		if _, hit := c.lookup(k, file); hit {
			t.Fatalf("found the compile of %+v with key %+v", key, k)
		}
	}
	writeFile(t, data, "x\n2\n")
	if _, hit := c.lookup(same, file); hit {
		t.Fatal("found the compile after the input file it read changed")
	}
}
