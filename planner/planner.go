// Package planner decides what a build must do: from the compiled DAG, the
// state recorded in the warehouse and the flags, it gives every node an
// action and the reason for it. It is a pure function: no I/O.
package planner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/state"
)

// Actions a plan gives a node.
const (
	// Build runs the node.
	Build = "build"
	// UpToDate leaves a node that nothing made stale.
	UpToDate = "up to date"
	// NotSelected leaves a node outside the selection.
	NotSelected = "not selected"
	// Virtual marks sources and ephemeral models, which are never built.
	Virtual = "-"
	// Error marks a node that does not compile: the run records it failed.
	Error = "error"
	// Skip marks a node downstream of one that does not compile: the run
	// records it skipped.
	Skip = "skip"
)

// Modes of a build.
const (
	// Full creates the relation from scratch (swapping out the old one).
	Full = "full"
	// Incremental adds new rows to the existing table.
	Incremental = "incremental"
)

// Step is the plan for one node.
type Step struct {
	ID     string `json:"name"`
	Kind   string `json:"kind"`
	Action string `json:"action"`
	Reason string `json:"reason,omitempty"`
	Mode   string `json:"mode,omitempty"`
	// Intervals are the time_range intervals to process, in batches.
	Intervals [][]state.Interval `json:"intervals,omitempty"`
}

// Plan is what a build will do.
type Plan struct {
	Steps map[string]*Step
	// Order lists every node in dependency order.
	Order []string

	named map[string]bool // Input.Named
}

// ToBuild lists the IDs of the nodes a run handles, in dependency order:
// those to build, and those it records failed or skipped because they, or
// a node upstream, do not compile.
func (p *Plan) ToBuild() []string {
	var out []string
	for _, id := range p.Order {
		if a := p.Steps[id].Action; a == Build || a == Error || a == Skip {
			out = append(out, id)
		}
	}
	return out
}

// Input is everything a plan depends on.
type Input struct {
	Compiled  *compiler.Result
	State     map[string]state.Node
	Intervals map[string][]state.Interval
	// Exists reports whether a node's relation is in the warehouse.
	Exists func(n *compiler.Node) bool
	// LoadedAt is the newest loaded_at of each source that declares one.
	LoadedAt map[string]time.Time
	// Selected limits the plan to these IDs; nil selects every node.
	Selected []string
	// Named are the selected IDs that --select named itself (not through
	// "+" or "@"): they run even when up to date, with reason "selected".
	Named []string
	// Forced are nodes that run whatever their state, with the reason
	// for it ("due: cron …", a file arrived), by ID.
	Forced      map[string]string
	FullRefresh bool
	// Start and End bound a backfill of time_range models; zero is open.
	Start, End time.Time
	Now        time.Time
}

// Make builds the plan.
func Make(in Input) *Plan {
	c := in.Compiled
	p := &Plan{Steps: map[string]*Step{}, Order: c.Order, named: setOf(in.Named)}
	var selected map[string]bool
	if in.Selected != nil {
		selected = setOf(in.Selected)
	}
	blocked := map[string]string{} // node → a node upstream that does not compile
	for _, id := range c.Order {
		n := c.Nodes[id]
		st := &Step{ID: id, Kind: n.Kind}
		p.Steps[id] = st
		for _, parent := range n.DependsOn {
			if c.Nodes[parent].Broken() {
				blocked[id] = parent
			} else if b := blocked[parent]; b != "" && blocked[id] == "" {
				blocked[id] = b
			}
		}
		wanted := selected == nil || selected[id]
		switch {
		case n.Kind == models.KindSource:
			st.Action = Virtual
		case n.Kind == models.KindOutput:
			// Written by its command node, which the plan runs or not.
			st.Action = Virtual
			if parent := p.rebuiltParent(n); parent != "" {
				st.Reason = "written by " + parent
			}
		case n.Broken() && wanted:
			st.Action, st.Reason = Error, "does not compile: "+n.Problem()
		case blocked[id] != "" && wanted && n.Materialized != models.MatEphemeral:
			st.Action, st.Reason = Skip, "upstream "+blocked[id]+" does not compile"
		case n.Materialized == models.MatEphemeral:
			st.Action = Virtual
			if parent := p.rebuiltParent(n); parent != "" {
				st.Reason = "upstream " + parent + " rebuilt"
			}
		case selected != nil && !selected[id]:
			st.Action = NotSelected
		default:
			p.decide(in, n, st)
		}
	}
	return p
}

