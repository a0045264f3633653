package graph

import (
	"context"
	"fmt"
)

// Status of a node after a walk.
type Status int

// The possible outcomes of a node in a walk.
const (
	Succeeded Status = iota // fn returned nil
	Failed                  // fn returned an error (or panicked)
	Skipped                 // an ancestor failed, or the node is on or below a cycle
	Canceled                // the context was canceled before the node started
)

// String returns "success", "error", "skipped" or "canceled".
func (s Status) String() string {
	switch s {
	case Succeeded:
		return "success"
	case Failed:
		return "error"
	case Skipped:
		return "skipped"
	case Canceled:
		return "canceled"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Result of one node.
type Result struct {
	ID     string
	Status Status
	// Err is fn's error for Failed, the context's error for Canceled and
	// ErrCycle for nodes skipped because of a cycle.
	Err error
	// SkippedBecause is the failed ancestor that caused the skip.
	SkippedBecause string
}

// Walk calls fn for every node, each only after all its parents succeeded,
// with at most limit calls in flight (limit <= 0 means 1).
//
// When fn returns an error (or panics) the node is Failed and all its
// descendants are Skipped (fn is never called for them) while every
// independent node still runs. When ctx is canceled no new node starts: nodes
// not started are Canceled, and in-flight calls see the canceled ctx and
// report whatever fn returns. Nodes on or below a cycle never run; they are
// Skipped with Err ErrCycle.
//
// Among ready nodes, those with more descendants start first (a cheap
// critical-path heuristic), ties broken by id. Walk returns once every call
// has finished; the result map has one entry per node. fn must not modify g.
func (g *Graph) Walk(ctx context.Context, limit int, fn func(ctx context.Context, id string) error) map[string]Result {
	w := newWalker(newWalkPlan(g))
	w.run(ctx, max(limit, 1), fn)
	out := make(map[string]Result, len(w.results))
	for _, r := range w.results {
		out[r.ID] = r
	}
	return out
}

// nodeState tracks a node through a walk.
type nodeState uint8

const (
	pending nodeState = iota // not started, outcome unknown
	running                  // handed to a worker
	done                     // result recorded
)

// walker is the coordinator's state. Only the goroutine running Walk touches
// it; workers communicate over channels.
type walker struct {
	plan     *walkPlan
	waiting  []int32        // parents of each node not yet succeeded
	ready    minHeap[int32] // ranks of nodes whose parents all succeeded
	state    []nodeState
	results  []Result
	left     int  // nodes whose result is not recorded yet
	canceled bool // ctx cancellation has been observed
}

// completion is a worker's report about one node.
type completion struct {
	node     int32
	err      error
	canceled bool // ctx was already canceled, fn was not called
}

func newWalker(p *walkPlan) *walker {
	w := &walker{
		plan:    p,
		waiting: append([]int32(nil), p.nparents...),
		state:   make([]nodeState, len(p.ids)),
		results: make([]Result, len(p.ids)),
		left:    len(p.ids),
	}
	for v, id := range p.ids {
		w.results[v].ID = id
		switch {
		case !p.acyclic[v]:
			w.finish(int32(v), Skipped, ErrCycle)
		case p.nparents[v] == 0:
			w.ready.push(p.rank[v])
		}
	}
	return w
}

// run dispatches ready nodes to a fixed pool of workers until every node has
// a result.
func (w *walker) run(ctx context.Context, limit int, fn func(context.Context, string) error) {
	jobs := make(chan int32, limit)
	reports := make(chan completion, limit)
	for range min(limit, w.left) {
		go work(ctx, w.plan.ids, fn, jobs, reports)
	}
	defer close(jobs)
	ctxDone := ctx.Done()
	inFlight := 0
	for w.left > 0 {
		if !w.canceled && ctx.Err() != nil {
			w.cancel(ctx.Err())
			ctxDone = nil
		}
		for !w.canceled && inFlight < limit && w.ready.len() > 0 {
			v := w.plan.byRank[w.ready.pop()]
			w.state[v] = running
			jobs <- v
			inFlight++
		}
		if inFlight == 0 {
			break // only possible once everything has a result
		}
		select {
		case c := <-reports:
			inFlight--
			w.complete(c)
		case <-ctxDone:
		}
	}
}

// work is a worker: it runs fn for each node it receives.
func work(ctx context.Context, ids []string, fn func(context.Context, string) error, jobs <-chan int32, reports chan<- completion) {
	for v := range jobs {
		if err := ctx.Err(); err != nil {
			reports <- completion{node: v, err: err, canceled: true}
			continue
		}
		reports <- completion{node: v, err: call(ctx, fn, ids[v])}
	}
}

// call runs fn, turning a panic into an error.
func call(ctx context.Context, fn func(context.Context, string) error, id string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(ctx, id)
}

// complete records a worker's report and releases or skips the children.
func (w *walker) complete(c completion) {
	switch {
	case c.canceled:
		w.finish(c.node, Canceled, c.err)
	case c.err != nil:
		w.finish(c.node, Failed, c.err)
		w.skipBelow(c.node)
	default:
		w.finish(c.node, Succeeded, nil)
		for _, k := range w.plan.children(c.node) {
			if w.waiting[k]--; w.waiting[k] == 0 && w.state[k] == pending {
				w.ready.push(w.plan.rank[k])
			}
		}
	}
}

// skipBelow marks every descendant of the failed node that has no result yet
// as Skipped. Descendants of a node that already has a result have one too,
// so the search stops there and each node is visited once per walk.
func (w *walker) skipBelow(failed int32) {
	stack := []int32{failed}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, k := range w.plan.children(v) {
			if w.state[k] == pending {
				w.finish(k, Skipped, nil)
				w.results[k].SkippedBecause = w.plan.ids[failed]
				stack = append(stack, k)
			}
		}
	}
}

// cancel marks every node that has not started as Canceled.
func (w *walker) cancel(err error) {
	w.canceled = true
	for v, s := range w.state {
		if s == pending {
			w.finish(int32(v), Canceled, err)
		}
	}
}

// finish records the result of node v.
func (w *walker) finish(v int32, s Status, err error) {
	w.state[v] = done
	w.results[v].Status = s
	w.results[v].Err = err
	w.left--
}
