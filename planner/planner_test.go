package planner

import (
	"testing"
	"time"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/state"
)

// forcedProject: a source without loaded_at (raw.blind), one with it
// (raw.seen), an ephemeral model over the first, and incremental models
// reading each; all built before, nothing changed since.
func forcedProject() (*compiler.Result, map[string]state.Node) {
	c := &compiler.Result{Nodes: map[string]*compiler.Node{}}
	built := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	st := map[string]state.Node{}
	add := func(id, mat string, parents ...string) {
		n := &compiler.Node{ID: id, Kind: models.KindModel, Materialized: mat, DependsOn: parents, CodeHash: "h", Fingerprint: "f"}
		switch mat {
		case "source":
			n.Kind, n.Materialized, n.Source = models.KindSource, "", &models.Source{}
		default:
			n.Model = &models.Model{}
			if mat == models.MatIncremental {
				n.Model.Config.Incremental.Strategy = "append"
			}
			st[id] = state.Node{Name: id, BuiltAt: built, CodeHash: "h", Fingerprint: "f", Materialized: mat, LastStatus: "success"}
		}
		c.Nodes[id] = n
		c.Order = append(c.Order, id)
	}
	add("raw.blind", "source")
	add("raw.seen", "source")
	add("m.eph", models.MatEphemeral, "raw.blind")
	add("m.via_eph", models.MatIncremental, "m.eph")
	add("m.seen", models.MatIncremental, "raw.seen")
	add("m.table", models.MatTable, "raw.blind")
	return c, st
}

func TestForcedReasons(t *testing.T) {
	c, st := forcedProject()
	loaded := map[string]time.Time{"raw.seen": time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	p := Make(Input{Compiled: c, State: st, LoadedAt: loaded, Now: time.Now()})
	want := map[string]string{
		"m.via_eph": "incremental: source raw.blind gives no freshness signal (declare its loaded_at)",
		"m.seen":    "",
		"m.table":   "", // a table is not re-run for a source it cannot watch
	}
	for id, reason := range want {
		if got := p.Steps[id].Reason; got != reason {
			t.Errorf("%s: reason %q, want %q", id, got, reason)
		}
	}
	// Named nodes run anyway; nodes only selected do not.
	p = Make(Input{Compiled: c, State: st, LoadedAt: loaded, Now: time.Now(),
		Selected: []string{"m.seen", "m.table"}, Named: []string{"m.table"}})
	if s := p.Steps["m.table"]; s.Action != Build || s.Reason != "selected" {
		t.Errorf("named m.table: %s %q", s.Action, s.Reason)
	}
	if s := p.Steps["m.seen"]; s.Action != UpToDate {
		t.Errorf("selected but not named m.seen: %s %q", s.Action, s.Reason)
	}
}
