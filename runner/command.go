package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
)

// ExitTempFail is the exit status (sysexits' EX_TEMPFAIL) with which a
// command asks to be tried again; any other failure is final.
const ExitTempFail = 75

// commandError is a command node that failed: its exit status and the
// end of what it printed.
type commandError struct {
	argv0 string
	code  int // -1 when it did not exit by itself (killed, not started)
	err   error
	tail  string
	log   string
}

func (e *commandError) Error() string {
	msg := fmt.Sprintf("command %s failed: %v", e.argv0, e.err)
	if e.tail != "" {
		msg += "\n" + e.tail
	}
	return msg + "\n(whole output in " + e.log + ")"
}

func (e *commandError) Unwrap() error { return e.err }

// transientCommand reports a command that exited with ExitTempFail.
func transientCommand(err error) bool {
	var ce *commandError
	return errors.As(err, &ce) && ce.code == ExitTempFail
}

// scriptDir is the folder of a command node's exchange files and log.
func (r *Runner) scriptDir(n *compiler.Node) string {
	return filepath.Join(r.c.Project.Dir, "target", "scripts", n.Name)
}

// runCommand runs a command node once: it writes its inputs as CSV files,
// runs the command in the project folder with the target's connection in
// its environment, loads the output tables it wrote as CSV files and
// checks the others exist. It returns the rows of its output tables.
func (r *Runner) runCommand(ctx context.Context, n *compiler.Node) (int64, error) {
	dir := r.scriptDir(n)
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	if err := os.RemoveAll(dir); err != nil {
		return 0, err
	}
	for _, d := range []string{in, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return 0, err
		}
	}
	for _, id := range n.DependsOn {
		if err := r.exportCSV(ctx, r.c.Nodes[id], filepath.Join(in, id+".csv")); err != nil {
			return 0, fmt.Errorf("writing input %s for the command: %w", id, err)
		}
	}
	if err := r.exec(ctx, n, in, out); err != nil {
		return 0, err
	}
	return r.collectOutputs(ctx, n, out)
}

// exec runs the command, its output going to dir/../NAME.log.
func (r *Runner) exec(ctx context.Context, n *compiler.Node, in, out string) error {
	s := n.Script
	logPath := filepath.Join(r.scriptDir(n), "output.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	var tail tailBuffer
	cmd := exec.CommandContext(ctx, s.Command[0], s.Command[1:]...)
	cmd.Dir = r.c.Project.Dir
	cmd.Env = append(os.Environ(), r.commandEnv(n, in, out)...)
	cmd.Stdout = io.MultiWriter(logFile, &tail)
	cmd.Stderr = cmd.Stdout
	// Its own process group, so a timeout ends what it started too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		code := -1
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.Exited() {
			code = ee.ExitCode()
		}
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		rel, _ := filepath.Rel(r.c.Project.Dir, logPath)
		return &commandError{argv0: s.Command[0], code: code, err: err, tail: tail.String(), log: filepath.ToSlash(rel)}
	}
	return nil
}

// collectOutputs loads each output table the command wrote as
// out/schema.name.csv, checks the others and the output files exist, and
// counts the rows of the output tables.
func (r *Runner) collectOutputs(ctx context.Context, n *compiler.Node, out string) (int64, error) {
	var total int64
	d := r.a.Dialect()
	for _, id := range n.Script.Outputs {
		on := r.c.Nodes[id]
		path := filepath.Join(out, id+".csv")
		if _, err := os.Stat(path); err == nil {
			rows, err := r.loadTable(ctx, on.Relation, path, nil, nil)
			if err != nil {
				return total, fmt.Errorf("loading output %s from %s: %w", id, path, err)
			}
			total += rows
			continue
		}
		res, err := r.a.Query(ctx, "SELECT count(*) FROM "+adapters.QuoteRelation(d, on.Relation))
		if err != nil {
			return total, fmt.Errorf("the command wrote neither table %s (%s) nor $WEIR_OUT/%s.csv: %w", id, on.Relation, id, err)
		}
		rows, _ := adapters.Int64(res.Values[0][0])
		total += rows
		r.setExisting(on.Relation, adapters.KindTable)
	}
	for _, f := range n.Script.OutputFiles {
		if _, err := os.Stat(filepath.Join(r.c.Project.Dir, f)); err != nil {
			return total, fmt.Errorf("the command did not write its output file %s", f)
		}
	}
	return total, nil
}

// commandEnv is what a command node finds in its environment besides
// weir's own: where its inputs and outputs are, and the target's
// connection (its DSN, with any password, only here: never in argv).
func (r *Runner) commandEnv(n *compiler.Node, in, out string) []string {
	t := r.c.Target
	env := []string{
		"WEIR_NODE=" + n.ID, "WEIR_RUN_ID=" + r.opts.RunID, "WEIR_PROJECT_DIR=" + r.c.Project.Dir,
		"WEIR_TARGET=" + t.Name, "WEIR_ADAPTER=" + t.Adapter, "WEIR_SCHEMA_PREFIX=" + t.SchemaPrefix,
		"WEIR_IN=" + in, "WEIR_OUT=" + out,
	}
	if t.DSN != "" {
		env = append(env, "WEIR_DSN="+t.DSN)
	}
	if t.Path != "" && t.Path != ":memory:" {
		p := t.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(r.c.Project.Dir, p)
		}
		env = append(env, "WEIR_DUCKDB_PATH="+p)
	}
	var ins, outs []string
	for _, id := range n.DependsOn {
		if rel := r.c.Nodes[id].ReadRelation(); rel.Name != "" {
			ins = append(ins, id+"="+rel.String())
		}
	}
	for _, id := range n.Script.Outputs {
		outs = append(outs, id+"="+r.c.Nodes[id].Relation.String())
	}
	return append(env, "WEIR_INPUTS="+strings.Join(ins, " "), "WEIR_OUTPUTS="+strings.Join(outs, " "))
}

// tailBuffer keeps the last lines written to it.
type tailBuffer struct{ b []byte }

const tailBytes = 2000

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2*tailBytes {
		t.b = append([]byte(nil), t.b[len(t.b)-tailBytes:]...)
	}
	return len(p), nil
}

// String is the last lines, at most tailBytes and 20 lines.
func (t *tailBuffer) String() string {
	b := bytes.TrimSpace(t.b)
	if len(b) > tailBytes {
		b = b[len(b)-tailBytes:]
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}
