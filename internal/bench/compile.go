package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/weir-sh/weir/internal/synth"
)

// synthProject is the layered DuckDB project of n models, its file of
// -block-size blocks (a folder of its own for each block size).
func (c *config) synthProject(n int) string {
	name := fmt.Sprintf("synth%d", n)
	if c.blockSize != 0 {
		name += fmt.Sprintf("-bs%d", c.blockSize)
	}
	return c.project(name, func(dir string) {
		_, err := synth.Write(dir, synth.Options{Models: n, Seed: 1, BlockSize: c.blockSize})
		check(err)
	})
}

// compileRows: a compile as on a fresh clone (no target/ at all: no parse
// cache, no artifacts) and a warm one (parse cache in place).
func compileRows(c *config, t *table) {
	n := c.models
	dir := c.synthProject(n)
	fresh := func() { check(os.RemoveAll(filepath.Join(dir, "target"))) }
	m := c.timedRuns(fmt.Sprintf("compile-cold-%d", n), dir, fresh, "compile")
	t.add(fmt.Sprintf("compile %d models, fresh clone (no target/)", n), secs(m.wall)+", "+mb(m.rss), "≤ 2 s, ≤ 300 MB",
		m.wall.Seconds() <= 2 && m.rss>>10 <= 300)
	m = c.timedRuns(fmt.Sprintf("compile-warm-%d", n), dir, nil, "compile")
	t.add(fmt.Sprintf("compile %d models, warm parse cache", n), secs(m.wall)+", "+mb(m.rss), "≤ 0.3 s", m.wall.Seconds() <= 0.3)
}
