package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

func newPlanCmd(g *globals) *cobra.Command {
	var (
		f      planFlags
		format string
	)
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what build would do, and why, without doing it",
		Long: `plan compares the project with the state recorded in the target's warehouse
and lists every model and seed that build would run, with the reason:
never built, SQL or config changed, upstream rebuilt, source data newer,
last run failed or was skipped, intervals due, or --full-refresh.
Editing only comments or whitespace changes nothing.`,
		Example: `  weir plan
  weir plan --select staging.orders+ --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := makePlan(cmd.Context(), g, f, false)
			if err != nil {
				return err
			}
			defer p.closeLast()
			if err := printPlan(cmd, p.plan, runner.DeferredNodes(p.c, p.deferTarget), format); err != nil {
				return err
			}
			if n := len(p.c.Broken()); n > 0 {
				return &exitError{code: exitFailed, msg: fmt.Sprintf("%d node(s) do not compile; build would record them failed and skip what reads them", n)}
			}
			if n := len(p.s.suite.BrokenTests()); n > 0 {
				return &exitError{code: exitFailed, msg: fmt.Sprintf("%d test(s) do not compile; build would report them as errors", n)}
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&f.Due, "due", false, "plan only what weir run would build: the models whose schedule is due and what they refresh")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// planJSON is the --format json shape of a plan.
type planJSON struct {
	Steps    []*planner.Step `json:"steps"`
	UpToDate int             `json:"up_to_date"`
	// Deferred are read from the --defer target instead of being built.
	Deferred []runner.Deferred `json:"deferred,omitempty"`
}

func printPlan(cmd *cobra.Command, p *planner.Plan, deferred []runner.Deferred, format string) error {
	out := cmd.OutOrStdout()
	var todo []*planner.Step
	for _, id := range p.ToBuild() {
		todo = append(todo, p.Steps[id])
	}
	upToDate := buildableCount(p, planner.UpToDate)
	switch format {
	case "json":
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if todo == nil {
			todo = []*planner.Step{}
		}
		return enc.Encode(planJSON{Steps: todo, UpToDate: upToDate, Deferred: deferred})
	case "text":
		tw := tabwriter.NewWriter(out, 0, 4, 3, ' ', 0)
		for _, st := range todo {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", st.ID, actionWord(st), st.Reason)
		}
		tw.Flush()
		printDeferred(out, deferred)
		if len(todo) == 0 {
			fmt.Fprintf(out, "Nothing to do: %d up to date\n", upToDate)
		} else {
			fmt.Fprintf(out, "%d up to date\n", upToDate)
		}
		return nil
	}
	return &exitError{code: exitUsage, msg: fmt.Sprintf("unknown --format %q; use text or json", format)}
}
