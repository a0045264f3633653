package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// lineageRows: weir lineage of the last model's column on the compile
// project (the compile inside it has a warm parse cache), without the
// lineage cache (every model through DuckDB's serializer) and with it.
func lineageRows(c *config, t *table) {
	n := c.models
	dir := c.synthProject(n)
	col := fmt.Sprintf("l%03d.m%05d.v", (n-1)/100, n-1) // synth's layers hold 100 models
	noCache := func() { check(os.RemoveAll(filepath.Join(dir, "target", "cache", "lineage.gob"))) }
	m := c.timedRuns(fmt.Sprintf("lineage-cold-%d", n), dir, noCache, "lineage", col)
	t.add(fmt.Sprintf("lineage of %d models, no lineage cache", n), secs(m.wall)+", "+mb(m.rss), "", false)
	m = c.timedRuns(fmt.Sprintf("lineage-warm-%d", n), dir, nil, "lineage", col)
	t.add(fmt.Sprintf("lineage of %d models, warm caches", n), secs(m.wall)+", "+mb(m.rss), "≤ 1 s", m.wall.Seconds() <= 1)
}
