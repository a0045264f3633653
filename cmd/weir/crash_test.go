package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/internal/projcopy"
)

// weirProcess starts this test binary as the weir command in dir.
func weirProcess(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WEIR_TEST_RUN_MAIN=1", "NO_COLOR=1")
	return cmd
}

func runWeir(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := weirProcess(dir, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("weir %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// copyDir copies the project in src into dst, without target/ and DuckDB
// files (a warehouse left by make demo).
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	if err := projcopy.Copy(src, dst); err != nil {
		t.Fatal(err)
	}
}

// TestKillDuringBuild kills a real `weir build` of the example project
// with SIGKILL while models are in flight, then checks that the recorded
// state matches the data (a model is recorded as built exactly when its
// table exists, and no half-built table is left), and that the next build
// completes and leaves nothing to do.
func TestKillDuringBuild(t *testing.T) {
	dir := t.TempDir()
	copyDir(t, "../../examples/shop", dir)
	// Slow models downstream of staging, so the kill lands mid-build.
	for i := range 6 {
		// A sum over a cross join: DuckDB cannot shortcut it as it does count(*).
		body := fmt.Sprintf("SELECT o.order_id, (SELECT sum((r.range * s.range) %% 7) FROM range(%d) r, range(10000) s) AS n\nFROM staging.orders AS o\n", 10000+i)
		path := filepath.Join(dir, "models", "slow", fmt.Sprintf("s%d.sql", i))
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runWeir(t, dir, "query", "--file", "setup.sql")

	cmd := weirProcess(dir, "build", "--threads", "2")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	ok := 0
	for sc.Scan() {
		if strings.Contains(sc.Text(), " OK ") {
			ok++
		}
		if ok == 6 {
			break
		}
	}
	time.Sleep(100 * time.Millisecond)
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if ok < 6 {
		t.Fatalf("the build ended before it could be killed (%d models built)", ok)
	}

	built, tables := recordedAndPresent(t, filepath.Join(dir, "warehouse.duckdb"))
	t.Logf("at the kill: %d nodes recorded built, %d relations present", len(built), len(tables))
	if len(built) == 0 || len(built) >= 17 {
		t.Fatalf("expected a partial build at the kill, state records %d nodes built", len(built))
	}
	for name := range built {
		if !tables[name] {
			t.Errorf("state records %s as built but its relation does not exist", name)
		}
	}
	for name := range tables {
		if strings.Contains(name, "__weir_") {
			t.Errorf("a half-built relation %s survived the kill", name)
		} else if !built[name] {
			t.Errorf("relation %s exists but the state does not record it as built", name)
		}
	}

	out := runWeir(t, dir, "build", "--threads", "2")
	if !strings.Contains(out, "0 failed, 0 skipped") {
		t.Fatalf("the build after the kill did not complete:\n%s", out)
	}
	if out := runWeir(t, dir, "build"); !strings.Contains(out, "Nothing to do: 17 models up to date") {
		t.Fatalf("after recovery a build should have nothing to do:\n%s", out)
	}
	built, tables = recordedAndPresent(t, filepath.Join(dir, "warehouse.duckdb"))
	if len(built) != 17 || len(tables) != 17 {
		t.Fatalf("after recovery: %d recorded, %d present; want 17 of each", len(built), len(tables))
	}
}

// recordedAndPresent opens the DuckDB file directly and returns the nodes
// the state records as built and the relations that exist outside the
// state and source schemas, both as "schema.name".
func recordedAndPresent(t *testing.T, path string) (built, present map[string]bool) {
	t.Helper()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	built, present = map[string]bool{}, map[string]bool{}
	collect := func(q string, into map[string]bool) {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			rows.Scan(&s)
			into[s] = true
		}
	}
	collect(`SELECT DISTINCT detail->>'relation' FROM weir.node_log WHERE status = 'success'`, built)
	collect(`SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name NOT IN ('weir', 'app')
UNION ALL SELECT schema_name || '.' || view_name FROM duckdb_views() WHERE NOT internal AND schema_name NOT IN ('weir', 'app')`, present)
	return built, present
}

// slowSQL is a model that runs for about 20 seconds on a quiet machine.
// No test waits for it to end: each interrupts, kills or restarts the
// build that runs it, or writes a quick model over it first. It is that
// long so that whatever a test does while it runs (start other weir
// processes, query through an owner) is done before it ends, however
// loaded the machine; a 1.2 s model once ended first under CI's load.
const slowSQL = "SELECT count(*) AS n FROM range(400000) a, range(400000) b, s.fast\n"

// slowProject writes a project whose one model s.slow runs for many
// seconds (slowSQL), between s.fast and s.after.
func slowProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"weir.hcl":           "name = \"slow\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/slow.duckdb\"\n}\n",
		"models/s/fast.sql":  "SELECT 1 AS x\n",
		"models/s/slow.sql":  slowSQL,
		"models/s/after.sql": "SELECT n FROM s.slow\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// startUntil starts weir and waits until its output shows want.
func startUntil(t *testing.T, cmd *exec.Cmd, want string) *strings.Builder {
	t.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen strings.Builder
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		seen.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), want) {
			go func() {
				for sc.Scan() {
				}
			}()
			return &seen
		}
	}
	t.Fatalf("weir ended before printing %q:\n%s", want, seen.String())
	return nil
}

// TestInterruptCancelsQueries sends SIGINT to a build with a query in
// flight: weir cancels it, records the run, and exits 130 promptly.
func TestInterruptCancelsQueries(t *testing.T) {
	dir := slowProject(t)
	cmd := weirProcess(dir, "build")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	startUntil(t, cmd, "s.fast")
	time.Sleep(300 * time.Millisecond) // s.slow is running now
	t0 := time.Now()
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if took := time.Since(t0); took > 5*time.Second {
		t.Fatalf("weir took %v to stop after SIGINT", took)
	}
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Fatalf("exit code %d (%v), want %d; stderr:\n%s", code, err, exitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("stderr does not say it was interrupted:\n%s", stderr.String())
	}
	// The interrupted model is recorded as failed and the next plan
	// picks it up with its descendant.
	out := runWeir(t, dir, "query", "SELECT status, detail->>'message' AS message FROM weir.node_log WHERE name = 's.slow'", "--format", "csv")
	if !strings.Contains(out, "error,\"canceled while running") {
		t.Fatalf("the interrupted model's record:\n%s", out)
	}
	out = runWeir(t, dir, "plan")
	if !strings.Contains(out, "s.slow") || !strings.Contains(out, "s.after") || strings.Contains(out, "s.fast") {
		t.Fatalf("plan after the interrupt:\n%s", out)
	}
}

// TestSecondBuildIsRefused starts a build and, while it runs, a second one
// on the same target: the second stops at once with a message naming the
// holder, and the first completes untouched.
func TestSecondBuildIsRefused(t *testing.T) {
	dir := slowProject(t)
	first := weirProcess(dir, "build")
	startUntil(t, first, "s.fast")
	defer first.Process.Kill()

	second := weirProcess(dir, "build")
	out, err := second.CombinedOutput()
	if err == nil {
		t.Fatalf("a second build on the same target succeeded:\n%s", out)
	}
	if !strings.Contains(string(out), "another process holds this DuckDB file") || !strings.Contains(string(out), "PID") {
		t.Fatalf("the refusal does not name the holder:\n%s", out)
	}
	first.Process.Signal(os.Interrupt)
	first.Wait()
}
