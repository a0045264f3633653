package schedule

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Request is one run asked of the scheduler.
type Request struct {
	// ID names the run (given when it is asked for, so an HTTP client
	// gets it back at once).
	ID string `json:"id"`
	// Trigger is what asked: schedule, http or file (state.Trigger*).
	Trigger string `json:"trigger"`
	// Select is the selection of an HTTP trigger.
	Select []string `json:"select,omitempty"`
	// Source and File are the source whose trigger_path saw File arrive.
	Source string `json:"source,omitempty"`
	File   string `json:"file,omitempty"`
	// At is the clock's time when the run was asked for; a scheduled
	// run processes what is due at At.
	At time.Time `json:"at"`
}

// same reports whether two requests ask for the same work, so that a
// second one asked while the first waits is not run twice.
func (r Request) same(o Request) bool {
	return r.Trigger == o.Trigger && r.Source == o.Source && slices.Equal(r.Select, o.Select)
}

// Scheduler runs requests one at a time: scheduled runs when the clock
// reaches the next due time, and those submitted (HTTP, files) in turn.
type Scheduler struct {
	Clock Clock
	// NextDue is when the next scheduled model is due (ok false: none);
	// asked at the start and after every run.
	NextDue func(ctx context.Context) (next time.Time, ok bool, err error)
	// Run runs one request. It is never called twice at once.
	Run func(ctx context.Context, r Request)
	// NewID names a run asked at t.
	NewID func(t time.Time) string
	// OnError is told of a NextDue that failed; the scheduler asks again
	// a minute later.
	OnError func(error)

	mu      sync.Mutex
	pending []Request
	current *Request
	wake    chan struct{}
}

// Submit queues a request and returns its run ID. A request for the
// same work as one still waiting is that one: queued is false and the
// waiting one's ID comes back.
func (s *Scheduler) Submit(r Request) (id string, queued bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pending {
		if p.same(r) {
			return p.ID, false
		}
	}
	if r.At.IsZero() {
		r.At = s.Clock.Now()
	}
	if r.ID == "" {
		r.ID = s.NewID(r.At)
	}
	s.pending = append(s.pending, r)
	s.signal()
	return r.ID, true
}

// Queue lists the request running (nil when none) and those waiting.
func (s *Scheduler) Queue() (running *Request, waiting []Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current != nil {
		c := *s.current
		running = &c
	}
	return running, slices.Clone(s.pending)
}

func (s *Scheduler) signal() {
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Scheduler) wakeup() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wake == nil {
		s.wake = make(chan struct{}, 1)
	}
	return s.wake
}

// next takes the first waiting request and marks it running.
func (s *Scheduler) next() (Request, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.pending) == 0 {
		return Request{}, false
	}
	r := s.pending[0]
	s.pending = s.pending[1:]
	s.current = &r
	return r, true
}

func (s *Scheduler) done() {
	s.mu.Lock()
	s.current = nil
	s.mu.Unlock()
}

// Serve runs until ctx ends. A run in flight when it ends is given ctx,
// so it stops; nothing starts after that.
func (s *Scheduler) Serve(ctx context.Context) {
	wake := s.wakeup()
	var lastScheduled time.Time
	for ctx.Err() == nil {
		if r, ok := s.next(); ok {
			if r.Trigger == triggerSchedule {
				lastScheduled = r.At
			}
			s.Run(ctx, r)
			s.done()
			continue
		}
		fire, stop := s.dueTimer(ctx, lastScheduled)
		select {
		case <-ctx.Done():
		case <-wake:
		case t := <-fire:
			s.Submit(Request{Trigger: triggerSchedule, At: t})
		}
		stop()
	}
}

// triggerSchedule is state.TriggerSchedule (the schedule package does
// not import state).
const triggerSchedule = "schedule"

// dueTimer fires when the next model is due. After a scheduled run at
// last, it waits at least until the next minute, the schedules'
// resolution, so a model that stays due (its run could not record it)
// is retried once a minute, not in a loop.
func (s *Scheduler) dueTimer(ctx context.Context, last time.Time) (<-chan time.Time, func()) {
	next, ok, err := s.NextDue(ctx)
	if err != nil {
		if s.OnError != nil && ctx.Err() == nil {
			s.OnError(err)
		}
		next, ok = s.Clock.Now().Add(time.Minute), true
	}
	if !ok {
		return nil, func() {}
	}
	if floor := last.Truncate(time.Minute).Add(time.Minute); !last.IsZero() && next.Before(floor) {
		next = floor
	}
	return s.Clock.At(next)
}
