package main

import (
	"math"
	"os"
	"runtime/debug"
	"sync"
)

// Loading and compiling allocate a project's worth of small objects that
// mostly stay live until the command ends, so the collector's work at the
// default GOGC (a collection each time the heap doubles, from 4 MB) is
// mostly wasted: a quarter of the CPU of a warm compile of 10,000 models.
// While a compile runs the collector waits until the heap grows by
// compileGCPercent, and the heap is held under compileMemoryLimit instead
// (the collector runs more often near it), so a project of 100,000 models
// stays within the memory it used before.
const (
	compileGCPercent   = 400
	compileMemoryLimit = 1 << 30
)

// gcBoost counts the compiles under way (weir watch runs several commands
// in one process); the settings are restored when the last one ends.
var gcBoost struct {
	sync.Mutex
	n          int
	oldPercent int
	oldLimit   int64
}

// boostGC sets the collector for a compile and returns the function that
// restores it. A GOGC or GOMEMLIMIT set by the user is left alone.
func boostGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	gcBoost.Lock()
	defer gcBoost.Unlock()
	if gcBoost.n++; gcBoost.n == 1 {
		gcBoost.oldLimit = debug.SetMemoryLimit(-1)
		if gcBoost.oldLimit == math.MaxInt64 {
			debug.SetMemoryLimit(compileMemoryLimit)
		}
		gcBoost.oldPercent = debug.SetGCPercent(compileGCPercent)
	}
	return func() {
		gcBoost.Lock()
		defer gcBoost.Unlock()
		if gcBoost.n--; gcBoost.n == 0 {
			debug.SetGCPercent(gcBoost.oldPercent)
			debug.SetMemoryLimit(gcBoost.oldLimit)
		}
	}
}

// releaseHeap collects the garbage a compile left and returns the free
// memory to the system. A build calls it when its project has compiled
// and its DuckDB file is still opening: the file's catalog keeps growing
// in memory until it is open, and the compile's garbage (up to as much
// again as the compiled project, at the default GOGC) would otherwise
// stay in the process's memory beside it, adding to its peak.
func releaseHeap() { debug.FreeOSMemory() }
