package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// watchProcess is a running `weir watch` whose output the test reads
// as it comes.
type watchProcess struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	seen int // output before this offset has been matched already
}

func startWatch(t *testing.T, dir string, args ...string) *watchProcess {
	t.Helper()
	w := &watchProcess{cmd: weirProcess(dir, append([]string{"watch"}, args...)...), out: &syncBuffer{}}
	w.cmd.Stdout, w.cmd.Stderr = w.out, w.out
	if err := w.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		w.cmd.Process.Kill()
		w.cmd.Wait()
		if t.Failed() {
			t.Logf("weir watch printed:\n%s", w.out.String())
		}
	})
	return w
}

// waitFor waits until the output not matched yet shows want, and returns
// it up to the end of want's line.
func (w *watchProcess) waitFor(t *testing.T, want string) string {
	t.Helper()
	var chunk string
	waitFor(t, want, func() bool {
		rest := w.out.String()[w.seen:]
		i := strings.Index(rest, want)
		if i < 0 {
			return false
		}
		end := i + len(want)
		if nl := strings.IndexByte(rest[end:], '\n'); nl >= 0 {
			end += nl + 1
		}
		chunk = rest[:end]
		w.seen += end
		return true
	})
	return chunk
}

// save writes the file rel of dir and returns the output of the build it
// starts, from its "rel changed" line to its result.
func (w *watchProcess) save(t *testing.T, dir, rel, body string) string {
	t.Helper()
	writeFile(t, filepath.Join(dir, rel), body)
	return w.waitFor(t, rel+" changed") + w.waitFor(t, "from save to done")
}

// TestWatchEditLoop drives a real weir watch through an editing session:
// an edit is rebuilt and read by another weir process; a syntax error is
// reported, the built table stays, and the fix resumes; a model in a new
// folder is built; a deleted model is dropped, or left with an error
// while another model reads it; Ctrl-C stops it cleanly.
func TestWatchEditLoop(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "weir.hcl"), "name = \"w\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/w.duckdb\"\n}\n")
	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT 1 AS x\n")
	writeFile(t, filepath.Join(dir, "models/s/b.sql"), "SELECT x + 1 AS y FROM s.a\n")
	query := func(sql string) string {
		t.Helper()
		out, err := weirProcess(dir, "query", sql, "--format", "csv").Output()
		if err != nil {
			t.Fatalf("weir query %q: %v", sql, err)
		}
		return string(out)
	}

	w := startWatch(t, dir, "--docs-port", "0")
	w.waitFor(t, "2 built, 0 failed")
	site := regexp.MustCompile(`http://[^\s,]+`).FindString(w.waitFor(t, "Serving the docs site on "))

	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT 10 AS x\n")
	got := w.waitFor(t, "from save to done")
	if !strings.Contains(got, "models/s/a.sql changed") || !strings.Contains(got, "2 built, 0 failed") {
		t.Fatalf("after an edit:\n%s", got)
	}
	if got := query("SELECT y FROM s.b"); got != "y\n11\n" {
		t.Fatalf("another process reads %q after the edit", got)
	}

	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELEC 20 AS x\n")
	got = w.waitFor(t, "from save to done")
	if !strings.Contains(got, "models/s/a.sql:1") || !strings.Contains(got, "0 built, 1 failed, 1 skipped") {
		t.Fatalf("after a syntax error:\n%s", got)
	}
	if got := query("SELECT y FROM s.b"); got != "y\n11\n" {
		t.Fatalf("the built table changed after a syntax error: %q", got)
	}
	writeFile(t, filepath.Join(dir, "models/s/a.sql"), "SELECT 20 AS x\n")
	w.waitFor(t, "2 built, 0 failed")
	if got := query("SELECT y FROM s.b"); got != "y\n21\n" {
		t.Fatalf("after the fix: %q", got)
	}

	writeFile(t, filepath.Join(dir, "models/u/c.sql"), "SELECT y * 2 AS z FROM s.b\n")
	got = w.waitFor(t, "from save to done")
	if !strings.Contains(got, "u.c (table, 1 row)") {
		t.Fatalf("a model in a new folder:\n%s", got)
	}
	if got := query("SELECT z FROM u.c"); got != "z\n42\n" {
		t.Fatalf("the new model: %q", got)
	}
	waitFor(t, "the docs site to show u.c", func() bool {
		resp, err := http.Get(site + "data/index.js")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == 200 && strings.Contains(string(body), `"u.c"`)
	})

	os.Remove(filepath.Join(dir, "models/u/c.sql"))
	got = w.waitFor(t, "from save to done")
	if !strings.Contains(got, "Dropping table u.c from the target: models/u/c.sql was deleted") {
		t.Fatalf("a deleted model:\n%s", got)
	}
	if out, err := weirProcess(dir, "query", "SELECT z FROM u.c").CombinedOutput(); err == nil {
		t.Fatalf("u.c is still there after it was dropped:\n%s", out)
	}

	os.Remove(filepath.Join(dir, "models/s/a.sql"))
	got = w.waitFor(t, "from save to done")
	if !strings.Contains(got, "s.a was deleted (models/s/a.sql) but s.b still reads it") {
		t.Fatalf("a deleted model still read:\n%s", got)
	}
	if got := query("SELECT x FROM s.a"); got != "x\n20\n" {
		t.Fatalf("s.a, still read, was dropped: %q", got)
	}

	w.cmd.Process.Signal(os.Interrupt)
	w.cmd.Wait()
	if code := w.cmd.ProcessState.ExitCode(); code != exitInterrupted || !strings.Contains(w.out.String(), "Stopped watching.") {
		t.Fatalf("Ctrl-C: exit code %d", code)
	}
}

