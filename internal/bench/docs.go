package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/weir-sh/weir/internal/browsertest"
)

// docsRows: weir docs generate of the compile project (warm caches, no
// warehouse), the site's size, and in headless Chromium, opened from
// disk: the first screen, a model's lineage and the whole project's graph.
func docsRows(c *config, t *table) {
	n := c.models
	dir := c.synthProject(n)
	m := c.timedRuns(fmt.Sprintf("docs-%d", n), dir, nil, "docs", "generate")
	t.add(fmt.Sprintf("docs generate, %d models (compile, lineage, write)", n), secs(m.wall)+" ("+secs(m.cpu)+" CPU), "+mb(m.rss), "≤ 5 s", m.wall.Seconds() <= 5)
	site := filepath.Join(dir, "target", "docs")
	total, files := dirSize(site)
	index, err := os.Stat(filepath.Join(site, "data", "index.js"))
	check(err)
	t.add(fmt.Sprintf("docs site size, %d models", n), fmt.Sprintf("%.1f MB in %d files (%d B a model); data/index.js %.1f MB",
		float64(total)/(1<<20), files, total/int64(n), float64(index.Size())/(1<<20)), "", false)
	browserRows(c, t, site, fmt.Sprintf("l%03d.m%05d", (n/2)/100, n/2))
}

// browserRows opens the site from disk and reads the timings the page
// keeps in weir.timing (performance.now: milliseconds since navigation
// start for the first screen).
func browserRows(c *config, t *table, site, model string) {
	what := "docs in the browser"
	profile, err := os.MkdirTemp(c.root, "chromium-")
	check(err)
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	tab, stop, err := browsertest.Start(ctx, profile, func(string, ...any) {})
	if err != nil {
		t.skip(what, err.Error())
		return
	}
	defer stop()
	ms := func(expr string) float64 {
		v, err := chromedp.Run(tab, chromedp.Poll[float64](expr, chromedp.WithPollingTimeout(time.Minute)))
		check(err)
		return v
	}
	var first, lineage, graph []float64
	for range c.runs {
		check(chromedp.Do(tab, chromedp.Navigate(browsertest.FileURL(filepath.Join(site, "index.html")))))
		first = append(first, ms(`weir.timing.firstScreen`))
		check(chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`weir.timing.lineage = null; location.hash = "#/node/`+model+`"`)))
		lineage = append(lineage, ms(`weir.timing.lineage`))
		check(chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`weir.timing.graph = null; location.hash = "#/graph"`)))
		graph = append(graph, ms(`weir.timing.graph`))
	}
	t.add("docs first screen (file://, navigation to overview drawn)", msec(medianF(first)), "< 1000 ms", medianF(first) < 1000)
	t.add("docs lineage of "+model+" (2 levels up and down, laid out and drawn)", msec(medianF(lineage)), "< 300 ms", medianF(lineage) < 300)
	t.add("docs lineage graph of the whole project", msec(medianF(graph)), "", false)
}

func dirSize(dir string) (int64, int) {
	var total int64
	files := 0
	check(filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			total += info.Size()
			files++
		}
		return err
	}))
	return total, files
}

func medianF(xs []float64) float64 {
	ds := make([]time.Duration, len(xs))
	for i, x := range xs {
		ds[i] = time.Duration(x * float64(time.Millisecond))
	}
	return float64(median(ds)) / float64(time.Millisecond)
}

func msec(v float64) string { return fmt.Sprintf("%.0f ms", v) }
