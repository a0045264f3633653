package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weir-sh/weir/owner"
)

// startOwner starts `weir watch` on dir and waits for its first build;
// it keeps only s.fast built, so the test's builds of the other models
// are the clients'.
func startOwner(t *testing.T, dir string) *exec.Cmd {
	t.Helper()
	w := weirProcess(dir, "watch", "--select", "s.fast")
	w.Stderr = os.Stderr
	startUntil(t, w, "from save to done")
	t.Cleanup(func() {
		w.Process.Kill()
		w.Wait()
	})
	return w
}

// TestOwnerServesWhileBuilding runs weir commands in other processes
// while weir watch owns the DuckDB file: a query during a build sees the
// table as last committed, a second build waits for the first and says
// so, and Ctrl-C on a client stops its build in the owner.
func TestOwnerServesWhileBuilding(t *testing.T) {
	dir := slowProject(t)
	slow := filepath.Join(dir, "models", "s", "slow.sql")
	heavy, _ := os.ReadFile(slow)
	os.WriteFile(slow, []byte("SELECT 7 AS n FROM s.fast\n"), 0o644)
	startOwner(t, dir)
	runWeir(t, dir, "build")
	if got := runWeir(t, dir, "query", "SELECT n FROM s.after", "--format", "csv"); got != "n\n7\n" {
		t.Fatalf("query through the owner after its build: %q", got)
	}

	os.WriteFile(slow, heavy, 0o644)
	first := weirProcess(dir, "build", "--heartbeat", "50ms")
	startUntil(t, first, "still running: s.slow")
	defer first.Process.Kill()

	// The old s.slow stays readable, whole, while its rebuild runs.
	if got := runWeir(t, dir, "query", "SELECT n FROM s.slow", "--format", "csv"); got != "n\n7\n" {
		t.Fatalf("query during the build: %q", got)
	}

	second := weirProcess(dir, "build", "--select", "s.fast")
	var secondOut syncBuffer
	second.Stdout, second.Stderr = &secondOut, &secondOut
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the second build to wait", func() bool {
		return strings.Contains(secondOut.String(), "Waiting for the build in progress in `weir build` from another terminal")
	})
	if strings.Contains(secondOut.String(), "s.fast") {
		t.Fatalf("the second build ran alongside the first:\n%s", secondOut.String())
	}

	first.Process.Signal(os.Interrupt)
	first.Wait()
	if code := first.ProcessState.ExitCode(); code != exitInterrupted {
		t.Fatalf("the interrupted client exited %d, want %d", code, exitInterrupted)
	}
	if err := second.Wait(); err != nil {
		t.Fatalf("the second build: %v\n%s", err, secondOut.String())
	}
	if !strings.Contains(secondOut.String(), "1 built, 0 failed") {
		t.Fatalf("the second build after the first:\n%s", secondOut.String())
	}
	if got := runWeir(t, dir, "query", "SELECT n FROM s.slow", "--format", "csv"); got != "n\n7\n" {
		t.Fatalf("query after the canceled build: %q", got)
	}
}

// TestOwnerKilledLeavesNoLock kills weir watch with SIGKILL: its socket
// stays behind, and the next command ignores it, removes it and opens the
// file itself.
func TestOwnerKilledLeavesNoLock(t *testing.T) {
	dir := slowProject(t)
	os.WriteFile(filepath.Join(dir, "models", "s", "slow.sql"), []byte("SELECT 3 AS n\n"), 0o644)
	w := startOwner(t, dir)
	runWeir(t, dir, "build")
	sock := owner.SocketPath(filepath.Join(dir, "target", "slow.duckdb"))
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("no socket beside the owned file: %v", err)
	}
	w.Process.Kill()
	w.Wait()
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("the killed owner's socket is gone already (%v); the test proves nothing", err)
	}
	done := make(chan string, 1)
	go func() { done <- runWeir(t, dir, "query", "SELECT n FROM s.slow", "--format", "csv") }()
	select {
	case got := <-done:
		if got != "n\n3\n" {
			t.Fatalf("query after the owner was killed: %q", got)
		}
	case <-time.After(time.Minute):
		t.Fatal("query hangs on the dead owner's socket")
	}
	if _, err := os.Stat(sock); err == nil {
		t.Fatal("the stale socket was not removed")
	}
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
