package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInterruptDuringCompile sends SIGINT to build, plan and compile while
// they compile the project: each exits 130 at once, saying it was
// interrupted. One model's template loops for minutes without output, so
// compiling is still under way when the signal comes (right after weir
// says, through WEIR_TIMING, that it loaded the project).
func TestInterruptDuringCompile(t *testing.T) {
	for _, command := range []string{"build", "plan", "compile"} {
		t.Run(command, func(t *testing.T) {
			dir := slowProject(t)
			loop := "SELECT 1 AS x {{ range 1000000000 }}{{ end }}\n"
			if err := os.WriteFile(filepath.Join(dir, "models", "s", "loop.sql"), []byte(loop), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := weirProcess(dir, command)
			cmd.Env = append(cmd.Env, "WEIR_TIMING=1")
			pipe, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			var stderr strings.Builder
			loaded := make(chan bool, 1)
			readDone := make(chan struct{})
			go func() {
				defer close(readDone)
				sc := bufio.NewScanner(pipe)
				for sc.Scan() {
					stderr.WriteString(sc.Text() + "\n")
					if strings.HasPrefix(sc.Text(), "load ") {
						loaded <- true
					}
				}
			}()
			select {
			case <-loaded:
			case <-time.After(30 * time.Second):
				t.Fatal("weir never loaded the project")
			}
			cmd.Process.Signal(os.Interrupt)
			exited := make(chan error, 1)
			go func() { <-readDone; exited <- cmd.Wait() }()
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

// TestInterruptBeforeFirstModel sends SIGINT to build, plan and query
// while they compile the project and connect to a warehouse that never
// answers: each exits 130 at once, saying it was interrupted. The target
// is a Postgres address where the test listens and stays silent, so weir
// is still connecting when the signal comes.
func TestInterruptBeforeFirstModel(t *testing.T) {
	for _, args := range [][]string{{"build"}, {"plan"}, {"query", "SELECT 1"}} {
		t.Run(args[0], func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			accepted := make(chan net.Conn, 1)
			go func() {
				if c, err := ln.Accept(); err == nil {
					accepted <- c
				}
			}()
			dir := t.TempDir()
			hcl := fmt.Sprintf("name = \"silent\"\ntarget \"pg\" {\n  adapter = \"postgres\"\n  dsn     = \"postgres://weir@%s/db?sslmode=disable\"\n}\n", ln.Addr())
			os.MkdirAll(filepath.Join(dir, "models", "m"), 0o755)
			os.WriteFile(filepath.Join(dir, "weir.hcl"), []byte(hcl), 0o644)
			os.WriteFile(filepath.Join(dir, "models", "m", "a.sql"), []byte("SELECT 1 AS x\n"), 0o644)

			cmd := weirProcess(dir, args...)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			select {
			case c := <-accepted:
				defer c.Close()
			case <-time.After(30 * time.Second):
				t.Fatal("weir never connected")
			}
			cmd.Process.Signal(os.Interrupt)
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				t.Fatalf("weir %s did not stop after SIGINT while connecting", args[0])
			}
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("weir %s: exit code %d, want %d; stderr:\n%s", args[0], code, exitInterrupted, stderr.String())
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
