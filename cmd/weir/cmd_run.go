package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/schedule"
	"github.com/weir-sh/weir/state"
)

func newRunCmd(g *globals) *cobra.Command {
	var (
		f planFlags
		o buildOptions
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Build the models whose schedule is due, and what they refresh",
		Long: `run builds the models whose cron schedule has ticked since a scheduled run
last processed them, and the models downstream of them that must be
refreshed because of them (a downstream model with a schedule of its own
waits for it). Nothing else runs; the plan's reasons say "due". A model
with a schedule that no scheduled run has processed yet is due at once.

Schedules are cron = "…" in a model's header or its folder block, read in
weir.hcl's timezone (UTC by default). The time each model was processed up
to is kept in the warehouse, so running weir run again, or after a crash,
neither repeats nor skips an interval. weir serve runs this on time.

--execution-time runs as if it were that time. Exit codes as for build.`,
		Example: `  weir run
  weir run --execution-time '2024-01-01 06:00:00'
  weir plan --due`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.Due = true
			if f.trigger == "" {
				f.trigger = state.TriggerSchedule
			}
			return build(cmd, g, "run", f, o)
		},
	}
	f.register(cmd)
	f.registerServe(cmd)
	o.register(cmd)
	return cmd
}

// scheduled is what a run of the due models processes.
type scheduled struct {
	tick  time.Time
	crons map[string]*schedule.Cron
	due   []schedule.Due
	// last is, by scheduled model, the time it was processed up to.
	last map[string]time.Time
}

// selectDue narrows the plan input to the due models and what they
// refresh, within the user's selection when narrowed is set.
func (p *planned) selectDue(ctx context.Context, in *planner.Input, narrowed bool) error {
	marks, err := p.store.Marks(ctx)
	if err != nil {
		return &exitError{code: exitFailed, msg: "reading the schedule state: " + err.Error()}
	}
	sc := &scheduled{tick: in.Now, crons: schedule.Scheduled(p.c), last: map[string]time.Time{}}
	for id, m := range marks {
		sc.last[id] = m.Processed(in.State[id].BuiltRun)
	}
	sc.due = schedule.DueAt(sc.crons, sc.last, in.Now)
	userSel := in.Selected
	if narrowed {
		sc.due = keepSelected(sc.due, in.Selected)
	}
	in.Selected = append([]string{}, schedule.Selection(p.c, sc.due)...) // empty, not nil: nothing
	// A scheduled model that does not compile (its cron, say) is recorded
	// failed at every run, not left out unnoticed.
	for _, n := range p.c.Broken() {
		if n.Model != nil && n.Model.Config.Cron != "" && (!narrowed || slices.Contains(userSel, n.ID)) {
			in.Selected = append(in.Selected, n.ID)
		}
	}
	in.Named = nil
	in.Forced = map[string]string{}
	for _, d := range sc.due {
		in.Forced[d.ID] = d.Reason()
	}
	p.sched = sc
	return nil
}

func keepSelected(due []schedule.Due, selected []string) []schedule.Due {
	in := setOfIDs(selected)
	var out []schedule.Due
	for _, d := range due {
		if in[d.ID] {
			out = append(out, d)
		}
	}
	return out
}

func setOfIDs(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

// markScheduled records that run processes the due models (run is ""
// when nothing needed building).
func (p *planned) markScheduled(ctx context.Context, run string) error {
	sc := p.sched
	if sc == nil || len(sc.due) == 0 {
		return nil
	}
	prev := make(map[string]time.Time, len(sc.due))
	for _, d := range sc.due {
		prev[d.ID] = sc.last[d.ID]
	}
	if err := p.store.MarkScheduled(ctx, run, sc.tick, prev); err != nil {
		return fmt.Errorf("recording the scheduled run: %w", err)
	}
	return nil
}

// nothingDue reports a run with nothing to build, and when the next
// model is due.
func (sc *scheduled) nothingDue(w io.Writer) {
	switch {
	case len(sc.crons) == 0:
		fmt.Fprintln(w, `Nothing is due: no model has a schedule (cron = "…" in its header or folder)`)
		return
	case len(sc.due) > 0:
		fmt.Fprintf(w, "Nothing to do: the due models are up to date\n")
	default:
		fmt.Fprintf(w, "Nothing is due at %s\n", sc.fmtTime(sc.tick))
	}
	last := make(map[string]time.Time, len(sc.crons))
	for id := range sc.crons {
		last[id] = sc.last[id]
		if last[id].IsZero() || sc.isDue(id) {
			last[id] = sc.tick
		}
	}
	if id, at := nextModel(sc.crons, last); id != "" {
		fmt.Fprintf(w, "Next: %s at %s\n", id, sc.fmtTime(at))
	}
}

func (sc *scheduled) isDue(id string) bool {
	for _, d := range sc.due {
		if d.ID == id {
			return true
		}
	}
	return false
}

// nextModel names the model whose next tick comes first, and the tick.
func nextModel(crons map[string]*schedule.Cron, last map[string]time.Time) (string, time.Time) {
	var (
		first string
		at    time.Time
	)
	for id, cr := range crons {
		t := cr.Next(last[id])
		if first == "" || t.Before(at) || t.Equal(at) && id < first {
			first, at = id, t
		}
	}
	return first, at
}

func (sc *scheduled) fmtTime(t time.Time) string {
	for _, cr := range sc.crons {
		return cr.In(t).Format("2006-01-02 15:04 MST")
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}

// notifyTerm is a context that ends at Ctrl-C or SIGTERM.
func notifyTerm(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
}
