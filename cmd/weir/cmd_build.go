package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/runner"
)

func newBuildCmd(g *globals) *cobra.Command {
	var (
		threads int
		format  string
	)
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Load seeds and build models in dependency order, in parallel",
		Long: `build compiles the project, loads the seeds, then builds every model on the
target's warehouse, at most --threads at a time. A model starts as soon as
its parents are built; when one fails, everything downstream of it is
skipped and everything else goes on. Results go to target/run_results.json.

Exit code 0 when every node succeeded, 1 when any failed or was skipped,
2 when the project does not compile, 130 when interrupted.`,
		Example: `  weir build
  weir build --threads 8 --target pg
  weir build --format json > results.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return build(cmd, g, threads, format)
		},
	}
	cmd.Flags().IntVar(&threads, "threads", 0, "models built at once (default: the target's threads)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func build(cmd *cobra.Command, g *globals, threads int, format string) error {
	if format != "text" && format != "json" {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text or json", format)}
	}
	s, res, err := compileProject(g, "text")
	if err != nil {
		return err
	}
	a, err := s.connect()
	if err != nil {
		return err
	}
	defer a.Close()
	if threads <= 0 {
		threads = s.target.Threads
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	out := cmd.OutOrStdout()
	p := &progress{w: out, quiet: format == "json"}
	results, runErr := runner.New(res, a).Run(ctx, runner.Options{Threads: threads}, p.event)
	if results == nil {
		return &exitError{code: exitFailed, msg: runErr.Error()}
	}
	if err := writeJSON(filepath.Join(s.targetDir(), "run_results.json"), results); err != nil {
		return err
	}
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		enc.Encode(results)
	} else {
		p.summary(results)
	}
	switch {
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, msg: "interrupted; queries in flight were canceled"}
	case !results.OK():
		return &exitError{code: exitFailed}
	}
	return nil
}

// progress prints one line per finished node and a summary.
type progress struct {
	w     io.Writer
	quiet bool
}

func (p *progress) event(e runner.Event) {
	if p.quiet {
		return
	}
	r := e.Result
	width := len(fmt.Sprint(e.Total))
	detail := r.Materialized
	if r.Rows >= 0 && r.Status == runner.StatusSuccess {
		detail += fmt.Sprintf(", %d rows", r.Rows)
	}
	fmt.Fprintf(p.w, "%*d/%d %-7s %s (%s) %s\n", width, e.Done, e.Total, strings.ToUpper(statusWord(r.Status)), r.Name, detail, fmtDuration(r.DurationMS))
	if r.Status == runner.StatusError {
		fmt.Fprintf(p.w, "        %s\n", indent(r.Message, "        "))
	}
}

func statusWord(s string) string {
	switch s {
	case runner.StatusSuccess:
		return "ok"
	case runner.StatusError:
		return "error"
	}
	return s
}

func (p *progress) summary(r *runner.Results) {
	c := r.Counts()
	fmt.Fprintf(p.w, "\n%d built, %d failed, %d skipped in %.1fs\n", c[runner.StatusSuccess], c[runner.StatusError], c[runner.StatusSkipped], r.Elapsed)
	if c[runner.StatusError] == 0 {
		return
	}
	fmt.Fprintln(p.w, "\nFailed:")
	for _, n := range r.Results {
		if n.Status == runner.StatusError {
			fmt.Fprintf(p.w, "  %s: %s\n", n.Name, firstLine(n.Message))
		}
	}
}

func fmtDuration(ms float64) string {
	return (time.Duration(ms * float64(time.Millisecond))).Round(time.Millisecond).String()
}

func indent(s, pad string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n"+pad) }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// writeJSON writes v to path through a temporary file.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
