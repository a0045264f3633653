package schedule

import (
	"fmt"
	"sort"
	"time"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// Scheduled reads the schedules of a compiled project's models, by node
// ID. Models without one, and those that do not compile, are left out.
func Scheduled(c *compiler.Result) map[string]*Cron {
	out := map[string]*Cron{}
	for _, id := range c.Order {
		n := c.Nodes[id]
		if n.Model == nil || n.Model.Config.Cron == "" || n.Broken() {
			continue
		}
		if cr, err := Parse(n.Model.Config.Cron, c.Project.Timezone); err == nil {
			out[id] = cr
		}
	}
	return out
}

// Due is a model whose schedule has ticked since it was last processed.
type Due struct {
	ID   string
	Cron *Cron
	// Tick is the first tick not processed yet; zero when the model was
	// never processed on its schedule.
	Tick time.Time
}

// Reason is how a plan explains the run of a due model.
func (d Due) Reason() string {
	if d.Tick.IsZero() {
		return fmt.Sprintf("due: cron %q, first scheduled run", d.Cron.Expr)
	}
	return fmt.Sprintf("due: cron %q at %s", d.Cron.Expr, d.Tick.In(d.Cron.loc).Format("2006-01-02 15:04 MST"))
}

// DueAt lists the models due at now, by ID: those never processed on
// their schedule, and those with a tick after last[id] and not after now.
func DueAt(crons map[string]*Cron, last map[string]time.Time, now time.Time) []Due {
	var out []Due
	for id, cr := range crons {
		l, ok := last[id]
		if !ok || l.IsZero() {
			out = append(out, Due{ID: id, Cron: cr})
			continue
		}
		if t := cr.Next(l); !t.After(now) {
			out = append(out, Due{ID: id, Cron: cr, Tick: t})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// NextDue is the earliest time after now at which a model becomes due,
// or now itself when one is due already; ok is false with no schedules.
func NextDue(crons map[string]*Cron, last map[string]time.Time, now time.Time) (next time.Time, ok bool) {
	for id, cr := range crons {
		t := now
		if l := last[id]; !l.IsZero() {
			if t = cr.Next(l); t.Before(now) {
				t = now
			}
		}
		if !ok || t.Before(next) {
			next, ok = t, true
		}
	}
	return next, ok
}

// Selection is what a run of the due models builds: them, and the models
// downstream of them that must be refreshed because of them. A downstream
// model with a schedule of its own waits for it (and so does what is below
// it), so a model runs on its own schedule and not on its upstream's.
func Selection(c *compiler.Result, due []Due) []string {
	picked := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		for _, child := range c.Graph.Children(id) {
			n := c.Nodes[child]
			if picked[child] || n.Model != nil && n.Model.Config.Cron != "" {
				continue
			}
			picked[child] = true
			visit(child)
		}
	}
	for _, d := range due {
		picked[d.ID] = true
	}
	for _, d := range due {
		visit(d.ID)
	}
	var out []string
	for _, id := range c.Order {
		if picked[id] {
			out = append(out, id)
		}
	}
	return out
}

// Downstream is what a file arriving for a source runs: the models that
// read it directly (they run whether or not they look stale), and below
// them whatever is stale because they ran.
func Downstream(c *compiler.Result, source string) (selected, forced []string) {
	seen := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		for _, child := range c.Graph.Children(id) {
			if !seen[child] {
				seen[child] = true
				visit(child)
			}
		}
	}
	for _, child := range c.Graph.Children(source) {
		if n := c.Nodes[child]; n.Kind == models.KindModel {
			forced = append(forced, child)
		}
	}
	visit(source)
	for _, id := range c.Order {
		if seen[id] {
			selected = append(selected, id)
		}
	}
	return selected, forced
}
