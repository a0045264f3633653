package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/runner"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/state"
)

func newRetryCmd(g *globals) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "retry",
		Short: "Rerun the failed and skipped nodes of the last build",
		Long: `retry reads the last build recorded in the target's warehouse and runs
again the nodes that failed or were skipped, with the same flags
(--full-refresh, --start/--end), together with whatever upstream of them
is stale (an upstream model edited since, say), as --select +NODE would.
The project is compiled anew, so fixes to the failed models are picked up.`,
		Example: `  weir build      # staging.orders fails, 3 models downstream are skipped
  vim models/staging/orders.sql
  weir retry      # builds staging.orders, the 3 skipped models and anything stale upstream`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			say := cmd.OutOrStdout() // what retry does, on stderr when stdout is JSON
			if o.format == "json" {
				say = cmd.ErrOrStderr()
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			p, err := makePlan(ctx, g, planFlags{}, true)
			if err != nil {
				return err
			}
			run, nodes, ok, err := p.store.LastRun(ctx, "build", "retry")
			known := p.c.Nodes
			p.close() // reopened below with the last run's selection
			if err != nil {
				return err
			}
			if !ok {
				return &exitError{code: exitUsage, msg: "no build recorded on this target yet; run `weir build`"}
			}
			var f planFlags
			if run.Args != "" {
				if err := json.Unmarshal([]byte(run.Args), &f); err != nil {
					return fmt.Errorf("reading the flags of run %s: %w", run.ID, err)
				}
			}
			if run.Status == "aborted" {
				// It recorded no outcomes; its own selection, planned anew,
				// is what it left undone.
				f.staleOnly = true
				if p, err = makePlan(ctx, g, f, true); err != nil {
					return err
				}
				defer p.close()
				fmt.Fprintf(say, "Resuming run %s, which was aborted: building what it left stale\n", run.ID)
				return execute(ctx, cmd, p, "retry", f, o, start)
			}
			f.Select, f.Exclude = retrySelection(cmd.ErrOrStderr(), nodes, known), nil
			if len(f.Select) == 0 {
				fmt.Fprintf(say, "Nothing to retry: run %s (%s) had no failed or skipped nodes\n", run.ID, run.Status)
				if o.format == "json" {
					return encodeJSON(cmd.OutOrStdout(), &runner.Results{StartedAt: start.UTC(), Target: p.s.target.Name, Results: []runner.NodeResult{}})
				}
				return nil
			}
			if p, err = makePlan(ctx, g, f, true); err != nil {
				return err
			}
			defer p.close()
			fmt.Fprintf(say, "Retrying %d node(s) of run %s\n", len(f.Select), run.ID)
			return execute(ctx, cmd, p, "retry", f, o, start)
		},
	}
	o.register(cmd)
	return cmd
}

// retrySelection selects each failed or skipped node of a run that the
// project still has, with its ancestors ("+name"): a stale upstream is
// rebuilt first, one that is up to date is left alone. Nodes gone from
// the project are named on w.
func retrySelection(w io.Writer, nodes []state.RunNode, known map[string]*compiler.Node) []string {
	var sel, gone []string
	for _, n := range nodes {
		if n.Status != "error" && n.Status != "skipped" {
			continue
		}
		if known[n.Name] == nil {
			gone = append(gone, n.Name)
			continue
		}
		sel = append(sel, "+"+n.Name)
	}
	if len(gone) > 0 {
		fmt.Fprintf(w, "Not retrying %s: no longer in the project\n", strings.Join(gone, ", "))
	}
	return sel
}
