package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"time"
)

// tmark prints how long a phase took since t0 when WEIR_TIMING is set
// (see docs/benchmarks.md); otherwise it does nothing.
func tmark(what string, t0 time.Time) {
	if os.Getenv("WEIR_TIMING") != "" {
		fmt.Fprintf(os.Stderr, "%-12s %v\n", what, time.Since(t0))
	}
}

// startProfile writes a CPU profile of the whole command to the file
// WEIR_CPUPROFILE names, when it is set (make bench -cpuprofile DIR sets
// it); the returned function ends the profile.
func startProfile() func() {
	path := os.Getenv("WEIR_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "weir: WEIR_CPUPROFILE:", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
