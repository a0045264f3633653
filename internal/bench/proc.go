package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// measurement is one weir run: wall time and peak RSS, and the CPU time
// (user and system) it used, which a loaded shared machine stretches less
// than the wall time.
type measurement struct {
	wall time.Duration
	rss  int64 // KB
	cpu  time.Duration
}

// timedRuns runs weir c.runs times in dir, calling before ahead of each
// run (untimed), and returns the median wall time and the largest peak
// RSS. With -cpuprofile the last run writes DIR/<profile>.prof.
func (c *config) timedRuns(profile, dir string, before func(), args ...string) measurement {
	var walls, cpus []time.Duration
	var rss int64
	for i := range c.runs {
		if before != nil {
			before()
		}
		name := ""
		if i == c.runs-1 {
			name = profile
		}
		m := c.weir(name, dir, args...)
		walls, cpus, rss = append(walls, m.wall), append(cpus, m.cpu), max(rss, m.rss)
	}
	return measurement{median(walls), rss, median(cpus)}
}

// weir runs the binary once in dir and fails the bench when it fails.
func (c *config) weir(profile, dir string, args ...string) measurement {
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = dir
	cmd.Env = os.Environ()
	if profile != "" && c.profile != "" {
		cmd.Env = append(cmd.Env, "WEIR_CPUPROFILE="+filepath.Join(c.profile, profile+".prof"))
	}
	t0 := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(t0)
	if err != nil {
		fmt.Fprintf(os.Stderr, "weir %s in %s failed: %v\n%s", strings.Join(args, " "), dir, err, out)
		os.Exit(1)
	}
	return measurement{wall, peakRSS(cmd.ProcessState), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
}

// peakRSS is a finished process's peak resident set in KB.
func peakRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}

// median of a few durations.
func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// mb prints a peak RSS in KB as megabytes.
func mb(kb int64) string { return fmt.Sprintf("%d MB", kb>>10) }
