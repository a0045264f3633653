// Command weir builds a folder of SQL models on a warehouse: it infers
// their dependencies from the SQL, runs them in parallel in dependency
// order, and writes artifacts for CI and docs under target/.
//
// Exit codes: 0 success, 1 a model or check failed, 2 bad usage or a
// project that does not compile, 130 interrupted.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/models"

	_ "github.com/weir-sh/weir/adapters/duckdb"   // the embedded default warehouse
	_ "github.com/weir-sh/weir/adapters/mysql"    // MySQL, MariaDB and TiDB
	_ "github.com/weir-sh/weir/adapters/postgres" // Postgres and its wire protocol
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes CI can rely on.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// exitError carries an exit code out of a command; its message, when not
// empty, has not been printed yet.
type exitError struct {
	code int
	msg  string
	// invalid marks a project that does not load (its errors printed),
	// which weir check reports as a problem found rather than bad usage.
	invalid bool
}

func (e *exitError) Error() string { return e.msg }

// globals are the flags every command takes.
type globals struct {
	project string
	target  string
	// ctx ends at Ctrl-C; set before any command runs.
	ctx context.Context
	// inv is the command line being run, with its streams.
	inv *invocation
	// command is the name of the command run: build, query, …
	command string
	// report is set when the command prints a JSON document: diagnostics
	// are then JSON too, and kept for an error document.
	report *jsonReport
	// compilesOwn is set for a command that compiles the project afresh
	// even in the owner of its warehouse, which keeps one compile for its
	// commands: weir compile, and --defer, which changes the compile.
	compilesOwn bool
}

func main() {
	os.Exit(runToExit(os.Args[1:]))
}

// run runs the command line args in this process and returns its exit
// code; Ctrl-C cancels it.
func run(args []string) int { return runArgs(args, false) }

// runToExit is run for a process that exits with the code it returns,
// as soon as it returns (invocation.exits).
func runToExit(args []string) int { return runArgs(args, true) }

func runArgs(args []string, exits bool) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer notifyInterrupt(cancel)()
	defer startProfile()()
	inv := localInvocation(args)
	inv.exits = exits
	return inv.run(ctx)
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "weir",
		Short: "Build SQL models on DuckDB or Postgres, in dependency order",
		Long: `weir reads a folder of SQL models, infers their dependencies from the SQL
itself, and builds them in parallel on the warehouse of the chosen target.`,
		Example: `  weir init shop && cd shop
  weir build
  weir show marts.customers`,
		Version:       version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		g.ctx = cmd.Context()
		g.command = cmd.Name()
		g.compilesOwn = cmd.Name() == "compile" || cmd.Flags().Changed("defer")
		if err := g.inv.absPaths(cmd); err != nil {
			return err
		}
		if err := forward(g, cmd); err != nil {
			return err
		}
		if f := cmd.Flags().Lookup("format"); f != nil && f.Value.String() == "json" && jsonCommands[cmd.Name()] {
			g.report = &jsonReport{}
		}
		return checkThreads(cmd)
	}
	root.PersistentFlags().StringVar(&g.project, "project", "", "project folder (default: the nearest folder upward holding weir.hcl)")
	root.PersistentFlags().StringVar(&g.target, "target", "", "target from weir.hcl to use (default: default_target)")
	root.AddCommand(
		newInitCmd(g),
		newCompileCmd(g),
		newLsCmd(g),
		newBuildCmd(g),
		newRunCmd(g),
		newServeCmd(g),
		newPlanCmd(g),
		newRetryCmd(g),
		newQueryCmd(g),
		newShowCmd(g),
		newTestCmd(g),
		newDiffCmd(g),
		newCheckCmd(g),
		newLineageCmd(g),
		newWatchCmd(g),
		newDocsCmd(g),
		newImportCmd(),
	)
	return root
}

// checkThreads refuses a --threads given out of 1..models.MaxThreads.
func checkThreads(cmd *cobra.Command) error {
	f := cmd.Flags().Lookup("threads")
	if f == nil || !f.Changed {
		return nil
	}
	n, err := strconv.Atoi(f.Value.String())
	if err != nil || n < 1 || n > models.MaxThreads {
		return &exitError{code: exitUsage, msg: fmt.Sprintf("--threads %s: give the number of models built at once, from 1 to %d (leave it out for the target's threads)", f.Value.String(), models.MaxThreads)}
	}
	return nil
}
