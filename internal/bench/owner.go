package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// ownerRows times a no-op weir build sent from another terminal to a
// running weir watch, which owns the DuckDB file and answers over its
// socket without reopening the file (docs/guide/watch.md).
func ownerRows(c *config, t *table) {
	n := c.models
	dir := c.synthProject(n)
	c.ensureBuilt(dir)
	watch := exec.Command(c.bin, "watch")
	watch.Dir = dir
	check(watch.Start())
	defer func() {
		watch.Process.Signal(syscall.SIGINT)
		watch.Wait()
	}()
	sock := filepath.Join(dir, "synth.duckdb.sock")
	deadline := time.Now().Add(10 * time.Minute)
	for {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.skip("no-op build sent to weir watch", "no socket after 10 minutes")
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.weir("", dir, "build") // waits for the owner's first build, if any
	m := c.timedRuns(fmt.Sprintf("noop-owner-%d", n), dir, nil, "build")
	t.add(fmt.Sprintf("no-op build of %d models sent to a running weir watch", n), secs(m.wall), "≤ 0.2 s", m.wall.Seconds() <= 0.2)
}
