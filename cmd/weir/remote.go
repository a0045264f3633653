package main

import (
	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/owner"
)

// forwarded ends a command that the owner of its warehouse file ran, with
// the owner's exit code; its output has been copied already.
type forwarded struct{ code int }

func (f *forwarded) Error() string { return "run by the owner of the warehouse" }

// runsHere are the commands that never go to the owner of the warehouse:
// they open no warehouse, or become its owner themselves.
var runsHere = map[string]bool{"weir": true, "init": true, "watch": true, "serve": true, "help": true, "completion": true, "__complete": true, "__completeNoDesc": true}

// forward sends the command line to the weir process that owns the
// target's warehouse file (weir watch), when one does, and returns a
// *forwarded with its exit code. With no owner, or a command that runs
// here anyway, it returns nil and the command runs in this process,
// opening the file itself.
func forward(g *globals, cmd *cobra.Command) error {
	if g.inv.owned != nil || g.inv.local || runsHere[cmd.Name()] {
		return nil
	}
	file := targetFile(g)
	if file == "" {
		return nil
	}
	c, err := owner.Dial(file)
	if err != nil || c == nil {
		return err
	}
	inv := g.inv
	req := owner.Request{Args: inv.args, Dir: inv.dir, Env: environment(), Terminal: inv.terminal, Width: inv.width}
	code, err := c.Run(cmd.Context(), req, owner.Stdio{In: inv.stdin, Out: inv.stdout, Err: inv.stderr})
	if err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	return &forwarded{code: code}
}

// targetFile is the database file of the target the command line names,
// read from weir.hcl alone; "" for a warehouse that is not a file, or a
// project that does not load (the command then reports why).
func targetFile(g *globals) string {
	dir := g.project
	if dir == "" {
		var err error
		if dir, err = models.FindProject(g.inv.dir); err != nil {
			return ""
		}
	}
	p, diags := models.LoadConfig(dir)
	if p == nil || diags.HasErrors() {
		return ""
	}
	name := g.target
	if name == "" {
		name = p.DefaultTarget
	}
	t, ok := p.Targets[name]
	if !ok || t.Diags.HasErrors() {
		return ""
	}
	return adapters.FileOf(t, p.Dir)
}
