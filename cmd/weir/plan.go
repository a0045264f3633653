package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/schedule"
	"github.com/weir-sh/weir/state"
)

// planFlags are the flags that shape what a build does.
type planFlags struct {
	Select  []string `json:"select,omitempty"`
	Exclude []string `json:"exclude,omitempty"`
	stateFlags
	FullRefresh bool   `json:"full_refresh,omitempty"`
	Start       string `json:"start,omitempty"`
	End         string `json:"end,omitempty"`
	// Now replaces the current time, for reproducible interval plans.
	Now string `json:"execution_time,omitempty"`
	// Defer names the target whose relations stand in for the upstream
	// models this build does not build and this target lacks.
	Defer string `json:"defer,omitempty"`
	// staleOnly builds only what is stale, even among the nodes --select
	// names (which otherwise run anyway).
	staleOnly bool
	// Due limits the plan to the models whose schedule is due and what
	// must be refreshed because of them (weir run, weir plan --due).
	Due bool `json:"due,omitempty"`
	// trigger is what started the run, recorded with it (state.Trigger*);
	// "" is manual.
	trigger string
	// runID names the run, when its caller gave it one already.
	runID string
	// forced are nodes to run whatever their state, with the reason.
	forced map[string]string
	// arrived is "SOURCE=FILE": a file arrived in the source's
	// trigger_path, so the models reading the source run (weir serve).
	arrived string
	// threads, when above 0, replaces the target's threads (--threads):
	// the warehouse's connection pool is sized for it.
	threads int
}

// registerServe adds the flags weir serve gives the runs it starts,
// hidden from users: the run's id, what triggered it, the file that
// arrived.
func (f *planFlags) registerServe(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.runID, "run-id", "", "the run's id")
	cmd.Flags().StringVar(&f.trigger, "trigger", "", "what started the run: schedule, http, file or manual")
	cmd.Flags().StringVar(&f.arrived, "arrived", "", "SOURCE=FILE: a file arrived for the source")
	for _, name := range []string{"run-id", "trigger", "arrived"} {
		cmd.Flags().MarkHidden(name)
	}
}

func (f *planFlags) register(cmd *cobra.Command) {
	selectionFlags(cmd, &f.Select, &f.Exclude, "nodes to build")
	f.stateFlags.register(cmd)
	cmd.Flags().BoolVar(&f.FullRefresh, "full-refresh", false, "rebuild incremental models from scratch (the old table stays readable until the swap)")
	cmd.Flags().StringVar(&f.Start, "start", "", "backfill time_range models from this time (YYYY-MM-DD[ HH:MM:SS], UTC)")
	cmd.Flags().StringVar(&f.End, "end", "", "backfill time_range models up to this time (exclusive)")
	cmd.Flags().StringVar(&f.Defer, "defer", "", "read the upstream models this build does not build, and this target lacks, from `TARGET`'s relations (e.g. prod)")
	cmd.Flags().StringVar(&f.Now, "execution-time", "", "plan as if it were this time (UTC); intervals after it are not due")
}

// planned is a compiled project, its warehouse and what to do there.
type planned struct {
	s       *session
	c       *compiler.Result
	a       adapters.Adapter
	store   *state.Store
	plan    *planner.Plan
	catalog runner.Catalog // what exists in the warehouse, read for the plan
	release func()
	lock    lockWatch // stops the build if the build lock is lost
	// deferTarget is the target of --defer, "" without it.
	deferTarget string
	// before is the state recorded before the run, for notify.ForRun.
	before map[string]state.Node
	// sched is what a run of the due models processes (cmd_run.go).
	sched *scheduled
	// trigger and runID are planFlags', for the run record.
	trigger, runID string
}

func (p *planned) close() { p.closeWith(p.a.Close) }

// closeLast is close at the end of a command that uses p last: when the
// process exits right after, it may leave the warehouse to the exit
// (adapters.CloseAtExit).
func (p *planned) closeLast() {
	if !p.s.inv.exits {
		p.close()
		return
	}
	p.closeWith(func() error { return adapters.CloseAtExit(p.a) })
}

