package main

import "github.com/spf13/cobra"

// selectionFlags registers --select (-s) and --exclude on cmd; what says
// what the selected nodes are for ("nodes to build"). Each value is kept
// whole, as dbt reads it: a comma inside it intersects, while spaces and
// repeated flags union.
func selectionFlags(cmd *cobra.Command, include, exclude *[]string, what string) {
	cmd.Flags().StringArrayVarP(include, "select", "s", nil, what+" (`SELECTOR`: "+`name, folder, path, +name, name+, 2+name, @name, tag:x, "a,b" (both), "a b" (either)); repeatable`)
	cmd.Flags().StringArrayVar(exclude, "exclude", nil, "nodes to leave out (`SELECTOR` as for --select); repeatable")
}
