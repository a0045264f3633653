package main

import (
	"runtime"
	"testing"
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
