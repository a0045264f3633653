package schedule

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/weir-sh/weir/models"
)

// TestSchedulerRunsWhenDue drives the loop with a manual clock: a run
// fires when the clock reaches the next due time and not before, and a
// request submitted while one waits for the same work is not queued twice.
func TestSchedulerRunsWhenDue(t *testing.T) {
	start := time.Date(2024, 1, 1, 10, 30, 0, 0, time.UTC)
	clock := NewManualClock(start)
	hourly := mustParse(t, "0 * * * *", nil)
	last := start // processed up to
	ran := make(chan Request)
	release := make(chan bool)
	s := &Scheduler{
		Clock: clock,
		NextDue: func(context.Context) (time.Time, bool, error) {
			return hourly.Next(last), true, nil
		},
		Run: func(_ context.Context, r Request) {
			if r.Trigger == "schedule" {
				last = r.At
			}
			ran <- r
			<-release
		},
		NewID: func(t time.Time) string { return fmt.Sprint(t.Unix()) },
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Serve(ctx)

	clock.Set(start.Add(29 * time.Minute)) // 10:59: nothing
	id, queued := s.Submit(Request{Trigger: "http", Select: []string{"a+"}})
	if r := <-ran; r.Trigger != "http" || r.ID != id || !queued {
		t.Fatalf("first run %+v (queued %v), want the http request %s", r, queued, id)
	}
	// While it runs, the hour strikes and a file triggers twice.
	clock.Set(start.Add(30 * time.Minute))
	id1, _ := s.Submit(Request{Trigger: "file", Source: "raw.orders"})
	id2, queued2 := s.Submit(Request{Trigger: "file", Source: "raw.orders"})
	if id1 != id2 || queued2 {
		t.Errorf("the same file trigger was queued twice: %s %s", id1, id2)
	}
	release <- true
	var got []string
	for len(got) < 2 {
		r := <-ran
		got = append(got, r.Trigger)
		release <- true
	}
	if !(got[0] == "file" && got[1] == "schedule" || got[0] == "schedule" && got[1] == "file") {
		t.Fatalf("runs after the first: %v, want one file run and one scheduled run", got)
	}
	if !last.Equal(start.Add(30 * time.Minute)) {
		t.Errorf("the scheduled run processed up to %v, want 11:00", last)
	}
	select {
	case r := <-ran:
		t.Fatalf("a run no one asked for: %+v", r)
	default:
	}
	clock.Set(start.Add(90 * time.Minute)) // 12:00
	if r := <-ran; r.Trigger != "schedule" || !r.At.Equal(start.Add(90*time.Minute)) {
		t.Fatalf("at 12:00: %+v", r)
	}
	cancel()
	release <- true
}

// TestWatchFiles: a file written in several steps into a trigger_path
// folder fires once; a file the glob does not match fires nothing.
func TestWatchFiles(t *testing.T) {
	dir := t.TempDir()
	landing := filepath.Join(dir, "landing", "orders")
	if err := os.MkdirAll(landing, 0o755); err != nil {
		t.Fatal(err)
	}
	src := &models.Source{Schema: "raw", Name: "orders", TriggerPath: "landing/orders/*.csv"}
	events := make(chan FileEvent, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := WatchFiles(ctx, dir, []*models.Source{src}, 200*time.Millisecond, func(e FileEvent) { events <- e }); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(landing, "a.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		fmt.Fprintf(f, "%d\n", i)
		f.Sync()
	}
	f.Close()
	os.WriteFile(filepath.Join(landing, "notes.txt"), []byte("x"), 0o644)
	if e := <-events; e != (FileEvent{Source: "raw.orders", File: "landing/orders/a.csv"}) {
		t.Fatalf("event %+v", e)
	}
	os.WriteFile(filepath.Join(landing, "b.csv"), []byte("x"), 0o644)
	if e := <-events; e.File != "landing/orders/b.csv" {
		t.Fatalf("after a.csv came %+v, want b.csv alone (a.csv fires once, notes.txt never)", e)
	}
	if err := WatchFiles(ctx, dir, []*models.Source{{Schema: "raw", Name: "x", TriggerPath: "missing/*.csv"}}, time.Second, nil); err == nil {
		t.Error("a trigger_path folder that does not exist was accepted")
	}
}
