package main

import (
	"errors"
	"runtime"
	"testing"

	"github.com/weir-sh/weir/adapters"
)

// TestHoldCore: while early opens run, Go schedules on one core fewer;
// the last release gives it its default back; a GOMAXPROCS set by the
// user is left alone.
func TestHoldCore(t *testing.T) {
	def := runtime.GOMAXPROCS(0)
	if def < 2 {
		t.Skip("one core: nothing to hold")
	}
	first := holdCore()
	second := holdCore()
	if got := runtime.GOMAXPROCS(0); got != def-1 {
		t.Errorf("GOMAXPROCS while two opens run = %d, want %d", got, def-1)
	}
	first()
	if got := runtime.GOMAXPROCS(0); got != def-1 {
		t.Errorf("GOMAXPROCS while one open still runs = %d, want %d", got, def-1)
	}
	second()
	if got := runtime.GOMAXPROCS(0); got != def {
		t.Errorf("GOMAXPROCS after the opens = %d, want the default %d", got, def)
	}

	t.Setenv("GOMAXPROCS", "2")
	release := holdCore()
	if got := runtime.GOMAXPROCS(0); got != def {
		t.Errorf("GOMAXPROCS with the user's GOMAXPROCS set = %d, want it left at %d", got, def)
	}
	release()
}

// TestEarlyOpening: an early open is opening until its open returns (a
// build then releases the compile's garbage before the file's catalog
// is all in memory); no early open is never opening.
func TestEarlyOpening(t *testing.T) {
	var none *early
	if none.opening() {
		t.Error("no early open is opening")
	}
	e := &early{done: make(chan conn, 1)}
	proceed := make(chan struct{})
	e.start(func() (adapters.Adapter, error) {
		<-proceed
		return nil, errors.New("no file")
	})
	if !e.opening() {
		t.Error("an early open whose open has not returned is not opening")
	}
	close(proceed)
	if c := <-e.done; c.err == nil {
		t.Errorf("early open: %+v, want the open's error", c)
	}
	if e.opening() {
		t.Error("an early open whose open returned is still opening")
	}
}
