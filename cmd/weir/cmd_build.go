package main

import (
	"context"
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

	"github.com/weir-sh/weir/internal/atomicfile"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/state"
)

// buildOptions are the flags of build and retry.
type buildOptions struct {
	threads int
	format  string
	junit   string // write the test results as JUnit XML here
	// heartbeat is how often to list the models still running.
	heartbeat time.Duration
	// summary is a markdown file for a pull request's comment; against
	// the target its diff compares with (default: --defer's).
	summary, against string
	// view, when set, renders the build instead of the progress lines
	// and summary (weir watch).
	view buildView
}

// buildView renders a build: weir watch shows its builds its own way.
type buildView interface {
	started(id string)
	event(e runner.Event)
	finished(r *runner.Results, upToDate int)
}

func (o *buildOptions) register(cmd *cobra.Command) {
	cmd.Flags().IntVar(&o.threads, "threads", 0, "models built at once (default: the target's threads)")
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&o.junit, "junit", "", "also write the test results as JUnit XML to `FILE`")
	cmd.Flags().StringVar(&o.summary, "summary", "", "also write a markdown report for a pull request to `FILE`: what was built and deferred and why, tests, and the diff against --against or --defer")
	cmd.Flags().StringVar(&o.against, "against", "", "the `TARGET` the --summary diff compares the built models with (default: the --defer target)")
	cmd.Flags().DurationVar(&o.heartbeat, "heartbeat", 10*time.Second, "while models run, list the ones still running this often (0: never)")
}

