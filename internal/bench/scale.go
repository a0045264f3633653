package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// scaleRows times compile, plan and no-op build at each size and prints
// the cost per model at the largest size against the smallest (goal: it
// grows at most 1.5×) and the peak memory at the largest (≤ 2 GB).
// Compile here is warm (parse cache in place; a first, cold compile fills
// it and is printed too). Plan reads the state of the project's DuckDB
// file when there is one (the sizes the build rows built) and plans
// every model otherwise. No-op builds run up to noopMax models: each
// size needs its DuckDB file built first (about 260 KB a table, 23 KB
// with -block-size 16384), and is skipped when the disk lacks room for it.
func scaleRows(c *config, t *table, sizes []int, noopMax int) {
	type figures struct{ compile, plan, noop time.Duration }
	per := map[int]figures{}
	var peak int64
	largest := sizes[len(sizes)-1]
	for _, n := range sizes {
		dir := c.synthProject(n)
		var f figures
		if _, err := os.Stat(filepath.Join(dir, "target", "cache")); err != nil {
			m := c.weir(fmt.Sprintf("compile-cold-%d", n), dir, "compile")
			t.add(fmt.Sprintf("compile %d models, first (cold parse cache)", n), secs(m.wall)+", "+mb(m.rss), "", true)
			peak = max(peak, m.rss)
		}
		m := c.timedRuns(fmt.Sprintf("compile-warm-%d", n), dir, nil, "compile")
		f.compile = m.wall
		peak = max(peak, m.rss)
		_, notBuilt := os.Stat(filepath.Join(dir, "synth.duckdb"))
		m = c.timedRuns(fmt.Sprintf("plan-%d", n), dir, nil, "plan")
		f.plan = m.wall
		peak = max(peak, m.rss)
		state := "nothing built"
		if notBuilt == nil {
			state = "all up to date"
		}
		t.add(fmt.Sprintf("%d models: warm compile / plan (%s)", n, state), secs(f.compile)+" / "+secs(f.plan), "", true)
		if n <= noopMax {
			f.noop, peak = scaleNoop(c, t, dir, n, peak)
		}
		if n == largest {
			t.add(fmt.Sprintf("peak RSS at %d models", n), mb(peak), "≤ 2 GB", peak>>20 < 2)
		}
		per[n] = f
	}
	small := sizes[0]
	growth := func(what string, get func(figures) time.Duration) {
		a, b := get(per[small]), get(per[largest])
		if a == 0 || b == 0 {
			t.skip(fmt.Sprintf("%s: cost per model %d → %d", what, small, largest), fmt.Sprintf("not measured at both sizes (-noop-scale %d)", noopMax))
			return
		}
		g := (b.Seconds() / float64(largest)) / (a.Seconds() / float64(small))
		t.add(fmt.Sprintf("%s: cost per model %d → %d", what, small, largest),
			fmt.Sprintf("%.0f µs → %.0f µs = %.2f×", a.Seconds()/float64(small)*1e6, b.Seconds()/float64(largest)*1e6, g), "≤ 1.5×", g <= 1.5)
	}
	growth("warm compile", func(f figures) time.Duration { return f.compile })
	growth("plan", func(f figures) time.Duration { return f.plan })
	growth("no-op build", func(f figures) time.Duration { return f.noop })
}

// scaleNoop builds the n-model project in dir when it has no DuckDB file
// (room permitting), prints its first build and file, and times its no-op
// builds against the floor. It returns the median no-op build (0 when
// skipped) and peak, raised to the builds' peak RSS.
func scaleNoop(c *config, t *table, dir string, n int, peak int64) (time.Duration, int64) {
	if why := c.noRoom(dir, n); why != "" {
		t.skip(fmt.Sprintf("%d models: no-op build / floor", n), why)
		return 0, peak
	}
	if first := c.ensureBuilt(dir); first > 0 {
		t.add(fmt.Sprintf("%d models: first build (--threads 4)", n), secs(first), "", true)
	}
	c.fileRow(t, dir, n)
	r := c.noop(dir, fmt.Sprintf("noop-%d", n))
	t.add(fmt.Sprintf("%d models: no-op build / floor", n), secs(r.wall)+" / "+secs(r.floor), "", true)
	rssRow(t, n, r)
	return r.wall, max(peak, r.rss)
}

// keepFree is the disk space the bench leaves to the machine's other
// users when it builds a DuckDB file.
const keepFree = 30 << 30

// noRoom says why the n-model project in dir cannot get its DuckDB file
// built here, "" when it has one or there is room: the file takes a
// block and about 7 KB of metadata a table (263 KB with 256 KB blocks,
// 23 KB with 16 KB blocks, measured), and keepFree must stay free.
func (c *config) noRoom(dir string, n int) string {
	if _, err := os.Stat(filepath.Join(dir, "synth.duckdb")); err == nil {
		return ""
	}
	block := c.blockSize
	if block == 0 {
		block = 256 << 10
	}
	need := uint64(n) * uint64(block+7<<10)
	var fs syscall.Statfs_t
	if err := syscall.Statfs(dir, &fs); err != nil {
		return ""
	}
	free := fs.Bavail * uint64(fs.Bsize)
	if free >= need+keepFree {
		return ""
	}
	return fmt.Sprintf("its DuckDB file needs about %.1f GB and %.1f GB is free (the bench leaves 30 GB); -block-size 16384 makes it about 11× smaller",
		float64(need)/1e9, float64(free)/1e9)
}
