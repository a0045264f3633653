package planner

import (
	"slices"
	"time"

	"github.com/weir-sh/weir/state"
)

// Truncate aligns t to the start of its interval ("hour", "day", "week"
// starting Monday, "month"), in UTC.
func Truncate(t time.Time, unit string) time.Time {
	t = t.UTC()
	switch unit {
	case "hour":
		return t.Truncate(time.Hour)
	case "week":
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
	case "month":
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Next is the start of the interval after the one starting at t.
func Next(t time.Time, unit string) time.Time {
	switch unit {
	case "hour":
		return t.Add(time.Hour)
	case "week":
		return t.AddDate(0, 0, 7)
	case "month":
		return t.AddDate(0, 1, 0)
	}
	return t.AddDate(0, 0, 1)
}

// Complete lists the intervals from start up to the last one that has
// ended by now.
func Complete(start, now time.Time, unit string) []state.Interval {
	var out []state.Interval
	for s := Truncate(start, unit); ; {
		e := Next(s, unit)
		if e.After(now) {
			return out
		}
		out = append(out, state.Interval{Start: s, End: e})
		s = e
	}
}

// Due returns the intervals of all that are not in done (missing) and, when
// any is, the lookback intervals before the earliest of them (redo: late
// data is picked up by processing them again), each in order. Nothing is
// due when every interval is done.
func Due(all, done []state.Interval, lookback int) (missing, redo []state.Interval) {
	have := make(map[time.Time]bool, len(done))
	for _, d := range done {
		have[d.Start] = true
	}
	first := slices.IndexFunc(all, func(iv state.Interval) bool { return !have[iv.Start] })
	if first < 0 {
		return nil, nil
	}
	redo = all[max(0, first-lookback):first]
	for _, iv := range all[first:] {
		if !have[iv.Start] {
			missing = append(missing, iv)
		}
	}
	return missing, redo
}

// Within keeps the intervals that lie inside [from, to); a zero bound is
// open.
func Within(ivs []state.Interval, from, to time.Time) []state.Interval {
	var out []state.Interval
	for _, iv := range ivs {
		if (from.IsZero() || !iv.Start.Before(from)) && (to.IsZero() || !iv.End.After(to)) {
			out = append(out, iv)
		}
	}
	return out
}

// Batches groups consecutive intervals into runs of at most size, each
// processed by one query; a gap always starts a new batch.
func Batches(ivs []state.Interval, size int) [][]state.Interval {
	if size < 1 {
		size = 1
	}
	var out [][]state.Interval
	for _, iv := range ivs {
		n := len(out)
		if n > 0 && len(out[n-1]) < size && out[n-1][len(out[n-1])-1].End.Equal(iv.Start) {
			out[n-1] = append(out[n-1], iv)
			continue
		}
		out = append(out, []state.Interval{iv})
	}
	return out
}
