package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/weir-sh/weir/internal/projcopy"
)

// watchRows times weir watch from a save to the end of the rebuild and
// its tests (the "done" event): a view and a table of examples/shop, and
// a leaf of the synthetic project.
func watchRows(c *config, t *table) {
	shop := c.shopProject()
	if shop == "" {
		t.skip("weir watch: save to rebuilt (examples/shop)", "examples/shop not found (run make bench from the repository)")
	} else {
		c.weir("", shop, "query", "--file", "setup.sql")
		w := c.startWatch(shop)
		for _, m := range []struct{ what, file string }{
			{"a view", "models/marts/revenue_by_country.sql"},
			{"a table", "models/marts/daily_revenue.sql"},
		} {
			d := w.saves(c.runs, filepath.Join(shop, m.file), "HAVING COUNT(*) > -%d\n")
			t.add(fmt.Sprintf("weir watch: save to rebuilt and tested, %s of examples/shop (%s)", m.what, m.file), secs(d), "< 0.3 s", d < 300*time.Millisecond)
		}
		w.stop()
	}
	n := c.models
	dir := c.synthProject(n)
	c.ensureBuilt(dir)
	w := c.startWatch(dir)
	leaf := filepath.Join(dir, "models", fmt.Sprintf("l%03d", (n-1)/100), fmt.Sprintf("m%05d.sql", n-1))
	d := w.saves(c.runs, leaf, "WHERE %d < 0 OR true\n")
	w.stop()
	t.add(fmt.Sprintf("weir watch: save to rebuilt, a leaf of %d models", n), secs(d), "< 1 s", d < time.Second)
}

// shopProject copies examples/shop without its warehouse or artifacts;
// "" when bench does not run from the repository.
func (c *config) shopProject() string {
	src := filepath.Join("examples", "shop")
	if _, err := os.Stat(filepath.Join(src, "weir.hcl")); err != nil {
		return ""
	}
	dst := filepath.Join(c.root, "shop-watch")
	os.RemoveAll(dst)
	check(projcopy.Copy(src, dst))
	return dst
}

// watcher is a running weir watch --format json and its events.
type watcher struct {
	cmd  *exec.Cmd
	done chan string // the "done" event lines
}

// startWatch starts weir watch in dir and waits for its first build.
func (c *config) startWatch(dir string) *watcher {
	cmd := exec.Command(c.bin, "watch", "--format", "json")
	cmd.Dir = dir
	out, err := cmd.StdoutPipe()
	check(err)
	cmd.Stderr = io.Discard
	check(cmd.Start())
	w := &watcher{cmd: cmd, done: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			if strings.Contains(sc.Text(), `"event":"done"`) || strings.Contains(sc.Text(), `"event":"error"`) {
				w.done <- sc.Text()
			}
		}
		close(w.done)
	}()
	w.wait()
	return w
}

// wait waits for the next build to end.
func (w *watcher) wait() {
	line, ok := <-w.done
	if !ok {
		check(fmt.Errorf("weir watch ended"))
	}
	if !strings.Contains(line, `"failed":0`) {
		check(fmt.Errorf("weir watch: a build failed: %s", line))
	}
}

// saves edits file runs times, appending a clause that changes its SQL
// but not its data (format takes the run's number), and returns the
// median time from the write to the end of the rebuild. The file is
// restored after.
func (w *watcher) saves(runs int, file, clause string) time.Duration {
	orig, err := os.ReadFile(file)
	check(err)
	var ds []time.Duration
	for i := range runs {
		body := strings.TrimRight(string(orig), "\n") + "\n" + fmt.Sprintf(clause, i+1)
		t0 := time.Now()
		check(os.WriteFile(file, []byte(body), 0o644))
		w.wait()
		ds = append(ds, time.Since(t0))
	}
	check(os.WriteFile(file, orig, 0o644))
	w.wait()
	return median(ds)
}

func (w *watcher) stop() {
	w.cmd.Process.Signal(syscall.SIGINT)
	w.cmd.Wait()
}
