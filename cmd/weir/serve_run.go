package main

import (
	"bytes"
	"context"
	"io"
	"strings"

	"github.com/weir-sh/weir/monitor"
	"github.com/weir-sh/weir/schedule"
	"github.com/weir-sh/weir/state"
)

// run runs one request of the scheduler as a weir command line in this
// process: weir run for the schedule, weir build of a selection for HTTP
// and files. After a scheduled run, the due models it did not build are
// sent as a stale message (serve_stale.go). On an owned file its build
// takes the owner's build lock, so it never runs at the same time as a
// manual build sent to this process.
func (srv *server) run(ctx context.Context, r schedule.Request) {
	var due *dueRun
	if r.Trigger == state.TriggerSchedule {
		due = srv.dueFor(ctx, r)
	}
	args := srv.commandLine(r)
	srv.logf("Run %s (%s): weir %s", r.ID, r.Trigger, strings.Join(args, " "))
	var errs bytes.Buffer
	stderr := io.MultiWriter(srv.out, &errs)
	code := srv.invoke(ctx, args, srv.out, stderr)
	srv.logf("Run %s ended with exit code %d", r.ID, code)
	if code == exitUsage {
		srv.remember(r, lastLines(errs.String(), 5))
	}
	if due != nil {
		srv.sendStale(ctx, r, due)
	}
}

// commandLine is the weir command line that serves a request.
func (srv *server) commandLine(r schedule.Request) []string {
	var args []string
	switch r.Trigger {
	case state.TriggerSchedule:
		args = []string{"run", "--execution-time", r.At.UTC().Format("2006-01-02 15:04:05")}
	case state.TriggerFile:
		args = []string{"build", "--select", r.Source + "+", "--arrived", r.Source + "=" + r.File}
	default:
		args = []string{"build"}
		for _, s := range r.Select {
			args = append(args, "--select", s)
		}
	}
	return append(args, "--run-id", r.ID, "--trigger", r.Trigger, "--heartbeat", "0")
}

// invoke runs a command line on serve's project and target.
func (srv *server) invoke(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if srv.owned != nil {
		return srv.owned.run(ctx, args, stdout, stderr)
	}
	s := srv.s
	inv := &invocation{
		args: append([]string{args[0], "--project", s.project.Dir, "--target", s.target.Name}, args[1:]...),
		dir:  s.project.Dir, stdin: eofReader{}, stdout: stdout, stderr: stderr, getenv: s.inv.getenv, local: true,
	}
	return inv.run(ctx)
}

// remember keeps a request that ended before it recorded a run, for the
// monitor (the last 20).
func (srv *server) remember(r schedule.Request, why string) {
	srv.failedMu.Lock()
	defer srv.failedMu.Unlock()
	srv.failed = append(srv.failed, monitor.Request{ID: r.ID, Trigger: r.Trigger, Select: r.Select, File: r.File, At: r.At, Error: why})
	if len(srv.failed) > 20 {
		srv.failed = srv.failed[len(srv.failed)-20:]
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
