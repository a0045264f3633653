package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// row is one line of the bench table: a figure beside its goal.
type row struct {
	what, figure, goal string
	// met is "yes", "NO" or "" (no goal, or not measured).
	met string
}

type table struct{ rows []row }

// add appends a row; met is judged by the caller.
func (t *table) add(what, figure, goal string, met bool) {
	m := "NO"
	if met {
		m = "yes"
	}
	if goal == "" {
		m = ""
	}
	t.rows = append(t.rows, row{what, figure, goal, m})
	fmt.Printf("  %s: %s\n", what, figure) // progress while the rest runs
}

// skip records a row that could not be measured, and why.
func (t *table) skip(what, why string) {
	t.rows = append(t.rows, row{what, "skipped: " + why, "", ""})
	fmt.Printf("  %s: skipped: %s\n", what, why)
}

func (t *table) print(w io.Writer) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHAT\tFIGURE\tGOAL\tMET")
	for _, r := range t.rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.what, r.figure, r.goal, r.met)
	}
	tw.Flush()
}

// secs prints a duration in seconds.
func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }
