package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestInterruptDuringCompile sends SIGINT to build, plan and compile while
// they compile the project: each exits 130 at once, saying it was
// interrupted. The project's seed is a named pipe, so compiling blocks on
// reading it until the test has sent the signal.
func TestInterruptDuringCompile(t *testing.T) {
	for _, command := range []string{"build", "plan", "compile"} {
		t.Run(command, func(t *testing.T) {
			dir := slowProject(t)
			fifo := filepath.Join(dir, "seeds", "raw", "big.csv")
			os.MkdirAll(filepath.Dir(fifo), 0o755)
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := weirProcess(dir, command)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			// Opening the pipe for writing waits for weir to open it for
			// reading: then weir is compiling.
			opened := make(chan *os.File, 1)
			go func() {
				w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
				if err != nil {
					t.Error(err)
				}
				opened <- w
			}()
			var w *os.File
			select {
			case w = <-opened:
			case <-time.After(30 * time.Second):
				t.Fatal("weir never read the seed")
			}
			defer w.Close()
			cmd.Process.Signal(os.Interrupt)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				t.Fatalf("weir %s did not stop after SIGINT during compile", command)
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("weir %s: exit code %d, want %d; stderr:\n%s", command, code, exitInterrupted, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Fatalf("stderr does not say it was interrupted:\n%s", stderr.String())
			}
		})
	}
}

// TestKilledRunIsAborted kills a build with SIGKILL while a model runs:
// its run stays recorded as running until the next build, which records
// it as aborted and says so; weir retry then resumes it.
func TestKilledRunIsAborted(t *testing.T) {
	dir := slowProject(t)
	first := weirProcess(dir, "build")
	startUntil(t, first, "s.fast")
	time.Sleep(200 * time.Millisecond)
	first.Process.Kill()
	first.Wait()

	runs := func() string {
		return runWeir(t, dir, "query", "SELECT command, status, ended_at IS NULL AS open FROM weir.runs ORDER BY started_at", "--format", "csv")
	}
	if got := runs(); got != "command,status,open\nbuild,running,true\n" {
		t.Fatalf("runs after the kill:\n%s", got)
	}
	// The next run records the killed one as aborted, then builds what
	// it left undone (s.slow is made fast first).
	os.WriteFile(filepath.Join(dir, "models", "s", "slow.sql"), []byte("SELECT count(*) AS n FROM s.fast\n"), 0o644)
	out := runWeir(t, dir, "retry")
	if !strings.Contains(out, "recorded it as aborted") || !strings.Contains(out, "which was aborted") {
		t.Fatalf("retry after the kill:\n%s", out)
	}
	if !strings.Contains(out, "s.slow") || !strings.Contains(out, "s.after") || !strings.Contains(out, "0 failed, 0 skipped") {
		t.Fatalf("retry did not build what the killed run left undone:\n%s", out)
	}
	if got := runs(); got != "command,status,open\nbuild,aborted,true\nretry,success,false\n" {
		t.Fatalf("runs after the next run:\n%s", got)
	}
}
