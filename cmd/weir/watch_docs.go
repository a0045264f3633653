package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/weir-sh/weir/docs"
	"github.com/weir-sh/weir/internal/webserver"
)

// watchDocs serves the docs site while weir watch runs (--docs-port),
// generated again after each build.
type watchDocs struct {
	g *globals
}

// serveWatchDocs generates the site, then serves it until ctx ends.
func serveWatchDocs(ctx context.Context, g *globals, cfg webserver.Config, out io.Writer) (*watchDocs, error) {
	cfg = cfg.FromEnv()
	if err := cfg.Check(); err != nil {
		return nil, &exitError{code: exitUsage, msg: "--docs-port: " + err.Error()}
	}
	d := &watchDocs{g: g}
	gen, err := generateDocs(d.quiet())
	if err != nil {
		return nil, err
	}
	ln, err := webserver.Listen(cfg)
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: err.Error()}
	}
	dir := filepath.Dir(gen.Path)
	go webserver.Serve(ctx, ln, webserver.Handler(cfg, docs.Handler(dir)))
	fmt.Fprintf(out, "Serving the docs site on %s, generated again after each build\n", webserver.URL(ln))
	return d, nil
}

// quiet are the globals for generating the site: the build printed the
// project's diagnostics already.
func (d *watchDocs) quiet() *globals {
	inv := *d.g.inv
	inv.stderr = io.Discard
	g := *d.g
	g.inv = &inv
	return &g
}

// refresh generates the site again; a failure is reported on v.
func (d *watchDocs) refresh(v *watchView) {
	if d == nil {
		return
	}
	if _, err := generateDocs(d.quiet()); err != nil {
		v.problem("the docs site was not generated again: " + errorText(err))
	}
}
