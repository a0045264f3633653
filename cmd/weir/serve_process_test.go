package main

import (
	"bufio"
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/weir-sh/weir/monitor"
)

// TestServeSIGTERM runs weir serve as a real process, starts a slow run
// over HTTP and sends SIGTERM while it runs: serve cancels the statement,
// records the run as interrupted, and exits 0. The model is not recorded
// as built, so it is built again by the next run.
func TestServeSIGTERM(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"weir.hcl": "name = \"p\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n}\n",
		// A sum over a cross join: DuckDB cannot shortcut it.
		"models/s/slow.sql": "SELECT (SELECT sum((r.range * s.range) % 7) FROM range(1000000) r, range(1000000) s) AS n\n",
	})
	cmd := weirProcess(dir, "serve", "--port", "0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := bufio.NewScanner(stdout)
	sv := &serving{out: &lockedBuffer{}}
	for sv.url == "" && lines.Scan() {
		sv.out.Write([]byte(lines.Text() + "\n"))
		if _, url, ok := strings.Cut(lines.Text(), "Serving the monitor on "); ok {
			sv.url, _, _ = strings.Cut(url, ";")
		}
	}
	if sv.url == "" {
		t.Fatalf("weir serve did not say where it serves:\n%s", sv.out)
	}
	go func() {
		for lines.Scan() {
			sv.out.Write([]byte(lines.Text() + "\n"))
		}
	}()
	id := sv.trigger(t, "s.slow")
	sv.waitFor(t, "the slow run to start", func(d monitor.Runs) bool {
		return len(d.Runs) == 1 && d.Runs[0].ID == id && d.Runs[0].Status == "running"
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) || err != nil {
			t.Fatalf("weir serve after SIGTERM: %v, want exit 0\n%s", err, sv.out)
		}
	case <-time.After(time.Minute):
		t.Fatalf("weir serve did not stop within a minute of SIGTERM:\n%s", sv.out)
	}
	if !strings.Contains(sv.out.String(), "Stopped on SIGTERM") {
		t.Errorf("serve's output does not say it stopped:\n%s", sv.out)
	}
	got := runWeir(t, dir, "query", "SELECT r.status, (SELECT count(*) FROM weir.node_log WHERE name = 's.slow' AND status = 'success') AS built FROM weir.runs r WHERE run_id = '"+id+"'", "--format", "csv")
	if !strings.Contains(got, "interrupted,0") {
		t.Errorf("after SIGTERM the run is recorded as\n%s\nwant interrupted, and the model not built", got)
	}
}

// TestServeRealClock runs weir serve on the real clock with a model due
// every minute: it runs at once (never run on its schedule), then again
// at the next minute, and the second run names that minute. It takes up
// to 70 seconds; go test -short skips it.
func TestServeRealClock(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the next minute on the real clock")
	}
	dir := writeProject(t, map[string]string{
		"weir.hcl":              "name = \"p\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n}\n",
		"models/s/minutely.sql": "/* config\ncron = \"* * * * *\"\n*/\nSELECT 1 AS x\n",
		"models/s/plain.sql":    "SELECT 2 AS y\n",
	})
	sv := startServe(t, dir, nil)
	sv.waitFor(t, "the first scheduled run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 1 })
	deadline := time.Now().Add(80 * time.Second)
	var doc monitor.Runs
	for {
		if doc = sv.runs(t); len(byTrigger(doc, "schedule")) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no second scheduled run within 80 s:\n%s", sv.out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	runs := byTrigger(doc, "schedule")
	second := runs[1]
	if modelNames(second) != "s.minutely" || !strings.Contains(second.Models[0].Reason, `due: cron "* * * * *" at `) {
		t.Fatalf("second scheduled run: %+v", second)
	}
	if len(runs) > 2 {
		t.Errorf("%d scheduled runs in about a minute, want 2", len(runs))
	}
}
