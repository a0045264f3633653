package main

import (
	"context"
	"fmt"
	"time"

	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/monitor"
	"github.com/weir-sh/weir/schedule"
	"github.com/weir-sh/weir/state"
)

// monitorRuns and monitorHistory bound what the monitor shows: the latest
// runs, and the latest outcomes of each model.
const (
	monitorRuns    = 50
	monitorHistory = 20
)

// withStore reads the target's recorded state: on an owned file through
// the shared database, otherwise on a connection of its own.
func (srv *server) withStore(ctx context.Context, fn func(*state.Store) error) error {
	a, err := srv.s.connectExisting()
	if err != nil {
		return err
	}
	defer a.Close()
	st, err := state.Read(ctx, a, srv.s.target.SchemaPrefix)
	if err != nil {
		return err
	}
	return fn(st)
}

// schedules loads the project again (its schedules may have been edited)
// and reads, by scheduled model, the time it was processed up to.
func (srv *server) schedules(ctx context.Context) (*models.Project, map[string]*schedule.Cron, map[string]time.Time, map[string]state.Node, error) {
	p, diags := models.Load(srv.s.project.Dir)
	if p == nil {
		return nil, nil, nil, nil, fmt.Errorf("loading the project: %s", diags.Error())
	}
	crons := schedule.FromProject(p)
	last := map[string]time.Time{}
	var nodes map[string]state.Node
	err := srv.withStore(ctx, func(st *state.Store) error {
		marks, err := st.Marks(ctx)
		if err != nil {
			return err
		}
		if nodes, err = st.Nodes(ctx); err != nil {
			return err
		}
		for id, m := range marks {
			last[id] = m.Processed(nodes[id].BuiltRun)
		}
		return nil
	})
	return p, crons, last, nodes, err
}

// nextDue is when the next scheduled model is due.
func (srv *server) nextDue(ctx context.Context) (time.Time, bool, error) {
	_, crons, last, _, err := srv.schedules(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	next, ok := schedule.NextDue(crons, last, srv.sched.Clock.Now())
	return next, ok, nil
}

// Runs answers /api/runs: the recorded runs and the scheduler's queue.
func (srv *server) Runs(ctx context.Context) (monitor.Runs, error) {
	doc := monitor.Runs{Runs: []monitor.Run{}, Waiting: []monitor.Request{}}
	err := srv.withStore(ctx, func(st *state.Store) error {
		runs, nodes, err := st.RecentRuns(ctx, monitorRuns)
		for _, r := range runs {
			doc.Runs = append(doc.Runs, monitorRun(r, nodes[r.ID]))
		}
		return err
	})
	running, waiting := srv.sched.Queue()
	if running != nil {
		doc.Running = monitorRequest(*running)
	}
	for _, w := range waiting {
		doc.Waiting = append(doc.Waiting, *monitorRequest(w))
	}
	srv.failedMu.Lock()
	doc.Failed = append(doc.Failed, srv.failed...)
	srv.failedMu.Unlock()
	return doc, err
}

func monitorRun(r state.Run, nodes []state.RunNode) monitor.Run {
	out := monitor.Run{ID: r.ID, Trigger: r.Trigger, Command: r.Command, Status: r.Status, Start: r.StartedAt, Models: []monitor.RunModel{}}
	if !r.EndedAt.IsZero() {
		end := r.EndedAt
		out.End = &end
	}
	for _, n := range nodes {
		out.Models = append(out.Models, monitor.RunModel{Name: n.Name, Status: n.Status, DurationMS: n.DurationMS, Reason: n.Reason, Message: n.Message})
	}
	return out
}

func monitorRequest(r schedule.Request) *monitor.Request {
	return &monitor.Request{ID: r.ID, Trigger: r.Trigger, Select: r.Select, File: r.File, At: r.At}
}

// Models answers /api/models: every model's schedule, next due time,
// last status and recent durations.
func (srv *server) Models(ctx context.Context) ([]monitor.Model, error) {
	p, crons, last, nodes, err := srv.schedules(ctx)
	if err != nil {
		return nil, err
	}
	var history map[string][]state.Outcome
	if err := srv.withStore(ctx, func(st *state.Store) (err error) {
		history, err = st.History(ctx, monitorHistory)
		return err
	}); err != nil {
		return nil, err
	}
	now := srv.sched.Clock.Now()
	out := make([]monitor.Model, 0, len(p.Models))
	for _, m := range p.Models {
		id := m.ID()
		mm := monitor.Model{Name: id, Cron: m.Config.Cron, LastStatus: nodes[id].LastStatus, LastRun: nodes[id].LastRun, Durations: []float64{}}
		if cr := crons[id]; cr != nil {
			next := now
			if l := last[id]; !l.IsZero() {
				next = cr.Next(l)
			}
			mm.NextDue = &next
		}
		failed := 0
		for _, o := range history[id] {
			mm.Durations = append(mm.Durations, o.DurationMS)
			if o.Status == "error" {
				failed++
			}
		}
		if mm.Runs = len(history[id]); mm.Runs > 0 {
			mm.FailureRate = float64(failed) / float64(mm.Runs)
		}
		out = append(out, mm)
	}
	return out, nil
}

// Trigger answers POST /api/trigger: it queues a build of the selection.
func (srv *server) Trigger(_ context.Context, selection []string) (string, error) {
	id, queued := srv.sched.Submit(schedule.Request{Trigger: state.TriggerHTTP, Select: selection})
	if queued {
		srv.logf("Run %s of %v asked for over HTTP: queued", id, selection)
	}
	return id, nil
}
