package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weir-sh/weir/monitor"
	"github.com/weir-sh/weir/schedule"
)

// lockedBuffer is a bytes.Buffer that several goroutines write.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serving is a weir serve running in this test process.
type serving struct {
	url  string
	out  *lockedBuffer
	stop func()
}

// startServe runs weir serve on dir with clock, on a free port, until the
// test stops it (stop) or ends.
func startServe(t *testing.T, dir string, clock schedule.Clock) *serving {
	t.Helper()
	ready := make(chan string, 1)
	serveClock, serveReady = clock, func(url string) { ready <- url }
	t.Cleanup(func() { serveClock, serveReady = nil, nil })
	out := &lockedBuffer{}
	inv := &invocation{args: []string{"serve", "--port", "0", "--project", dir}, dir: dir,
		stdin: eofReader{}, stdout: out, stderr: out, getenv: os.Getenv}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- inv.run(ctx) }()
	sv := &serving{out: out}
	var once sync.Once
	sv.stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(sv.stop)
	select {
	case sv.url = <-ready:
	case code := <-done:
		t.Fatalf("weir serve ended with exit code %d:\n%s", code, out)
	}
	return sv
}

// runs reads /api/runs.
func (sv *serving) runs(t *testing.T) monitor.Runs {
	t.Helper()
	var doc monitor.Runs
	sv.get(t, "api/runs", &doc)
	return doc
}

func (sv *serving) get(t *testing.T, path string, v any) {
	t.Helper()
	resp, err := http.Get(sv.url + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s\n%s", path, resp.Status, data)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, data)
	}
}

// trigger asks for a run of sel over HTTP and returns its id.
func (sv *serving) trigger(t *testing.T, sel string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"select": sel})
	resp, err := http.Post(sv.url+"api/trigger", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		RunID string `json:"run_id"`
	}
	json.NewDecoder(resp.Body).Decode(&got)
	if resp.StatusCode != http.StatusAccepted || got.RunID == "" {
		t.Fatalf("POST /api/trigger: %s %+v", resp.Status, got)
	}
	return got.RunID
}

