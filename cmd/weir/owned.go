package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/owner"
)

// ownedFile is a warehouse file this process owns (DESIGN decision 10):
// the commands it runs, its own and those other weir processes send it
// (package owner), share its open database and build one at a time.
//
// A long-running command becomes the owner with own, starts answering
// other processes with serve, and runs its own commands (a build, say) as
// invocations whose owned field is set: their session then connects to
// the shared database, and their build takes the owner's build lock, as
// every build sent from another terminal does.
type ownedFile struct {
	file   string
	dir    string // the project folder
	target string // the target the owner opened
	name   string // the owning command, for messages: "weir watch"
	db     adapters.Adapter
	server *owner.Server

	mu      sync.Mutex
	parsers map[string]compiler.Parser // by dialect, kept for every compile

	// cache keeps the compiled project and the recorded state between
	// the commands (ownercache.go).
	cache ownerCache
}

// own makes this process the owner of the warehouse file of s's target
// (none is needed for a server warehouse: it returns nil, nil). It opens
// the file, which fails when another process has it, and listens beside
// it. name is what waiting builds are told holds the file ("weir watch").
func own(s *session, name string) (*ownedFile, error) {
	file := adapters.FileOf(s.target, s.project.Dir)
	if file == "" {
		return nil, nil
	}
	// Listen first: another owner is then named, rather than DuckDB's
	// lock error; clients wait until serve answers.
	srv, err := owner.Listen(file)
	if err != nil {
		return nil, &exitError{code: exitFailed, msg: err.Error()}
	}
	db, err := s.connect()
	if err != nil {
		srv.Close()
		return nil, err
	}
	if _, ok := db.(adapters.Sharer); !ok {
		srv.Close()
		db.Close()
		return nil, nil
	}
	return &ownedFile{file: file, dir: s.project.Dir, target: s.target.Name, name: name, db: db, server: srv}, nil
}

// run runs a weir command line of the owner's own (a build, say) on the
// owner's project, target and open database, writing to stdout and
// stderr, and returns its exit code. Its builds take the build lock.
func (o *ownedFile) run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	inv := &invocation{
		args: append([]string{args[0], "--project", o.dir, "--target", o.target}, args[1:]...),
		dir:  o.dir, stdin: eofReader{}, stdout: stdout, stderr: stderr, getenv: os.Getenv, owned: o,
		envKey: envKey(os.Environ()),
	}
	return inv.run(ctx)
}

// eofReader is an empty standard input.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// serve runs the commands other weir processes send until ctx ends, then
// waits for those in flight (ctx's end cancels them).
func (o *ownedFile) serve(ctx context.Context) error {
	return o.server.Serve(ctx, o.exec)
}

// exec runs one command line another process sent.
func (o *ownedFile) exec(ctx context.Context, req owner.Request, stdio owner.Stdio) int {
	inv := &invocation{
		args: req.Args, dir: req.Dir, stdin: stdio.In, stdout: stdio.Out, stderr: stdio.Err,
		getenv: envLookup(req.Env), envKey: envKey(req.Env), terminal: req.Terminal, width: req.Width,
		owned: o, remote: true,
	}
	return inv.run(ctx)
}

// close stops answering and closes the database and the parsers.
func (o *ownedFile) close() {
	o.server.Close()
	o.db.Close()
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, p := range o.parsers {
		p.Close()
	}
	o.parsers = nil
}

// parser is the SQL parser of dialect d, started at the first compile and
// kept for the next ones: starting one takes longer than compiling a
// small project. nil when it cannot start (the compile then reports it).
func (o *ownedFile) parser(d adapters.Dialect) compiler.Parser {
	o.mu.Lock()
	defer o.mu.Unlock()
	if p, ok := o.parsers[d.Name()]; ok {
		return p
	}
	p, err := compiler.NewParser(d)
	if err != nil {
		return nil
	}
	if o.parsers == nil {
		o.parsers = map[string]compiler.Parser{}
	}
	o.parsers[d.Name()] = p
	return p
}

// adapter is the shared database for one command; who names its builds
// to those that wait for them, and notice is told when it waits.
func (o *ownedFile) adapter(who string, notice io.Writer) adapters.Adapter {
	return o.db.(adapters.Sharer).Share(buildLocker{lock: o.server.Builds, who: who, notice: notice})
}

// build runs fn holding the owner's build lock, after any build in
// progress; who names it to builds waiting in turn.
func (o *ownedFile) build(ctx context.Context, who string, notice io.Writer, fn func() error) error {
	release, err := buildLocker{lock: o.server.Builds, who: who, notice: notice}.Lock(ctx, who, nil)
	if err != nil {
		return err
	}
	defer release()
	return fn()
}

// buildLocker is the owner's build lock as an adapters.Locker.
type buildLocker struct {
	lock   *owner.BuildLock
	who    string
	notice io.Writer
}

// Lock waits for the build in progress, saying so, then takes the lock.
// It is never lost.
func (l buildLocker) Lock(ctx context.Context, _ string, _ func(error)) (func(), error) {
	return l.lock.Acquire(ctx, l.who, func(holder string) {
		if holder == "" {
			holder = "another weir command"
		}
		fmt.Fprintf(l.notice, "Waiting for the build in progress in %s…\n", holder)
	})
}

// who names the builds of an invocation to those waiting for them.
func (inv *invocation) who(command string) string {
	if inv.remote || inv.owned == nil {
		return fmt.Sprintf("`weir %s` from another terminal", command)
	}
	return inv.owned.name
}
