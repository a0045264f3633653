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

// childMain runs the floor program args name: "noop FILE" or
// "loop DRIVER TARGET STATEMENTS".
func childMain(args []string) {
	switch {
	case len(args) == 2 && args[0] == "noop":
		noopFloor(args[1])
	case len(args) == 4 && args[0] == "loop":
		plainLoop(args[1], args[2], args[3])
	default:
		check(fmt.Errorf("bad child arguments %q", args))
	}
}

// child times a floor program, run as its own process.
func child(args ...string) time.Duration {
	self, err := os.Executable()
	check(err)
	t0 := time.Now()
	out, err := exec.Command(self, append([]string{childFlag}, args...)...).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench %s: %v\n%s", args[0], err, out)
		os.Exit(1)
	}
	return time.Since(t0)
}
