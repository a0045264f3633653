package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// invocation is one run of a weir command line: its arguments, standard
// streams, working folder and environment. A weir process runs one; the
// owner of a warehouse file (weir watch) runs one more for each command
// another weir process sends it, side by side, so no command may reach
// for os.Stdout, the process's working folder or its environment.
type invocation struct {
	args           []string
	dir            string // working folder: relative paths are read from here
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// envKey is the WEIR_* part of the environment, which keys the
	// compile the owner of a warehouse keeps (ownercache.go).
	envKey string
	// terminal is set when stderr is a terminal width columns wide.
	terminal bool
	width    int
	// owned is the warehouse this process owns, when it does: commands
	// on it use its open database instead of opening the file.
	owned *ownedFile
	// remote is set for a command another process sent to this one.
	remote bool
	// local runs the command in this process even when another weir
	// process owns its warehouse file.
	local bool
	// exits is set when the process exits as soon as the command ends
	// (the command line weir was started with): what the exit releases
	// need not be released before (adapters.CloseAtExit).
	exits bool
}

// localInvocation is the command line this process was started with.
func localInvocation(args []string) *invocation {
	dir, _ := os.Getwd()
	inv := &invocation{args: args, dir: dir, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	if fd := int(os.Stderr.Fd()); term.IsTerminal(fd) {
		inv.terminal = true
		inv.width, _, _ = term.GetSize(fd)
	}
	return inv
}

// run executes the command line until it ends or ctx does, and returns
// its exit code.
func (inv *invocation) run(ctx context.Context) int {
	g := &globals{inv: inv}
	root := newRoot(g)
	root.SetArgs(inv.args)
	stdout := &countingWriter{w: inv.stdout}
	root.SetOut(stdout)
	root.SetErr(inv.stderr)
	root.SetIn(inv.stdin)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var fw *forwarded
	if errors.As(err, &fw) {
		return fw.code
	}
	var ee *exitError
	if ctx.Err() != nil && (!errors.As(err, &ee) || ee.code != exitInterrupted) {
		// Whatever failed did so because it was interrupted.
		err = interrupted()
	}
	if !errors.As(err, &ee) {
		ee = &exitError{code: exitUsage, msg: err.Error()}
	}
	if ee.msg != "" {
		fmt.Fprintln(inv.stderr, "Error:", ee.msg)
	}
	if g.report != nil && stdout.written() == 0 {
		g.report.writeErrorDoc(inv.stdout, ee.msg, ee.code)
	}
	return ee.code
}

// pathFlags are the flags that name files or folders, read relative to
// the invocation's working folder.
var pathFlags = []string{"project", "file", "junit", "summary", "state"}

// absPaths makes the path flags of cmd absolute, against the working
// folder of the invocation rather than of the process.
func (inv *invocation) absPaths(cmd *cobra.Command) error {
	for _, name := range pathFlags {
		f := cmd.Flags().Lookup(name)
		if f == nil || !f.Changed {
			continue
		}
		v := f.Value.String()
		if v == "" || v == "-" || filepath.IsAbs(v) {
			continue
		}
		if err := f.Value.Set(filepath.Join(inv.dir, v)); err != nil {
			return err
		}
	}
	return nil
}

// relPath is path as the user wrote it: relative to the invocation's
// working folder when inside it (absPaths made it absolute).
func (inv *invocation) relPath(path string) string {
	if rel, err := filepath.Rel(inv.dir, path); err == nil && filepath.IsAbs(path) && filepath.IsLocal(rel) {
		return rel
	}
	return path
}

// environment is the part of the environment a command sent to the owner
// of its warehouse carries along.
func environment() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "WEIR_") || strings.HasPrefix(kv, "NO_COLOR=") || strings.HasPrefix(kv, "GITHUB_WORKSPACE=") {
			out = append(out, kv)
		}
	}
	return out
}

// envLookup reads variables from env (KEY=value lines).
func envLookup(env []string) func(string) string {
	m := make(map[string]string, len(env))
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return func(k string) string { return m[k] }
}
