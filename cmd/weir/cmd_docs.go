package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/docs"
	"github.com/weir-sh/weir/internal/webserver"
)

func newDocsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "docs",
		Short: "Generate and serve the lineage documentation site",
		Long: `docs writes a static site describing every model, seed, source and test:
columns with their warehouse types, lineage (of nodes and of columns), tests
with their last results, and the run history recorded in the warehouse.
target/docs/index.html opens from disk or any static host.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newDocsGenerateCmd(g), newDocsServeCmd(g))
	return cmd
}

// docsGenerated is what weir docs generate --format json prints.
type docsGenerated struct {
	Path       string  `json:"path"`
	Nodes      int     `json:"nodes"`
	Runs       int     `json:"runs"`
	Files      int     `json:"files"`
	Bytes      int64   `json:"bytes"`
	IndexBytes int64   `json:"index_bytes"`
	Warehouse  string  `json:"warehouse,omitempty"`
	Seconds    float64 `json:"seconds"`
}

func newDocsGenerateCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write the documentation site to target/docs/",
		Example: `  weir docs generate && open target/docs/index.html
  weir docs generate --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text or json", format)}
			}
			out, err := generateDocs(g)
			if err != nil {
				return err
			}
			if format == "json" {
				return encodeJSON(cmd.OutOrStdout(), out)
			}
			printGenerated(cmd.OutOrStdout(), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// generateDocs compiles the project, reads what the warehouse knows and
// writes the site. Models that do not compile are shown with their error.
func generateDocs(g *globals) (docsGenerated, error) {
	start := time.Now()
	s, err := open(g, "text")
	if err != nil {
		return docsGenerated{}, err
	}
	s.isolate = true
	res, err := s.compileForTarget()
	if err != nil {
		return docsGenerated{}, err
	}
	defer res.Close()
	tmark("compile", start)
	in := docsInput(s.ctx, s, res)
	tmark("read", start)
	dir := filepath.Join(s.targetDir(), "docs")
	st, err := docs.Generate(dir, in)
	tmark("write site", start)
	if err != nil {
		return docsGenerated{}, &exitError{code: exitFailed, msg: "writing the docs site: " + err.Error()}
	}
	return docsGenerated{Path: filepath.Join(dir, "index.html"), Nodes: st.Nodes, Runs: st.Runs, Files: st.Files,
		Bytes: st.Bytes, IndexBytes: st.IndexBytes, Warehouse: in.WarehouseNote, Seconds: time.Since(start).Seconds()}, nil
}

func printGenerated(w io.Writer, out docsGenerated) {
	fmt.Fprintf(w, "Wrote %s: %s, %s, %s, %s (index %s) in %.2fs\n", relPath(out.Path),
		plural(out.Nodes, "node"), plural(out.Runs, "run"), plural(out.Files, "file"), size(out.Bytes), size(out.IndexBytes), out.Seconds)
	if out.Warehouse != "" {
		fmt.Fprintf(w, "Warehouse %s: column types, build times and run history are left out\n", out.Warehouse)
	}
}

func newDocsServeCmd(g *globals) *cobra.Command {
	var (
		cfg        webserver.Config
		noGenerate bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Generate the site and serve it on 127.0.0.1 until Ctrl-C",
		Long: `serve writes target/docs/ (as weir docs generate) and serves it. It listens on
127.0.0.1 unless --bind says otherwise; beyond the loopback interface it
needs a token in WEIR_SERVE_TOKEN, which browsers and clients then send as
"Authorization: Bearer <token>".`,
		Example: `  weir docs serve
  weir docs serve --port 9000 --no-generate`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg = cfg.FromEnv()
			if err := cfg.Check(); err != nil {
				return &exitError{code: exitUsage, msg: err.Error()}
			}
			dir := ""
			if noGenerate {
				s, err := open(g, "text")
				if err != nil {
					return err
				}
				dir = filepath.Join(s.targetDir(), "docs")
			} else {
				out, err := generateDocs(g)
				if err != nil {
					return err
				}
				printGenerated(cmd.OutOrStdout(), out)
				dir = filepath.Dir(out.Path)
			}
			ln, err := webserver.Listen(cfg)
			if err != nil {
				return &exitError{code: exitFailed, msg: err.Error()}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Serving %s on %s (Ctrl-C stops)\n", relPath(dir), webserver.URL(ln))
			if err := webserver.Serve(cmd.Context(), ln, webserver.Handler(cfg, docs.Handler(dir))); err != nil {
				return &exitError{code: exitFailed, msg: err.Error()}
			}
			return interrupted()
		},
	}
	cmd.Flags().IntVar(&cfg.Port, "port", 8080, "TCP port to listen on (0 picks a free one)")
	cmd.Flags().StringVar(&cfg.Bind, "bind", webserver.DefaultBind, "address to listen on; beyond loopback only with WEIR_SERVE_TOKEN set")
	cmd.Flags().BoolVar(&noGenerate, "no-generate", false, "serve target/docs/ as it is, without generating it first")
	return cmd
}

// size writes a byte count for people.
func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// relPath is path relative to the working folder when it is inside it.
func relPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && filepath.IsLocal(rel) {
		return rel
	}
	return path
}
