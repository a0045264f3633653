package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

func newRetryCmd(g *globals) *cobra.Command {
	var o buildOptions
	cmd := &cobra.Command{
		Use:   "retry",
		Short: "Rerun exactly the failed and skipped nodes of the last build",
		Long: `retry reads the last build recorded in the target's warehouse and runs
again exactly the nodes that failed or were skipped, with the same flags
(--full-refresh, --start/--end). The project is compiled anew, so fixes to
the failed models are picked up.`,
		Example: `  weir build      # staging.orders fails, 3 models downstream are skipped
  vim models/staging/orders.sql
  weir retry      # builds staging.orders and the 3 skipped models`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			start := time.Now()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			p, err := makePlan(ctx, g, planFlags{}, true)
			if err != nil {
				return err
			}
			run, nodes, ok, err := p.store.LastRun(ctx, "build", "retry")
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
				if p, err = makePlan(ctx, g, f, true); err != nil {
					return err
				}
				defer p.close()
				fmt.Fprintf(cmd.OutOrStdout(), "Resuming run %s, which was aborted: building what it left stale\n", run.ID)
				return execute(ctx, cmd, p, "retry", f, o, start)
			}
			f.Select, f.Exclude = nil, nil
			for _, n := range nodes {
				if n.Status == "error" || n.Status == "skipped" {
					f.Select = append(f.Select, n.Name)
				}
			}
			if len(f.Select) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "Nothing to retry: run %s (%s) had no failed or skipped nodes\n", run.ID, run.Status)
				return nil
			}
			if p, err = makePlan(ctx, g, f, true); err != nil {
				return err
			}
			defer p.close()
			fmt.Fprintf(cmd.OutOrStdout(), "Retrying %d node(s) of run %s\n", len(f.Select), run.ID)
			return execute(ctx, cmd, p, "retry", f, o, start)
		},
	}
	o.register(cmd)
	return cmd
}