// waitFor polls /api/runs until ok holds of it (a minute at most: a
// deadline for a hung test, not a timing assertion).
func (sv *serving) waitFor(t *testing.T, what string, ok func(monitor.Runs) bool) monitor.Runs {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		doc := sv.runs(t)
		if ok(doc) {
			return doc
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s; runs: %+v\nserve said:\n%s", what, doc, sv.out)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// barrier runs a selection over HTTP and waits until it has ended. Runs
// happen one at a time in the order asked, so any run the scheduler had
// queued before has ended too.
func (sv *serving) barrier(t *testing.T) monitor.Runs {
	t.Helper()
	id := sv.trigger(t, "s.plain")
	return sv.waitFor(t, "run "+id, func(d monitor.Runs) bool { return ended(d, id) })
}

func ended(d monitor.Runs, id string) bool {
	for _, r := range d.Runs {
		if r.ID == id && r.End != nil {
			return true
		}
	}
	return false
}

// byTrigger lists the ended runs a trigger started, oldest first.
func byTrigger(d monitor.Runs, trigger string) []monitor.Run {
	var out []monitor.Run
	for _, r := range d.Runs {
		if r.Trigger == trigger && r.End != nil {
			out = append([]monitor.Run{r}, out...)
		}
	}
	return out
}

func modelNames(r monitor.Run) string {
	var names []string
	for _, m := range r.Models {
		names = append(names, m.Name)
	}
	slices.Sort(names)
	return strings.Join(names, " ")
}

// scheduledProject has an hourly model with a model downstream of it, a
// daily model, a model without schedule, and a source whose files
// trigger the model reading them.
func scheduledProject(t *testing.T) string {
	dir := writeProject(t, map[string]string{
		"weir.hcl": `name = "p"
target "dev" {
  adapter = "duckdb"
}
source "landing" {
  table "orders" {
    trigger_path = "landing/orders/*.csv"
  }
}
`,
		"models/s/hourly.sql":       "/* config\ncron = \"0 * * * *\"\n*/\nSELECT 1 AS x\n",
		"models/s/after_hourly.sql": "SELECT x + 1 AS y FROM s.hourly\n",
		"models/s/daily.sql":        "/* config\ncron = \"0 6 * * *\"\n*/\nSELECT 2 AS d\n",
		"models/s/plain.sql":        "SELECT 3 AS z\n",
		"models/s/orders.sql":       "SELECT count(*) AS n FROM landing.orders\n",
		"landing/orders/first.csv":  "id\n1\n",
	})
	// The source is a view over the files that land.
	runWeir(t, dir, "query", "CREATE SCHEMA landing; CREATE VIEW landing.orders AS SELECT * FROM read_csv('"+filepath.Join(dir, "landing", "orders", "*.csv")+"')")
	return dir
}

// TestServeSchedules is issue 14's acceptance for the scheduler, on a
// clock the test sets: two models with different schedules run when due
// and not otherwise, with what reads them; stopping and restarting weir
// serve neither repeats nor skips an interval.
func TestServeSchedules(t *testing.T) {
	dir := scheduledProject(t)
	at := func(s string) time.Time { v, _ := time.Parse(time.DateTime, s); return v }
	clock := schedule.NewManualClock(at("2024-01-01 10:30:00"))
	sv := startServe(t, dir, clock)
	doc := sv.waitFor(t, "the first scheduled run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 1 })
	if got := modelNames(byTrigger(doc, "schedule")[0]); got != "s.after_hourly s.daily s.hourly" {
		t.Fatalf("first scheduled run built %q", got)
	}

	clock.Set(at("2024-01-01 10:59:00"))
	if n := len(byTrigger(sv.barrier(t), "schedule")); n != 1 {
		t.Fatalf("before 11:00: %d scheduled runs, want 1", n)
	}
	clock.Set(at("2024-01-01 11:00:00"))
	doc = sv.waitFor(t, "the 11:00 run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 2 })
	if got := modelNames(byTrigger(doc, "schedule")[1]); got != "s.after_hourly s.hourly" {
		t.Fatalf("the 11:00 run built %q, want the hourly model and what reads it", got)
	}
	sv.stop()

	// Restarted within the hour: nothing is run again.
	clock.Set(at("2024-01-01 11:30:00"))
	sv = startServe(t, dir, clock)
	if n := len(byTrigger(sv.barrier(t), "schedule")); n != 2 {
		t.Fatalf("after a restart within the hour: %d scheduled runs, want 2 (none repeated)", n)
	}
	sv.stop()

	// Down over 12:00 and 13:00: one run at the restart catches up.
	clock.Set(at("2024-01-01 13:05:00"))
	sv = startServe(t, dir, clock)
	doc = sv.waitFor(t, "the catch-up run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 3 })
	last := byTrigger(doc, "schedule")[2]
	if got := modelNames(last); got != "s.after_hourly s.hourly" {
		t.Fatalf("the catch-up run built %q", got)
	}
	if r := last.Models[slices.IndexFunc(last.Models, func(m monitor.RunModel) bool { return m.Name == "s.hourly" })].Reason; !strings.Contains(r, "2024-01-01 12:00") {
		t.Errorf("the catch-up run's reason %q does not name the 12:00 tick it missed", r)
	}
	if n := len(byTrigger(sv.barrier(t), "schedule")); n != 3 {
		t.Fatalf("%d scheduled runs after the catch-up, want 3", n)
	}

	var models []monitor.Model
	sv.get(t, "api/models", &models)
	i := slices.IndexFunc(models, func(m monitor.Model) bool { return m.Name == "s.hourly" })
	if i < 0 || models[i].NextDue == nil || !models[i].NextDue.Equal(at("2024-01-01 14:00:00")) || models[i].Runs != 3 || models[i].LastStatus != "success" {
		t.Fatalf("/api/models for s.hourly: %+v", models)
	}
}

// TestServeFileTrigger: a file dropped into a trigger_path folder runs
// the models that read the source, once.
func TestServeFileTrigger(t *testing.T) {
	dir := scheduledProject(t)
	sv := startServe(t, dir, schedule.NewManualClock(time.Date(2024, 1, 1, 10, 30, 0, 0, time.UTC)))
	sv.waitFor(t, "the first scheduled run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 1 })
	f, err := os.Create(filepath.Join(dir, "landing", "orders", "second.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("id\n")
	f.Sync()
	f.WriteString("2\n3\n")
	f.Close()
	doc := sv.waitFor(t, "a run the file started", func(d monitor.Runs) bool { return len(byTrigger(d, "file")) == 1 })
	if got := modelNames(byTrigger(doc, "file")[0]); got != "s.orders" {
		t.Fatalf("the file run built %q, want s.orders", got)
	}
	if n := len(byTrigger(sv.barrier(t), "file")); n != 1 {
		t.Fatalf("the file started %d runs, want 1", n)
	}
}
