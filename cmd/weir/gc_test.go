package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// gcSettings reads the collector's percent and memory limit.
func gcSettings() (int, int64) {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p, debug.SetMemoryLimit(-1)
}

// TestBoostGC: overlapping compiles (weir watch) keep the boosted
// settings until the last one ends, which restores the user's; a GOGC
// set by the user is left alone.
func TestBoostGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(150))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))

	first := boostGC()
	second := boostGC()
	if p, l := gcSettings(); p != compileGCPercent || l != compileMemoryLimit {
		t.Fatalf("during two compiles: GOGC %d, limit %d; want %d, %d", p, l, compileGCPercent, compileMemoryLimit)
	}
	first()
	if p, l := gcSettings(); p != compileGCPercent || l != compileMemoryLimit {
		t.Errorf("one compile left: GOGC %d, limit %d; want %d, %d", p, l, compileGCPercent, compileMemoryLimit)
	}
	second()
	if p, l := gcSettings(); p != 150 || l != math.MaxInt64 {
		t.Errorf("after: GOGC %d, limit %d; want 150 and none", p, l)
	}

	t.Setenv("GOGC", "50")
	boostGC()()
	if p, _ := gcSettings(); p != 150 {
		t.Errorf("with GOGC set: %d, want it untouched (150)", p)
	}
	defer boostGC()()
	if p, _ := gcSettings(); p != 150 {
		t.Errorf("with GOGC set, during a compile: %d, want it untouched (150)", p)
	}
}
