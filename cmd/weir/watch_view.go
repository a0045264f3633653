package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/weir-sh/weir/internal/fswatch"
	"github.com/weir-sh/weir/runner"
)

// watchView renders weir watch: a line for each change, one per node
// built, and a compact result with the time from the save to done. On a
// terminal a status line names the models running; with --format json
// each of these is a JSON object on a line of its own.
type watchView struct {
	mu      sync.Mutex
	w       io.Writer
	json    bool
	live    bool // a terminal: keep a status line, colour the results
	color   bool
	status  string               // the status line shown, "" for none
	running map[string]time.Time // nodes in flight
	files   map[string][]string  // the files a node reads, absolute, for runningFrom
	done    int
	total   int
	// last is the build that finished, with its count of nodes up to
	// date, until end reports it.
	last     *runner.Results
	upToDate int
}

func newWatchView(w io.Writer, jsonLines, live, color bool) *watchView {
	return &watchView{w: w, json: jsonLines, live: live && !jsonLines, color: color && live, running: map[string]time.Time{}}
}

// watchEvent is one line of weir watch --format json.
type watchEvent struct {
	Event string `json:"event"` // change, start, node, done, restart, dropped, error
	// Name is the node that starts (event start), was dropped or is
	// not (dropped, error).
	Name  string    `json:"name,omitempty"`
	Time  time.Time `json:"time"`
	Paths []string  `json:"paths,omitempty"`
	// Node is the result of a node built (event node).
	Node    *runner.NodeResult `json:"node,omitempty"`
	Message string             `json:"message,omitempty"`
	// Counts of a build (event done) by status, with up_to_date.
	Counts map[string]int `json:"counts,omitempty"`
	Tests  map[string]int `json:"tests,omitempty"`
	// MS is the time from the save (the first change seen) to done.
	MS float64 `json:"ms,omitempty"`
}

// emit writes a JSON event.
func (v *watchView) emit(e watchEvent) {
	e.Time = time.Now().UTC()
	json.NewEncoder(v.w).Encode(e)
}

// line prints text above the status line.
func (v *watchView) line(format string, args ...any) {
	v.clearStatus()
	fmt.Fprintf(v.w, format+"\n", args...)
	v.drawStatus()
}

func (v *watchView) clearStatus() {
	if v.status != "" {
		io.WriteString(v.w, "\r\033[K")
	}
}