func (p *planned) closeWith(closeWarehouse func() error) {
	t0 := time.Now()
	if p.release != nil {
		p.release()
	}
	closeWarehouse()
	tmark("close warehouse", t0)
	p.c.Close()
	tmark("close parser", t0)
}

// makePlan compiles the project, connects to the target, reads the
// recorded state and plans the build. When lock is set it first takes the
// target's build lock, so two builds never run on one target at once;
// without it, it writes nothing to the warehouse (weir plan): no state
// schema, no database file.
func makePlan(ctx context.Context, g *globals, f planFlags, lock bool) (*planned, error) {
	t0 := time.Now()
	factory := adapters.Factory(adapters.Open)
	if !lock {
		factory = adapters.OpenExisting
	}
	// Opening a large DuckDB file reads its catalog, which takes as long
	// as loading and compiling the project; do them at once.
	pre := openEarly(g, factory, f.threads)
	s, err := open(g, "text")
	if err != nil {
		pre.discard()
		return nil, err
	}
	if f.threads > 0 {
		s.target.Threads = f.threads
	}
	s.isolate = true // a model that does not compile fails alone
	tmark("load", t0)
	type opened struct {
		conn
		rec *runner.Recorded
	}
	connected := make(chan opened, 1)
	go func() {
		var cn opened
		if cn.a = pre.take(s.target, s.project.Dir); cn.a == nil {
			cn.a, cn.err = s.connectWith(factory)
		}
		tmark("open", t0)
		if cn.err == nil && s.cache == nil { // the owner's cache is read in prepare
			cn.rec = readEarly(ctx, cn.a, s.target.SchemaPrefix, lock)
			tmark("read early", t0)
		}
		connected <- cn
	}()
	c, err := s.compileForTarget()
	tmark("compile", t0)
	if pre.opening() {
		releaseHeap()
		tmark("release heap", t0)
	}
	var cn opened
	select {
	case cn = <-connected:
	case <-ctx.Done():
		go func() {
			if cn := <-connected; cn.a != nil {
				cn.a.Close()
			}
		}()
		cn.err = interrupted()
	}
	tmark("connect", t0)
	if err != nil || cn.err != nil {
		if cn.a != nil {
			cn.a.Close()
		}
		if c != nil {
			c.Close()
		}
		if err != nil {
			return nil, err
		}
		return nil, cn.err
	}
	a := cn.a
	p := &planned{s: s, c: c, a: a, trigger: f.trigger, runID: f.runID}
	if err := p.prepare(ctx, f, lock, cn.rec); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

// readEarly reads the recorded state and the catalog of a target while
// its project compiles, so that a build with nothing to do waits for
// little more than the warehouse's opening. It reads only what a plan
// may read before taking the build lock: not for a build on a warehouse
// with a lock of its own (another build may hold it and write), and not
// a state schema that needs migrating. It returns nil when it read
// nothing, and prepare then reads as before.
func readEarly(ctx context.Context, a adapters.Adapter, prefix string, lock bool) *runner.Recorded {
	if _, ok := a.(adapters.Locker); ok && lock {
		return nil
	}
	var rec *runner.Recorded
	read := func() error {
		store, err := state.Read(ctx, a, prefix)
		if err == nil {
			rec, err = runner.ReadRecorded(ctx, a, store)
		}
		return err
	}
	var err error
	if s, ok := a.(adapters.Serializer); ok {
		err = s.Serial(ctx, read) // each query a single task
	} else {
		err = read()
	}
	if err != nil {
		return nil
	}
	return rec
}

// prepare takes the build lock (with lock), opens the recorded state and
// plans; rec, when not nil, is the state and catalog readEarly read.
func (p *planned) prepare(ctx context.Context, f planFlags, lock bool, rec *runner.Recorded) error {
	t0 := time.Now()
	defer tmark("prepare", t0)
	if l, ok := p.a.(adapters.Locker); ok && lock {
		release, err := l.Lock(ctx, "weir build "+p.s.target.SchemaPrefix, p.lock.lost)
		if err != nil {
			return &exitError{code: exitFailed, msg: err.Error()}
		}
		p.release = release
	}
	var err error
	openState := state.Open
	if !lock {
		openState = state.Read // a plan writes nothing
	}
	if p.store, err = openState(ctx, p.a, p.s.target.SchemaPrefix); err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	if lock {
		if err := p.abortStale(ctx); err != nil {
			return err
		}
	}
	in := planner.Input{Compiled: p.c, FullRefresh: f.FullRefresh, Now: time.Now().UTC()}
	if f.Now != "" {
		if in.Now, err = models.ParseTime(f.Now); err != nil {
			return &exitError{code: exitUsage, msg: "--execution-time: " + err.Error()}
		}
	}
	crit, err := p.s.criteria(f.Select, f.Exclude, f.stateFlags, p.a)
	if err != nil {
		return err
	}
	sel, err := planner.ChooseWith(p.c, crit)
	if err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	in.Selected = sel.IDs
	if !f.staleOnly {
		in.Named = sel.Named
	}
	in.Forced = f.forced
	if f.arrived != "" {
		src, file, _ := strings.Cut(f.arrived, "=")
		_, direct := schedule.Downstream(p.c, src)
		in.Forced = map[string]string{}
		for _, id := range direct {
			in.Forced[id] = fmt.Sprintf("file %s arrived for %s", file, src)
		}
	}
	if in.Start, in.End, err = parseRange(f.Start, f.End); err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	tmark("state open", t0)
	if rec == nil {
		if rec, err = p.readRecorded(ctx); err != nil {
			return err
		}
	}
	var warnings []string
	p.catalog, warnings = rec.Fill(ctx, p.a, &in)
	for _, w := range warnings {
		fmt.Fprintln(p.s.diagOut, "Warning:", w)
	}
	if tc, ok := p.a.(adapters.TargetChecker); ok {
		p.s.printDiags(tc.CheckTarget(ctx, p.s.target))
	}
	tmark("state read", t0)
	if f.Due {
		if err := p.selectDue(ctx, &in, f.Select != nil || f.Exclude != nil); err != nil {
			return err
		}
	}
	p.plan = planner.Make(in)
	p.before = in.State
	if f.Defer != "" {
		return p.deferTo(ctx, f.Defer)
	}
	return nil
}

// abortStale records the runs left "running" as aborted: holding the
// build lock, no other build can be running, so their processes died.
func (p *planned) abortStale(ctx context.Context) error {
	ids, err := p.store.AbortStale(ctx)
	if err != nil {
		return &exitError{code: exitFailed, msg: "recording killed runs as aborted: " + err.Error()}
	}
	for _, id := range ids {
		fmt.Fprintf(p.s.diagOut, "Note: run %s ended without recording its end (killed?); recorded it as aborted\n", id)
	}
	return nil
}

func parseRange(start, end string) (from, to time.Time, err error) {
	if start != "" {
		if from, err = models.ParseTime(start); err != nil {
			return from, to, fmt.Errorf("--start: %w", err)
		}
	}
	if end != "" {
		if to, err = models.ParseTime(end); err != nil {
			return from, to, fmt.Errorf("--end: %w", err)
		}
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, fmt.Errorf("--start %s is not before --end %s", start, end)
	}
	return from, to, nil
}

// newRunID names a run: its UTC start and a random suffix.
func newRunID(t time.Time) string {
	b := make([]byte, 3)
	rand.Read(b)
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
}

// buildableCount counts the models and seeds a plan could build.
func buildableCount(p *planner.Plan, action string) int {
	n := 0
	for _, st := range p.Steps {
		if st.Action == action && st.Kind != models.KindSource {
			n++
		}
	}
	return n
}

// actionWord is how plan output names a step's action.
func actionWord(st *planner.Step) string {
	switch {
	case st.Action != planner.Build:
		return st.Action
	case st.Reason == "never built" || st.Reason == "missing from the warehouse":
		return "build"
	case len(st.Intervals) > 0 && st.Mode == planner.Incremental:
		return "intervals"
	case st.Mode == planner.Incremental:
		return "incremental"
	}
	return "rebuild"
}