// rebuiltParent names a parent that this plan rebuilds (or an ephemeral
// parent whose own parents are rebuilt), or "".
func (p *Plan) rebuiltParent(n *compiler.Node) string {
	for _, parent := range n.DependsOn {
		ps := p.Steps[parent]
		if ps.Action == Build || ps.Action == Virtual && ps.Reason != "" {
			return parent
		}
	}
	return ""
}

// decide gives a buildable, selected node its action and reason.
func (p *Plan) decide(in Input, n *compiler.Node, st *Step) {
	rec, known := in.State[n.ID]
	incremental := n.Materialized == models.MatIncremental
	timeRange := incremental && n.Model.Config.Incremental.Strategy == models.StrategyTimeRange
	st.Action, st.Mode = Build, Full
	exists := in.Exists == nil || outputsExist(in, n)
	reason := ""
	switch {
	case in.FullRefresh:
		reason = "--full-refresh"
	case !known || rec.BuiltAt.IsZero():
		reason = "never built"
	case !exists:
		reason = "missing from the warehouse"
	default:
		// Only a table this model built as incremental can take new rows;
		// one built as a view or plain table is rebuilt from scratch.
		if incremental && rec.Materialized == models.MatIncremental {
			st.Mode = Incremental
		}
		reason = p.staleReason(in, n, rec, st.Mode)
		if reason == "" && !timeRange {
			reason = p.forcedReason(in, n)
		}
	}
	if f := in.Forced[n.ID]; f != "" && reason != f {
		reason = strings.TrimSuffix(f+"; "+reason, "; ")
	}
	if timeRange {
		p.planIntervals(in, n, st, reason)
		return
	}
	if reason == "" {
		st.Action, st.Mode, st.Reason = UpToDate, "", ""
		return
	}
	st.Reason = reason
}

// staleReason says why a node that was built before must run again, or
// returns "" when it is up to date.
func (p *Plan) staleReason(in Input, n *compiler.Node, rec state.Node, mode string) string {
	if rec.CodeHash != n.CodeHash {
		if n.Kind == models.KindCommand {
			return "command or its files changed"
		}
		if mode == Incremental {
			return "SQL or config changed (new rows only; --full-refresh rebuilds history)"
		}
		return "SQL or config changed"
	}
	switch rec.LastStatus {
	case "error":
		return "last run failed"
	case "skipped":
		return "skipped in the last run"
	}
	if parent := p.rebuiltParent(n); parent != "" {
		return "upstream " + parent + " rebuilt"
	}
	for _, parent := range n.DependsOn {
		if ps, ok := in.State[writer(in, parent)]; ok && ps.BuiltAt.After(rec.BuiltAt) {
			return "upstream " + parent + " rebuilt since"
		}
		if t, ok := in.LoadedAt[parent]; ok && t.After(rec.BuiltAt) {
			return "source " + parent + " has newer data"
		}
	}
	if rec.Fingerprint != n.Fingerprint {
		for _, parent := range n.DependsOn {
			if pn := in.Compiled.Nodes[parent]; pn.Materialized == models.MatEphemeral {
				return "ephemeral upstream " + parent + " changed"
			}
		}
		if len(n.Inputs) > 0 && !parentsChanged(in, n) {
			return inputsReason(n.Inputs)
		}
		return "upstream changed"
	}
	return ""
}

// outputsExist reports whether n's relation is in the warehouse; for a
// command node, whether every table it writes is.
func outputsExist(in Input, n *compiler.Node) bool {
	if n.Kind != models.KindCommand {
		return in.Exists(n)
	}
	for _, out := range n.Script.Outputs {
		if !in.Exists(in.Compiled.Nodes[out]) {
			return false
		}
	}
	return true
}

