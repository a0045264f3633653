package main

import (
	"fmt"
	"os"
	"time"
)

// tmark prints how long a phase took since t0 when WEIR_TIMING is set
// (see docs/benchmarks.md); otherwise it does nothing.
func tmark(what string, t0 time.Time) {
	if os.Getenv("WEIR_TIMING") != "" {
		fmt.Fprintf(os.Stderr, "%-12s %v\n", what, time.Since(t0))
	}
}