// drawStatus shows what runs, on a terminal.
func (v *watchView) drawStatus() {
	v.status = ""
	if !v.live || len(v.running) == 0 {
		return
	}
	ids := make([]string, 0, len(v.running))
	for id := range v.running {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	v.status = "building " + strings.Join(ids, ", ")
	if v.total > 0 {
		v.status = fmt.Sprintf("building (%d/%d done): %s", v.done, v.total, strings.Join(ids, ", "))
	}
	io.WriteString(v.w, v.paint("2", v.status))
}

// paint colours s with an ANSI SGR code on a terminal.
func (v *watchView) paint(code, s string) string {
	if !v.color {
		return s
	}
	return "\033[" + code + "m" + s + "\033[0m"
}

// begin starts a build for the files changed (none: the first build).
func (v *watchView) begin(paths []string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.done, v.total = 0, 0
	clear(v.running)
	switch {
	case v.json:
		v.emit(watchEvent{Event: "change", Paths: paths})
	case len(paths) == 0:
		v.line("%s building what is stale", time.Now().Format("15:04:05"))
	default:
		v.line("%s %s changed", time.Now().Format("15:04:05"), strings.Join(paths, ", "))
	}
}

// nodeFiles tells which files each node reads (its own among them), for
// runningFrom.
func (v *watchView) nodeFiles(files map[string][]string) {
	v.mu.Lock()
	v.files = files
	v.mu.Unlock()
}

// runningFrom returns a node in flight that reads one of paths (absolute
// files changed), "" if none.
func (v *watchView) runningFrom(paths []string) string {
	v.mu.Lock()
	defer v.mu.Unlock()
	for id := range v.running {
		for _, f := range v.files[id] {
			for _, p := range paths {
				if fswatch.Covers(f, p) {
					return id
				}
			}
		}
	}
	return ""
}

func (v *watchView) started(id string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.running[id] = time.Now()
	if v.json {
		v.emit(watchEvent{Event: "start", Name: id})
		return
	}
	v.clearStatus()
	v.drawStatus()
}

func (v *watchView) event(e runner.Event) {
	v.mu.Lock()
	defer v.mu.Unlock()
	r := e.Result
	delete(v.running, r.Name)
	v.done, v.total = e.Done, e.Total
	if v.json {
		v.emit(watchEvent{Event: "node", Node: &r})
		return
	}
	detail := r.Materialized
	if r.Rows >= 0 && r.Status == runner.StatusSuccess {
		detail += ", " + plural(int(r.Rows), "row")
	}
	word := fmt.Sprintf("%-7s", statusWord(r.Status))
	switch r.Status {
	case runner.StatusSuccess:
		word = v.paint("32", word)
	case runner.StatusError:
		word = v.paint("31", word)
	default:
		word = v.paint("33", word)
	}
	tail := fmtDuration(r.DurationMS)
	if r.Status == runner.StatusSkipped && r.Message != "" {
		tail = r.Message
	}
	v.line("  %s %s (%s) %s", word, r.Name, detail, tail)
	if r.Status == runner.StatusError {
		v.line("          %s", firstLine(r.Message))
	}
	for _, t := range r.Tests {
		if t.Failed() {
			v.line("          test %s %s: %s", t.Status, t.Name, firstLine(t.Message))
		}
	}
}

// finished keeps a build's results for end, which knows the save.
func (v *watchView) finished(r *runner.Results, upToDate int) {
	v.mu.Lock()
	v.last, v.upToDate = r, upToDate
	v.mu.Unlock()
}

// end reports the result of the build that finished, timed from saved;
// it returns false when no build finished.
func (v *watchView) end(saved time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	clear(v.running)
	r, upToDate := v.last, v.upToDate
	v.last = nil
	if r == nil {
		return false
	}
	ms := float64(time.Since(saved).Microseconds()) / 1000
	c := r.Counts()
	tests := map[string]int{}
	for _, t := range nodeTestResults(r) {
		tests[t.Status]++
	}
	if v.json {
		counts := map[string]int{"built": c[runner.StatusSuccess], "failed": c[runner.StatusError], "skipped": c[runner.StatusSkipped], "up_to_date": upToDate}
		v.emit(watchEvent{Event: "done", Counts: counts, Tests: tests, MS: ms})
		return true
	}
	msg := fmt.Sprintf("%d built, %d failed, %d skipped, %d up to date", c[runner.StatusSuccess], c[runner.StatusError], c[runner.StatusSkipped], upToDate)
	if ts := nodeTestResults(r); len(ts) > 0 {
		msg += "; " + testTally(ts)
	}
	code := "32"
	if !r.OK() || failedCount(nodeTestResults(r)) > 0 {
		code = "31"
	}
	v.line("  %s — %s from save to done", v.paint(code, msg), time.Duration(ms*float64(time.Millisecond)).Round(time.Millisecond))
	return true
}

// problem reports what stopped a build (a project that does not
// compile, a warehouse error); the diagnostics went to stderr.
func (v *watchView) problem(msg string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	clear(v.running)
	if v.json {
		v.emit(watchEvent{Event: "error", Message: msg})
		return
	}
	v.line("  %s; waiting for the next change", v.paint("31", msg))
}

// say reports something the watcher does (a drop, a restart).
func (v *watchView) say(event, node, msg string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.json {
		v.emit(watchEvent{Event: event, Name: node, Message: msg})
		return
	}
	v.line("  %s", msg)
}