// TestWatchRestartsOnChange saves a model while weir watch builds it
// (--format json says when each node starts): meanwhile another process
// reads the table as last committed, and a manual build waits for the
// watcher's, saying so; the save cancels the build, which starts again
// with the saved version.
func TestWatchRestartsOnChange(t *testing.T) {
	dir := slowProject(t)
	slow := filepath.Join(dir, "models", "s", "slow.sql")
	// The query, the manual build and the second save below happen while
	// slowSQL runs; the restart cancels it.
	heavy := []byte(slowSQL)
	writeFile(t, slow, "SELECT 1 AS n FROM s.fast\n")
	w := startWatch(t, dir, "--format", "json")
	w.waitFor(t, `"event":"done"`)

	os.WriteFile(slow, heavy, 0o644)
	w.waitFor(t, `"event":"start","name":"s.slow"`)
	if got := runWeir(t, dir, "query", "SELECT n FROM s.after", "--format", "csv"); got != "n\n1\n" {
		t.Fatalf("query during the watcher's build: %q", got)
	}
	manual := weirProcess(dir, "build", "--select", "s.fast")
	var manualOut syncBuffer
	manual.Stdout, manual.Stderr = &manualOut, &manualOut
	if err := manual.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the manual build to wait", func() bool {
		return strings.Contains(manualOut.String(), "Waiting for the build in progress in weir watch")
	})

	os.WriteFile(slow, []byte("SELECT 2 AS n FROM s.fast\n"), 0o644)
	w.waitFor(t, `"event":"restart"`)
	if err := manual.Wait(); err != nil {
		t.Fatalf("the manual build: %v\n%s", err, manualOut.String())
	}
	waitFor(t, "the restarted build", func() bool {
		return runWeir(t, dir, "query", "SELECT n FROM s.after", "--format", "csv") == "n\n2\n"
	})
}

// TestWatchScriptsAndInputFiles saves the files weir watch learns of from
// the project: a command node's script file and its .hcl, in scripts/,
// and files models read from folders of their own, one of them written by
// the script. Each save rebuilds the nodes that read it and what depends
// on them.
func TestWatchScriptsAndInputFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "weir.hcl"), "name = \"w\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/w.duckdb\"\n}\n")
	script := func(n int) string {
		return fmt.Sprintf("printf 'n\\n%d\\n' > \"$WEIR_OUT/ml.scores.csv\"; printf 's\\n%d\\n' > out/scored.csv\n", n, n)
	}
	writeFile(t, filepath.Join(dir, "scripts/score.hcl"), "command = [\"sh\", \"scripts/score.sh\"]\noutputs = [\"ml.scores\", \"out/scored.csv\"]\n")
	writeFile(t, filepath.Join(dir, "scripts/score.sh"), script(1))
	writeFile(t, filepath.Join(dir, "out/scored.csv"), "s\n0\n")
	writeFile(t, filepath.Join(dir, "models/m/total.sql"), "SELECT sum(n) AS total FROM ml.scores\n")
	writeFile(t, filepath.Join(dir, "models/m/scored.sql"), "SELECT s FROM 'out/scored.csv'\n")
	writeFile(t, filepath.Join(dir, "data/prices.csv"), "p\n5\n")
	writeFile(t, filepath.Join(dir, "models/m/prices.sql"), "SELECT p FROM 'data/prices.csv'\n")
	query := func(sql string) string { return runWeir(t, dir, "query", sql, "--format", "csv") }

	w := startWatch(t, dir)
	// m.scored does not wait for the script: the file the script writes
	// makes it stale, and it is built again right after.
	w.waitFor(t, "4 built, 0 failed")
	w.waitFor(t, "out/scored.csv changed")
	w.waitFor(t, "from save to done")

	got := w.save(t, dir, "scripts/score.sh", script(2))
	if !strings.Contains(got, "scripts.score") ||
		!strings.Contains(got, "m.total") || !strings.Contains(got, "2 built, 0 failed") {
		t.Fatalf("after a save of the script:\n%s", got)
	}
	if got := query("SELECT total FROM m.total"); got != "total\n2\n" {
		t.Fatalf("m.total after the script changed: %q", got)
	}
	// The file the script wrote is read by m.scored: built next.
	waitFor(t, "m.scored to read the script's file", func() bool { return query("SELECT s FROM m.scored") == "s\n2\n" })

	got = w.save(t, dir, "data/prices.csv", "p\n7\n")
	if !strings.Contains(got, "m.prices") || !strings.Contains(got, "1 built, 0 failed") {
		t.Fatalf("after a save of the model's input file:\n%s", got)
	}
	if got := query("SELECT p FROM m.prices"); got != "p\n7\n" {
		t.Fatalf("m.prices after its input changed: %q", got)
	}

	got = w.save(t, dir, "scripts/score.hcl", "command = [\"sh\", \"scripts/score.sh\", \"again\"]\noutputs = [\"ml.scores\", \"out/scored.csv\"]\n")
	if !strings.Contains(got, "scripts.score") || !strings.Contains(got, "2 built, 0 failed") {
		t.Fatalf("after a save of the script's .hcl:\n%s", got)
	}
}

