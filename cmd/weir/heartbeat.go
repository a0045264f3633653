package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// heartbeat prints, every interval while nodes run, which are still
// running and for how long, so a long build never looks stuck.
type heartbeat struct {
	w       io.Writer
	every   time.Duration
	mu      sync.Mutex
	running map[string]time.Time
	stop    chan struct{}
	done    sync.WaitGroup
}

// startHeartbeat begins printing to w; every <= 0 prints nothing.
func startHeartbeat(w io.Writer, every time.Duration) *heartbeat {
	h := &heartbeat{w: w, every: every, running: map[string]time.Time{}, stop: make(chan struct{})}
	if every > 0 {
		h.done.Add(1)
		go h.loop()
	}
	return h
}

// started and finished track the nodes in flight.
func (h *heartbeat) started(id string) {
	h.mu.Lock()
	h.running[id] = time.Now()
	h.mu.Unlock()
}

func (h *heartbeat) finished(id string) {
	h.mu.Lock()
	delete(h.running, id)
	h.mu.Unlock()
}

// close stops the printing.
func (h *heartbeat) close() {
	close(h.stop)
	h.done.Wait()
}

func (h *heartbeat) loop() {
	defer h.done.Done()
	t := time.NewTicker(h.every)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case now := <-t.C:
			if line := h.line(now); line != "" {
				fmt.Fprintln(h.w, line)
			}
		}
	}
}

// line describes what runs at now, longest-running first.
func (h *heartbeat) line(now time.Time) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.running) == 0 {
		return ""
	}
	ids := make([]string, 0, len(h.running))
	for id := range h.running {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return h.running[ids[i]].Before(h.running[ids[j]]) })
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s %s", id, now.Sub(h.running[id]).Round(time.Second))
	}
	return "        … still running: " + strings.Join(parts, ", ")
}
