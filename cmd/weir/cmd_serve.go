package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/weir-sh/weir/docs"
	"github.com/weir-sh/weir/internal/webserver"
	"github.com/weir-sh/weir/monitor"
	"github.com/weir-sh/weir/schedule"
	"github.com/weir-sh/weir/state"
)

// DefaultServePort is weir serve's port when --port is not given.
const DefaultServePort = 8470

func newServeCmd(g *globals) *cobra.Command {
	cfg := webserver.Config{Port: DefaultServePort}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run models on their schedules and on arriving files; serve the run monitor",
		Long: `serve is the scheduler: a long-running process that runs weir run when a
model's cron schedule is due, runs the models downstream of a source when a
file arrives in its trigger_path, and runs a selection asked for over HTTP
(POST /api/trigger with {"select": "staging.orders+"}, answered 202 with the
run's id). Runs happen one at a time; one asked for while another runs
waits its turn, and the same request waiting twice runs once.

The monitor is at http://127.0.0.1:8470/ (JSON at /api/runs and /api/models;
the docs site, once weir docs generate wrote it, at /docs/). Beyond
loopback (--bind) it needs a token: set WEIR_SERVE_TOKEN and send it as
"Authorization: Bearer <token>" (the page takes it as /#token=…).

On a DuckDB target serve owns the file: weir query, show, plan and a manual
build from another terminal run inside it, and a manual build waits for a
scheduled one (and the other way round). On SIGTERM it stops taking work,
cancels the run in flight cleanly (its run is recorded interrupted; the
next run picks the interval up again) and exits 0.`,
		Example: `  weir serve
  weir serve --port 9000
  WEIR_SERVE_TOKEN=secret weir serve --bind 0.0.0.0
  curl -X POST -d '{"select": "staging.orders+"}' http://127.0.0.1:8470/api/trigger`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Token = g.inv.getenv(webserver.TokenEnv)
			clock := serveClock
			if clock == nil {
				clock = schedule.RealClock()
			}
			return serve(cmd, g, cfg, clock, serveReady)
		},
	}
	cmd.Flags().IntVar(&cfg.Port, "port", DefaultServePort, "TCP port of the monitor and API (0 picks a free one)")
	cmd.Flags().StringVar(&cfg.Bind, "bind", webserver.DefaultBind, "address to listen on; beyond loopback only with WEIR_SERVE_TOKEN set")
	return cmd
}

// serveClock and serveReady are for tests: the clock weir serve runs on
// (nil: the real one) and a function told the monitor's URL.
var (
	serveClock schedule.Clock
	serveReady func(url string)
)

// server is a running weir serve.
type server struct {
	s     *session
	owned *ownedFile // nil for a warehouse no process owns (Postgres)
	sched *schedule.Scheduler
	out   io.Writer
	mu    sync.Mutex // serializes out
	// failed are requests that ended without a recorded run, newest last.
	failedMu sync.Mutex
	failed   []monitor.Request
	// staleSent is, by scheduled model, the tick a stale message was last
	// sent for (only the scheduler's run goroutine uses it).
	staleSent map[string]time.Time
}

// serve runs the scheduler, the file triggers and the monitor until ctx
// ends or SIGTERM comes. ready, when set, is told the monitor's URL.
func serve(cmd *cobra.Command, g *globals, cfg webserver.Config, clock schedule.Clock, ready func(url string)) error {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	defer signal.Stop(term)
	ctx, stop := context.WithCancel(cmd.Context())
	defer stop()
	var terminated atomic.Bool
	go func() {
		select {
		case <-term:
			terminated.Store(true)
			stop()
		case <-ctx.Done():
		}
	}()
	if err := cfg.Check(); err != nil {
		return &exitError{code: exitUsage, msg: err.Error()}
	}
	ln, err := webserver.Listen(cfg) // a port in use fails before anything else
	if err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	defer ln.Close()
	srv, err := startServer(ctx, cmd, g, clock)
	if err != nil {
		return err
	}
	defer srv.close()
	web := make(chan error, 1)
	go func() { web <- webserver.Serve(ctx, ln, srv.handler(cfg)) }()
	srv.logf("Serving the monitor on %s; SIGTERM or Ctrl-C stops", webserver.URL(ln))
	if ready != nil {
		ready(webserver.URL(ln))
	}
	srv.sched.Serve(ctx)
	if err := <-web; err != nil {
		srv.logf("Warning: the monitor stopped: %v", err)
	}
	if terminated.Load() || lastSignal.Load() == syscall.SIGTERM {
		srv.logf("Stopped on SIGTERM.")
		return nil
	}
	if cmd.Context().Err() != nil {
		srv.logf("Stopped.")
		return &exitError{code: exitInterrupted}
	}
	return nil
}

// startServer loads the project, watches its trigger folders, owns its
// warehouse file (DuckDB) and prepares the state, until ctx ends.
func startServer(ctx context.Context, cmd *cobra.Command, g *globals, clock schedule.Clock) (*server, error) {
	s, err := open(g, "text")
	if err != nil {
		return nil, err
	}
	srv := &server{s: s, out: cmd.OutOrStdout(), staleSent: map[string]time.Time{}}
	srv.sched = &schedule.Scheduler{Clock: clock, NextDue: srv.nextDue, Run: srv.run, NewID: newRunID,
		OnError: func(err error) { srv.logf("Warning: cannot tell when the next model is due: %v", err) }}
	if err := schedule.WatchFiles(ctx, s.project.Dir, s.project.Sources, schedule.DefaultDebounce, srv.fileArrived); err != nil {
		return nil, &exitError{code: exitUsage, msg: err.Error()}
	}
	if srv.owned, err = own(s, "weir serve"); err != nil {
		return nil, err
	}
	if o := srv.owned; o != nil {
		g.inv.owned = o // the monitor reads the state through the shared database
		go o.serve(ctx)
		srv.logf("Owning %s: weir commands from other terminals run here", relPath(o.file))
	}
	if err := srv.prepareState(ctx); err != nil {
		srv.close()
		return nil, err
	}
	return srv, nil
}

// close releases the warehouse file.
func (srv *server) close() {
	if srv.owned != nil {
		srv.owned.close()
	}
}

// prepareState creates or upgrades the target's state schema before
// anything runs, so the monitor never reads one half migrated.
func (srv *server) prepareState(ctx context.Context) error {
	a, err := srv.s.connect()
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := state.Open(ctx, a, srv.s.target.SchemaPrefix); err != nil {
		return &exitError{code: exitFailed, msg: err.Error()}
	}
	return nil
}

// handler is the monitor page (no data, no token needed), the API and the
// docs site (with the token, when one is set).
func (srv *server) handler(cfg webserver.Config) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", monitor.Page())
	guarded := webserver.Handler(cfg, monitor.API(srv))
	mux.Handle("/api/", guarded)
	site := filepath.Join(srv.s.targetDir(), "docs")
	mux.Handle("/docs/", webserver.Handler(cfg, http.StripPrefix("/docs", docs.Handler(site))))
	return mux
}

// logf writes one line to serve's output.
func (srv *server) logf(format string, args ...any) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	fmt.Fprintf(srv.out, time.Now().UTC().Format("15:04:05")+" "+format+"\n", args...)
}

// fileArrived queues a run of the models that read the source a file
// arrived for.
func (srv *server) fileArrived(ev schedule.FileEvent) {
	id, queued := srv.sched.Submit(schedule.Request{Trigger: state.TriggerFile, Source: ev.Source, File: ev.File})
	if queued {
		srv.logf("%s arrived: run %s of what reads %s queued", ev.File, id, ev.Source)
	}
}
