// Package owner lets one long-running weir process own a warehouse file
// and run the other weir processes' commands for them.
//
// DuckDB admits one read-write process per database file. While `weir
// watch` (or `weir serve`) holds the file, every other weir command on it
// (`query`, `show`, `plan`, a manual `build`, …) would fail to open it.
// Instead, the owner listens on a unix socket beside the file (SocketPath)
// and the other process, finding it there (Dial), sends its command line;
// the owner runs that command in its own process on its already-open
// warehouse, streams the output back and ends with the exit code.
//
// The owner side:
//
//	srv, err := owner.Listen(file)   // fails when another process owns file
//	defer srv.Close()
//	go srv.Serve(ctx, func(ctx context.Context, req owner.Request, io owner.Stdio) int {
//		return runCommandLine(ctx, req, io) // e.g. cmd/weir's invocation
//	})
//
// The client side:
//
//	c, err := owner.Dial(file)       // nil, nil: no owner, open file yourself
//	code, err := c.Run(ctx, req, owner.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
//
// Ending ctx on the client (Ctrl-C) cancels the command in the owner,
// which still sends what it prints while stopping and its exit code; a
// client that disconnects cancels it too. A socket left by an owner that
// was killed is found stale (the connection is refused), removed, and
// ignored: the file is free again.
//
// One build at a time runs on an owned file: the owner's own builds and
// those sent to it take Server.Builds (a BuildLock), and a build that has
// to wait is told who holds it.
package owner
