package planner

import (
	"testing"
	"time"

	"github.com/weir-sh/weir/state"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		t, _ = time.Parse("2006-01-02", s)
	}
	return t
}

func starts(ivs []state.Interval) []string {
	var out []string
	for _, iv := range ivs {
		out = append(out, iv.Start.Format("01-02 15h"))
	}
	return out
}

func same(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestTruncate(t *testing.T) {
	ts := day("2024-05-15 13:45") // a Wednesday
	cases := map[string]string{"hour": "2024-05-15 13:00", "day": "2024-05-15 00:00", "week": "2024-05-13 00:00", "month": "2024-05-01 00:00"}
	for unit, want := range cases {
		if got := Truncate(ts, unit).Format("2006-01-02 15:04"); got != want {
			t.Errorf("Truncate(%s) = %s, want %s", unit, got, want)
		}
	}
}

func TestCompleteStopsAtNow(t *testing.T) {
	// At 06:00 on Jan 5 the Jan 5 interval has not ended: 4 complete days.
	got := Complete(day("2024-01-01"), day("2024-01-05 06:00"), "day")
	same(t, starts(got), []string{"01-01 00h", "01-02 00h", "01-03 00h", "01-04 00h"})
	// An interval is complete the moment it ends.
	if n := len(Complete(day("2024-01-01"), day("2024-01-02"), "day")); n != 1 {
		t.Fatalf("at exactly midnight one day is complete, got %d", n)
	}
	months := Complete(day("2024-01-15"), day("2024-04-02"), "month")
	same(t, starts(months), []string{"01-01 00h", "02-01 00h", "03-01 00h"})
}

func TestDueMissingAndLookback(t *testing.T) {
	all := Complete(day("2024-01-01"), day("2024-01-08"), "day") // Jan 1..7
	done := append([]state.Interval{}, all[:3]...)               // Jan 1..3
	done = append(done, all[4])                                  // and Jan 5
	missing, redo := Due(all, done, 0)
	same(t, starts(missing), []string{"01-04 00h", "01-06 00h", "01-07 00h"})
	same(t, starts(redo), nil)
	// lookback 2 redoes the two days before the earliest missing one (Jan 4);
	// Jan 5, done and after it, is not redone.
	missing, redo = Due(all, done, 2)
	same(t, starts(missing), []string{"01-04 00h", "01-06 00h", "01-07 00h"})
	same(t, starts(redo), []string{"01-02 00h", "01-03 00h"})
	// lookback reaching before the first interval stops there.
	_, redo = Due(all, done, 10)
	same(t, starts(redo), []string{"01-01 00h", "01-02 00h", "01-03 00h"})
	// Nothing missing: nothing is due, lookback or not.
	if missing, redo := Due(all, all, 3); len(missing)+len(redo) != 0 {
		t.Fatalf("nothing is due when every interval is done, got %v and %v", missing, redo)
	}
}

func TestWithinAndBatches(t *testing.T) {
	all := Complete(day("2024-01-01"), day("2024-01-08"), "day")
	same(t, starts(Within(all, day("2024-01-02"), day("2024-01-04"))), []string{"01-02 00h", "01-03 00h"})
	// A gap (Jan 4 missing) always starts a new batch; otherwise batches fill to size.
	ivs := append(append([]state.Interval{}, all[:3]...), all[4:]...)
	b := Batches(ivs, 2)
	if len(b) != 4 || len(b[0]) != 2 || len(b[1]) != 1 || len(b[2]) != 2 || len(b[3]) != 1 {
		t.Fatalf("batches %v", b)
	}
	if !b[1][0].Start.Equal(day("2024-01-03")) || !b[2][0].Start.Equal(day("2024-01-05")) {
		t.Fatalf("batch boundaries wrong: %v", b)
	}
}
