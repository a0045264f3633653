package schedule

import (
	"sync"
	"time"
)

// Clock is the scheduler's time: the real one in weir serve, one a test
// moves by hand (ManualClock), so that no loop reads time.Now itself.
type Clock interface {
	Now() time.Time
	// At returns a channel that receives once the clock reaches t, and a
	// function that releases it when no longer wanted.
	At(t time.Time) (<-chan time.Time, func())
}

// RealClock is the system clock.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now().UTC() }

func (realClock) At(t time.Time) (<-chan time.Time, func()) {
	tm := time.NewTimer(time.Until(t))
	return tm.C, func() { tm.Stop() }
}

// ManualClock is a Clock that moves only when Set is called, for tests.
type ManualClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters map[*waiter]bool
}

type waiter struct {
	at time.Time
	ch chan time.Time
}

// NewManualClock returns a clock stopped at now.
func NewManualClock(now time.Time) *ManualClock {
	return &ManualClock{now: now.UTC(), waiters: map[*waiter]bool{}}
}

// Now is the time the clock was last set to.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// At fires once Set reaches t (at once when it has already).
func (c *ManualClock) At(t time.Time) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &waiter{at: t, ch: make(chan time.Time, 1)}
	if !c.now.Before(t) {
		w.ch <- c.now
		return w.ch, func() {}
	}
	c.waiters[w] = true
	return w.ch, func() {
		c.mu.Lock()
		delete(c.waiters, w)
		c.mu.Unlock()
	}
}

// Set moves the clock to now and fires the waits it reaches.
func (c *ManualClock) Set(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now.UTC()
	for w := range c.waiters {
		if !c.now.Before(w.at) {
			w.ch <- c.now
			delete(c.waiters, w)
		}
	}
}
