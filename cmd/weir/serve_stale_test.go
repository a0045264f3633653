package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/monitor"
	"github.com/weir-sh/weir/schedule"
)

// TestServeStale: a scheduled model whose run fails is announced late
// (a stale message naming it, its status and the tick it was due for)
// once per tick, whatever else the scheduler does in between; a scheduled
// model that builds is never named, and once fixed the failing one is not
// announced again.
func TestServeStale(t *testing.T) {
	hooks := newHookServer(t)
	dir := writeProject(t, map[string]string{
		"weir.hcl": fmt.Sprintf(`name = "p"
target "dev" {
  adapter = "duckdb"
}
notify "ops" {
  on      = ["stale"]
  webhook = "%s/stale"
}
`, hooks.URL),
		"models/s/hourly.sql": "/* config\ncron = \"0 * * * *\"\n*/\nSELECT 1 AS x\n",
		"models/s/broken.sql": "/* config\ncron = \"0 * * * *\"\n*/\nSELECT nope\n",
		"models/s/plain.sql":  "SELECT 3 AS z\n",
	})
	at := func(s string) time.Time { v, _ := time.Parse(time.DateTime, s); return v }
	clock := schedule.NewManualClock(at("2024-01-01 10:30:00"))
	sv := startServe(t, dir, clock)
	doc := sv.waitFor(t, "the first scheduled run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 1 })
	first := byTrigger(doc, "schedule")[0]
	sv.barrier(t) // the stale message goes out before the next run starts
	m := oneMessage(t, hooks.take("/stale"))
	if m.Event != "stale" || m.RunID != first.ID || fmt.Sprint(m.names()) != "[s.broken:error]" ||
		!strings.Contains(m.Models[0].Message, "first scheduled run") || !strings.Contains(m.Models[0].Message, "nope") {
		t.Fatalf("first stale message: %+v", m)
	}

	// Within the hour the scheduler loops and runs other work: no repeat.
	clock.Set(at("2024-01-01 10:59:00"))
	sv.barrier(t)
	if got := hooks.take("/stale"); len(got) != 0 {
		t.Fatalf("stale sent again for the same tick: %q", got)
	}

	// The 11:00 tick is missed too: one message for it.
	clock.Set(at("2024-01-01 11:00:00"))
	sv.waitFor(t, "the 11:00 run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 2 })
	sv.barrier(t)
	m = oneMessage(t, hooks.take("/stale"))
	if fmt.Sprint(m.names()) != "[s.broken:error]" || !strings.Contains(m.Models[0].Message, "2024-01-01 11:00") {
		t.Fatalf("11:00 stale message: %+v", m)
	}

	// Fixed before 12:00: both build, nothing is late.
	os.WriteFile(filepath.Join(dir, "models/s/broken.sql"), []byte("/* config\ncron = \"0 * * * *\"\n*/\nSELECT 1 AS nope\n"), 0o644)
	clock.Set(at("2024-01-01 12:00:00"))
	doc = sv.waitFor(t, "the 12:00 run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 3 })
	sv.barrier(t)
	if got := hooks.take("/stale"); len(got) != 0 {
		t.Fatalf("stale sent after a run that built every due model: %q", got)
	}
	if last := byTrigger(doc, "schedule")[2]; last.Status != "success" {
		t.Fatalf("the 12:00 run: %+v", last)
	}

	// A project error (a seed named like a model): the 13:00 run cannot
	// start, and is retried a minute later for the same tick; both models
	// are late, announced once.
	os.MkdirAll(filepath.Join(dir, "seeds/s"), 0o755)
	os.WriteFile(filepath.Join(dir, "seeds/s/plain.csv"), []byte("a\n1\n"), 0o644)
	clock.Set(at("2024-01-01 13:00:00"))
	sv.waitFor(t, "the 13:00 run to fail", func(d monitor.Runs) bool { return len(d.Failed) == 1 })
	clock.Set(at("2024-01-01 13:01:00"))
	sv.waitFor(t, "the 13:01 retry to fail", func(d monitor.Runs) bool { return len(d.Failed) == 2 })
	id := sv.trigger(t, "s.plain") // fails too; runs after the retry sent what it had to
	sv.waitFor(t, "run "+id, func(d monitor.Runs) bool { return len(d.Failed) == 3 && d.Failed[2].ID == id })
	m = oneMessage(t, hooks.take("/stale"))
	if fmt.Sprint(m.names()) != "[s.broken:not run s.hourly:not run]" || !strings.Contains(m.Models[0].Message, "2024-01-01 13:00") {
		t.Fatalf("13:00 stale message: %+v", m)
	}
}
