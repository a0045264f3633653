package main

import (
	"context"

	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/notify"
	"github.com/weir-sh/weir/schedule"
	"github.com/weir-sh/weir/state"
)

// dueRun is what a scheduled run of weir serve is expected to build: the
// models due at its time, and the project they were read from.
type dueRun struct {
	project *models.Project
	due     []schedule.Due
}

// dueFor reads the models due at a scheduled request's time, before it
// runs (nil when none are, or when the project or state cannot be read:
// a warning, and no stale message for that run).
func (srv *server) dueFor(ctx context.Context, r schedule.Request) *dueRun {
	p, crons, last, _, err := srv.schedules(ctx)
	if err != nil {
		srv.logf("Warning: cannot tell which models run %s is due to build, so none is reported late: %v", r.ID, err)
		return nil
	}
	due := schedule.DueAt(crons, last, r.At)
	if len(due) == 0 {
		return nil
	}
	return &dueRun{project: p, due: due}
}

// sendStale sends a stale message naming the due models that run r did
// not build successfully (it failed, skipped or interrupted them, or never
// started), each at most once per tick it was due for: a run that cannot
// start is retried every minute for the same tick and is not announced
// again.
func (srv *server) sendStale(ctx context.Context, r schedule.Request, d *dueRun) {
	ctx = context.WithoutCancel(ctx) // an interrupted run still reads what it built
	var nodes map[string]state.Node
	if err := srv.withStore(ctx, func(st *state.Store) (err error) { nodes, err = st.Nodes(ctx); return err }); err != nil {
		srv.logf("Warning: reading what run %s built: %v (its due models count as late)", r.ID, err)
	}
	var late []notify.Node
	for _, due := range d.due {
		n := nodes[due.ID]
		if n.BuiltRun == r.ID {
			continue
		}
		if tick, sent := srv.staleSent[due.ID]; sent && tick.Equal(due.Tick) {
			continue
		}
		srv.staleSent[due.ID] = due.Tick
		late = append(late, lateNode(due, n, r.ID))
	}
	if len(late) == 0 || len(d.project.Notifiers) == 0 {
		return
	}
	msg := notify.Message{Project: d.project.Name, Target: srv.s.target.Name, RunID: r.ID, Event: models.EventStale,
		StartedAt: r.At, EndedAt: srv.sched.Clock.Now(), Summary: plural(len(late), "scheduled model") + " late", Nodes: late}
	notify.Send(ctx, d.project, []notify.Message{msg}, func(format string, args ...any) { srv.logf("Warning: "+format, args...) })
}

// lateNode describes a due model that run did not build: its status in
// that run (error, skipped, interrupted) or "not run", and the tick it
// was due for.
func lateNode(d schedule.Due, n state.Node, run string) notify.Node {
	out := notify.Node{Name: d.ID, Kind: models.KindModel, Status: "not run", Message: d.Reason()}
	if n.LastRun == run {
		out.Status = n.LastStatus
		if n.LastMessage != "" {
			out.Message += "; " + firstLine(n.LastMessage)
		}
	}
	return out
}