// TestWatchIgnoresWhatBuildsWrite watches a project whose script lists,
// among the files it reads, the folder holding the DuckDB file (and so
// its write-ahead log and the owner's socket) and target/: what a build
// writes there starts no other build, so weir watch settles after one. A
// save of the script's own file in that folder still rebuilds, once.
func TestWatchIgnoresWhatBuildsWrite(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "weir.hcl"), "name = \"w\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"data/w.duckdb\"\n}\n")
	writeFile(t, filepath.Join(dir, "scripts/count.hcl"), "command = [\"sh\", \"scripts/count.sh\"]\nfiles = [\"data\", \"target\"]\noutputs = [\"ml.n\"]\n")
	writeFile(t, filepath.Join(dir, "scripts/count.sh"), "cp data/n.csv \"$WEIR_OUT/ml.n.csv\"\n")
	writeFile(t, filepath.Join(dir, "data/n.csv"), "n\n1\n")
	writeFile(t, filepath.Join(dir, "models/m/total.sql"), "SELECT sum(n) AS total FROM ml.n\n")

	w := startWatch(t, dir, "--format", "json")
	w.waitFor(t, `"event":"done"`)
	// No event says nothing will come: give the build's writes (the
	// file's log, a checkpoint, target/'s artifacts) time to be seen.
	quiet := func(after string) {
		t.Helper()
		time.Sleep(3 * time.Second)
		if rest := w.out.String()[w.seen:]; strings.Contains(rest, `"event":"change"`) {
			t.Fatalf("%s, what the build wrote started another:\n%s", after, rest)
		}
	}
	quiet("after the first build")

	writeFile(t, filepath.Join(dir, "data/n.csv"), "n\n5\n")
	if got := w.waitFor(t, `"event":"change"`); !strings.Contains(got, `"paths":["data/n.csv"]`) {
		t.Fatalf("a save of the script's file: %s", got)
	}
	w.waitFor(t, `"event":"done"`)
	if got := runWeir(t, dir, "query", "SELECT total FROM m.total", "--format", "csv"); got != "total\n5\n" {
		t.Fatalf("m.total after the script's file changed: %q", got)
	}
	quiet("after the second build")
}

// TestWatchRestartsOnScriptChange saves a command node's script file, and
// then the data file it lists in files, while the node runs (a sleep the
// restart kills): each save cancels the build, which starts again with the
// saved files, as a model's save does.
func TestWatchRestartsOnScriptChange(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "weir.hcl"), "name = \"w\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/w.duckdb\"\n}\n")
	writeFile(t, filepath.Join(dir, "scripts/load.hcl"), "command = [\"sh\", \"scripts/load.sh\"]\nfiles = [\"data\"]\noutputs = [\"ml.n\"]\n")
	script := func(sleep string) string {
		return sleep + "cp data/n.csv \"$WEIR_OUT/ml.n.csv\"\n"
	}
	writeFile(t, filepath.Join(dir, "scripts/load.sh"), script(""))
	writeFile(t, filepath.Join(dir, "data/n.csv"), "n\n1\n")
	w := startWatch(t, dir, "--format", "json")
	w.waitFor(t, `"event":"done"`)

	writeFile(t, filepath.Join(dir, "scripts/load.sh"), script("sleep 30\n"))
	w.waitFor(t, `"event":"start","name":"scripts.load"`)
	writeFile(t, filepath.Join(dir, "scripts/load.sh"), script("sleep 30 # again\n"))
	if got := w.waitFor(t, `"event":"restart"`); !strings.Contains(got, `"name":"scripts.load"`) {
		t.Fatalf("a save of the running script: %s", got)
	}
	w.waitFor(t, `"event":"start","name":"scripts.load"`)
	writeFile(t, filepath.Join(dir, "data/n.csv"), "n\n2\n")
	if got := w.waitFor(t, `"event":"restart"`); !strings.Contains(got, `"name":"scripts.load"`) {
		t.Fatalf("a save of a file the running script reads: %s", got)
	}
	w.waitFor(t, `"event":"start","name":"scripts.load"`)
	writeFile(t, filepath.Join(dir, "scripts/load.sh"), script(""))
	waitFor(t, "the restarted build", func() bool {
		return runWeir(t, dir, "query", "SELECT n FROM ml.n", "--format", "csv") == "n\n2\n"
	})
}