func newBuildCmd(g *globals) *cobra.Command {
	var (
		f planFlags
		o buildOptions
	)
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build what is stale: seeds and models in dependency order, in parallel",
		Long: `build compiles the project, compares it with the state recorded in the
target's warehouse, and builds only what is stale (see weir plan for the
reasons), at most --threads at a time. A model starts as soon as its
parents are built; when one fails, everything downstream of it is skipped
and everything else goes on. A model that does not compile (its SQL, its
template, its header) fails the same way, its errors printed. After a
failure the next build picks up the failed and skipped models. Results go
to target/run_results.json.

Exit code 0 when every node succeeded, 1 when any failed or was skipped,
2 when the project as a whole does not compile (weir.hcl, a cycle), 130
when interrupted.`,
		Example: `  weir build
  weir build --select staging.orders+ --threads 8
  weir build --full-refresh --select events_daily
  weir build --start 2024-01-01 --end 2024-02-01 --select events_daily
  weir build --format json > results.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return build(cmd, g, "build", f, o)
		},
	}
	f.register(cmd)
	f.registerServe(cmd)
	o.register(cmd)
	return cmd
}

func build(cmd *cobra.Command, g *globals, command string, f planFlags, o buildOptions) error {
	if o.format != "text" && o.format != "json" {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text or json", o.format)}
	}
	start := time.Now()
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	f.threads = o.threads
	p, err := makePlan(ctx, g, f, true)
	if err != nil {
		return err
	}
	defer p.closeLast()
	return execute(ctx, cmd, p, command, f, o, start)
}

// execute runs a plan, records it and reports it.
func execute(ctx context.Context, cmd *cobra.Command, p *planned, command string, f planFlags, o buildOptions, start time.Time) error {
	ctx, unbind := p.lock.bind(ctx)
	defer unbind()
	if err := p.lock.loss(); err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	out := cmd.OutOrStdout()
	suite, err := collectTests(p.s, p.c) // run with the nodes they test (cmd_tests.go)
	if err != nil {
		return err
	}
	threads := o.threads
	if threads <= 0 {
		threads = p.s.target.Threads
	}
	if len(p.plan.ToBuild()) == 0 {
		if err := p.markScheduled(ctx, ""); err != nil {
			return err
		}
		results := &runner.Results{StartedAt: start.UTC(), Target: p.s.target.Name, Results: []runner.NodeResult{}}
		reportUnowned(out, suite, results, o.format == "json" || o.view != nil)
		if err := writeJSON(filepath.Join(p.s.targetDir(), "run_results.json"), results); err != nil {
			return err
		}
		if err := writeSummary(ctx, p, o, f, results); err != nil {
			return err
		}
		switch {
		case o.view != nil:
			o.view.finished(results, buildableCount(p.plan, planner.UpToDate))
		case o.format == "json":
			return encodeJSON(out, results)
		case p.sched != nil:
			p.sched.nothingDue(out)
		default:
			fmt.Fprintf(out, "Nothing to do: %s up to date (%.2fs)\n", plural(buildableCount(p.plan, planner.UpToDate), "model"), time.Since(start).Seconds())
		}
		if failedCount(results.Tests) > 0 {
			return &exitError{code: exitFailed}
		}
		return nil
	}
	runID := p.runID
	if runID == "" {
		runID = newRunID(start)
	}
	args, _ := json.Marshal(f)
	if err := p.store.StartRun(ctx, state.Run{ID: runID, Command: command, Args: string(args), StartedAt: start, Trigger: p.trigger}); err != nil {
		return fmt.Errorf("recording the run: %w", err)
	}
	if err := p.markScheduled(ctx, runID); err != nil {
		return err
	}
	pr := &progress{w: out, quiet: o.format == "json" || o.view != nil}
	every := o.heartbeat
	if pr.quiet {
		every = 0
	}
	if !pr.quiet {
		printDeferred(out, runner.DeferredNodes(p.c, p.deferTarget))
	}
	pr.beat = startHeartbeat(out, every)
	onStart, onEvent := pr.beat.started, pr.event
	if o.view != nil {
		onStart, onEvent = o.view.started, o.view.event
	}
	results, runErr := runner.New(p.c, p.a).Run(ctx, runner.Options{Threads: threads, Plan: p.plan, Catalog: p.catalog, Store: p.store, RunID: runID, Tests: suite, OnStart: onStart, DeferTarget: p.deferTarget}, onEvent)
	pr.beat.close()
	tmark("run", start)
	if results == nil {
		return &exitError{code: exitFailed, msg: runErr.Error()}
	}
	reportUnowned(out, suite, results, pr.quiet)
	finishRun(p.s.diagOut, p.store, runID, results, ctx.Err() != nil, p.c.Project.HistoryDays)
	tmark("finish run", start)
	sendNotifications(p, results)
	if err := writeJSON(filepath.Join(p.s.targetDir(), "run_results.json"), results); err != nil {
		return err
	}
	if err := writeJUnit(o.junit, nodeTestResults(results), start); err != nil {
		return err
	}
	if err := writeSummary(ctx, p, o, f, results); err != nil {
		return err
	}
	switch {
	case o.view != nil:
		o.view.finished(results, buildableCount(p.plan, planner.UpToDate))
	case o.format == "json":
		encodeJSON(out, results)
	default:
		pr.summary(results, buildableCount(p.plan, planner.UpToDate))
	}
	switch {
	case p.lock.loss() != nil:
		return &exitError{code: exitFailed, msg: p.lock.loss().Error()}
	case ctx.Err() != nil:
		return &exitError{code: exitInterrupted, msg: "interrupted; queries in flight were canceled"}
	case !results.OK() || failedCount(results.Tests) > 0:
		return &exitError{code: exitFailed}
	}
	return nil
}

// finishRun records the end of a run with a context of its own, so an
// interrupted build still closes its record, then deletes the run history
// older than keepDays (weir.hcl's history block; 0 keeps it all).
func finishRun(warn io.Writer, store *state.Store, runID string, results *runner.Results, interrupted bool, keepDays int) {
	status := "success"
	switch {
	case interrupted:
		status = "interrupted"
	case !results.OK():
		status = "error"
	}
	nodes := make([]state.RunNode, len(results.Results))
	for i, r := range results.Results {
		nodes[i] = state.RunNode{Name: r.Name, Status: r.Status, Reason: r.Reason, Message: r.Message, DurationMS: r.DurationMS, Rows: r.Rows, Attempts: r.Attempts}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := store.FinishRun(ctx, runID, status, time.Now(), nodes); err != nil {
		fmt.Fprintln(warn, "Warning: could not record the end of the run:", err)
		return
	}
	if _, err := store.Prune(ctx, time.Duration(keepDays)*24*time.Hour, time.Now()); err != nil {
		fmt.Fprintln(warn, "Warning:", err)
	}
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// progress prints one line per finished node and a summary.
type progress struct {
	w     io.Writer
	quiet bool
	beat  *heartbeat
}

func (p *progress) event(e runner.Event) {
	if p.beat != nil {
		p.beat.finished(e.Result.Name)
	}
	if p.quiet {
		return
	}
	r := e.Result
	width := len(fmt.Sprint(e.Total))
	detail := r.Materialized
	if r.Rows >= 0 && r.Status == runner.StatusSuccess {
		detail += ", " + plural(int(r.Rows), "row")
	}
	tail := fmtDuration(r.DurationMS)
	if r.Status == runner.StatusSkipped && r.Message != "" {
		tail = r.Message // which upstream failed or is missing
	}
	switch {
	case r.Retries == 1:
		tail += " after 1 retry"
	case r.Retries > 1:
		tail += fmt.Sprintf(" after %d retries", r.Retries)
	}
	fmt.Fprintf(p.w, "%*d/%d %-7s %s (%s) %s\n", width, e.Done, e.Total, strings.ToUpper(statusWord(r.Status)), r.Name, detail, tail)
	if r.Status == runner.StatusError {
		fmt.Fprintf(p.w, "        %s\n", indent(r.Message, "        "))
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(p.w, "        warning: %s\n", w)
	}
	printNodeTests(p.w, r.Tests)
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

func (p *progress) summary(r *runner.Results, upToDate int) {
	c := r.Counts()
	fmt.Fprintf(p.w, "\n%d built, %d failed, %d skipped", c[runner.StatusSuccess], c[runner.StatusError], c[runner.StatusSkipped])
	if upToDate > 0 {
		fmt.Fprintf(p.w, ", %d up to date", upToDate)
	}
	fmt.Fprintf(p.w, " in %.1fs\n", r.Elapsed)
	if ts := nodeTestResults(r); len(ts) > 0 {
		fmt.Fprintln(p.w, testTally(ts))
	}
	if c[runner.StatusError] == 0 {
		return
	}
	fmt.Fprintln(p.w, "\nFailed:")
	for _, n := range r.Results {
		if n.Status == runner.StatusError {
			fmt.Fprintf(p.w, "  %s: %s\n", n.Name, firstLine(n.Message))
		}
	}
	fmt.Fprintln(p.w, "\nFix them and run `weir build` (or `weir retry`) to build the failed and skipped models.")
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
	return atomicfile.Write(path, append(data, '\n'))
}
