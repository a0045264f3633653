package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBuildStopsWhenLockLost kills the Postgres session that holds the
// build lock while a model runs: the build stops at once with an error
// saying the lock was lost, the model that finished stays recorded, the
// one in flight is neither built nor recorded as built, and the next
// build takes the lock and completes.
func TestBuildStopsWhenLockLost(t *testing.T) {
	db, prefix := openTestPostgres(t, "wl_")
	marker := "lockwatch_" + prefix
	t.Cleanup(func() {
		// A build that went on would still be sleeping, holding locks.
		db.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND strpos(query, $1) > 0`, marker)
	})

	dir := t.TempDir()
	files := map[string]string{
		"weir.hcl": fmt.Sprintf("name = \"lockwatch\"\ntarget \"pg\" {\n  adapter = \"postgres\"\n  dsn = %q\n  schema_prefix = %q\n  threads = 1\n}\n",
			testPostgresDSN(), prefix),
		"models/s/fast.sql": "SELECT 1 AS x\n",
		"models/s/slow.sql": "SELECT x, pg_sleep(600) IS NULL AS slept, '" + marker + "' AS m FROM s.fast\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	cmd := weirProcess(dir, "build")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out := startUntil(t, cmd, "s.fast")
	defer cmd.Process.Kill()
	waitFor(t, "s.slow to run", func() bool {
		var n int
		db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND strpos(query, $1) > 0`, marker).Scan(&n)
		return n > 0
	})
	var killed int
	err := db.QueryRow(`SELECT count(pg_terminate_backend(l.pid))
FROM pg_locks l, (SELECT x'77656972'::int, hashtext($1)) AS k(a, b)
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = k.a::oid AND l.objid = k.b::oid AND l.objsubid = 2`, "weir build "+prefix).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminating the build lock's session: %d sessions, %v", killed, err)
	}

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(60 * time.Second):
		t.Fatalf("the build went on after losing its lock:\n%s", out.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != exitFailed {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitFailed, stderr.String())
	}
	if !strings.Contains(stderr.String(), "lost the build lock") {
		t.Fatalf("stderr does not say the lock was lost:\n%s", stderr.String())
	}

	var built string
	err = db.QueryRow(fmt.Sprintf(`SELECT coalesce(string_agg(name, ',' ORDER BY name), '') FROM %q.node_log WHERE status = 'success'`, prefix+"weir")).Scan(&built)
	if err != nil || built != "s.fast" {
		t.Fatalf("recorded as built: %q (%v), want s.fast alone", built, err)
	}
	var slowExists bool
	db.QueryRow(`SELECT to_regclass($1) IS NOT NULL`, fmt.Sprintf("%q.slow", prefix+"s")).Scan(&slowExists)
	if slowExists {
		t.Fatal("the model in flight was built although the build stopped")
	}

	// The next build takes the lock and finishes.
	os.WriteFile(filepath.Join(dir, "models", "s", "slow.sql"), []byte("SELECT x FROM s.fast\n"), 0o644)
	if next := runWeir(t, dir, "build"); !strings.Contains(next, "s.slow") {
		t.Fatalf("the next build did not build s.slow:\n%s", next)
	}
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
