package main

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

// childFlag runs the bench binary as one of the floor programs. Floors run
// as processes of their own, like weir, so that both figures include a
// process's start, and so that the bench process stays small: a child's
// peak RSS as Linux reports it is at least its parent's at the fork.
const childFlag = "-child"

// childMain runs the floor program args name: "noop FILE", "noop-lean
// FILE",
// "loop DRIVER TARGET STATEMENTS" or "blocks OP FILE ARG" (blocksize.go).
func childMain(args []string) {
	switch {
	case len(args) == 2 && args[0] == "noop":
		noopFloor(args[1], "")
	case len(args) == 2 && args[0] == "noop-lean":
		noopFloor(args[1], "?memory_limit="+leanLimit)
	case len(args) == 4 && args[0] == "loop":
		plainLoop(args[1], args[2], args[3])
	case len(args) == 4 && args[0] == "blocks":
		blockChild(args[1], args[2], args[3])
	default:
		check(fmt.Errorf("bad child arguments %q", args))
	}
}

// child times a floor program, run as its own process.
func child(args ...string) time.Duration {
	m, _ := runChild(args...)
	return m.wall
}

// runChild runs a floor program as its own process: its wall and CPU
// time, its peak RSS and its output.
func runChild(args ...string) (measurement, string) {
	self, err := os.Executable()
	check(err)
	t0 := time.Now()
	cmd := exec.Command(self, append([]string{childFlag}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench %s: %v\n%s", args[0], err, out)
		os.Exit(1)
	}
	ps := cmd.ProcessState
	return measurement{wall: time.Since(t0), rss: peakRSS(ps), cpu: ps.UserTime() + ps.SystemTime()}, string(out)
}