// writer is the node whose recorded builds tell when node id last
// changed: id itself, or for a table a command writes, the command.
func writer(in Input, id string) string {
	if n := in.Compiled.Nodes[id]; n.Kind == models.KindOutput {
		return n.Script.ID()
	}
	return id
}

// forcedReason says why a node that nothing made stale runs all the same:
// an incremental model reading a source that cannot tell whether it has new
// rows, or a node --select named. It returns "" otherwise.
func (p *Plan) forcedReason(in Input, n *compiler.Node) string {
	if n.Materialized == models.MatIncremental {
		if src := p.blindSource(in, n); src != "" {
			hint := "declare its loaded_at"
			if in.Compiled.Nodes[src].Source.LoadedAt != "" {
				hint = "its loaded_at is empty or unreadable"
			}
			return fmt.Sprintf("incremental: source %s gives no freshness signal (%s)", src, hint)
		}
	}
	if p.named[n.ID] {
		return "selected"
	}
	return ""
}

// blindSource names a source that n reads (directly or through ephemeral
// models) and whose new rows weir cannot see: it has no loaded_at time.
// Models and seeds always give a signal: the state records their builds.
func (p *Plan) blindSource(in Input, n *compiler.Node) string {
	for _, id := range n.DependsOn {
		parent := in.Compiled.Nodes[id]
		switch {
		case parent.Source != nil:
			if _, ok := in.LoadedAt[id]; !ok {
				return id
			}
		case parent.Materialized == models.MatEphemeral:
			if src := p.blindSource(in, parent); src != "" {
				return src
			}
		}
	}
	return ""
}

// parentsChanged reports whether a parent's fingerprint differs from the
// one recorded at its last build.
func parentsChanged(in Input, n *compiler.Node) bool {
	for _, parent := range n.DependsOn {
		if ps, ok := in.State[parent]; !ok || ps.Fingerprint != in.Compiled.Nodes[parent].Fingerprint {
			return true
		}
	}
	return false
}

// inputsReason says that a file the model reads changed (the state keeps
// one digest for them all, so with several it cannot say which).
func inputsReason(files []string) string {
	if len(files) == 1 {
		return "input file " + files[0] + " changed"
	}
	return "an input file changed (" + strings.Join(files, ", ") + ")"
}

// planIntervals picks the intervals a time_range model processes.
func (p *Plan) planIntervals(in Input, n *compiler.Node, st *Step, reason string) {
	inc := n.Model.Config.Incremental
	start, _ := models.ParseTime(inc.Start)
	if !in.Start.IsZero() && in.Start.After(start) {
		start = in.Start
	}
	all := Complete(start, in.Now, inc.Interval)
	var todo []state.Interval
	backfill := !in.Start.IsZero() || !in.End.IsZero()
	switch {
	case st.Mode == Full:
		todo = Within(all, in.Start, in.End)
	case backfill:
		todo = Within(all, in.Start, in.End)
		reason = fmt.Sprintf("backfill %s", describe(todo))
	default:
		missing, redo := Due(all, in.Intervals[n.ID], inc.Lookback)
		todo = append(slices.Clone(redo), missing...)
		if reason == "" && len(missing) > 0 {
			reason = fmt.Sprintf("%d %s interval(s) due: %s", len(missing), inc.Interval, describe(missing))
		}
		if reason != "" && len(redo) > 0 {
			reason += fmt.Sprintf("; lookback redoes %d before them: %s", len(redo), describe(redo))
		}
	}
	if reason == "" || st.Mode == Incremental && len(todo) == 0 {
		st.Action, st.Mode, st.Reason = UpToDate, "", ""
		return
	}
	st.Reason = reason
	st.Intervals = Batches(todo, inc.BatchSize)
}

// setOf returns the members of ids as a set.
func setOf(ids []string) map[string]bool {
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out
}

func describe(ivs []state.Interval) string {
	if len(ivs) == 0 {
		return "none"
	}
	f := func(t time.Time) string {
		if t.Hour() == 0 && t.Minute() == 0 {
			return t.Format("2006-01-02")
		}
		return t.Format("2006-01-02 15:04")
	}
	return strings.Join([]string{f(ivs[0].Start), f(ivs[len(ivs)-1].End)}, " → ")
}
