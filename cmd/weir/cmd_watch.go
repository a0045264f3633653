package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newWatchCmd(g *globals) *cobra.Command {
	var sel []string
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Build what is stale, then own the warehouse for the other weir commands",
		Long: `watch builds what is stale on the target, then keeps its DuckDB file open:
weir query, show, plan, ls, test, a manual build and the other commands run
from another terminal are sent to it and run there, on committed data.
Ctrl-C stops it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := open(g, "text")
			if err != nil {
				return err
			}
			o, err := own(s, "weir watch")
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			if o != nil {
				defer o.close()
				go o.serve(ctx)
				fmt.Fprintf(out, "Owning %s: weir commands from other terminals run here\n", o.file)
			}
			args := []string{"build"}
			for _, x := range sel {
				args = append(args, "--select", x)
			}
			if o != nil {
				o.run(ctx, args, out, errOut)
			}
			<-ctx.Done()
			fmt.Fprintln(out, "Stopped watching.")
			return &exitError{code: exitInterrupted}
		},
	}
	cmd.Flags().StringSliceVarP(&sel, "select", "s", nil, "nodes to keep built")
	return cmd
}
