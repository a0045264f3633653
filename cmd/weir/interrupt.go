package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// interrupted is the error of a command that Ctrl-C (or SIGTERM) stopped.
func interrupted() *exitError {
	return &exitError{code: exitInterrupted, msg: "interrupted"}
}

// lastSignal is the signal that ended the process's context, stored
// before it ends it: weir serve exits 0 on SIGTERM, 130 on Ctrl-C.
var lastSignal atomic.Value

// notifyInterrupt cancels the commands' context at the first SIGINT or
// SIGTERM, so work in flight stops cleanly and the command exits 130; a
// second signal exits 130 at once. The returned function stops listening.
func notifyInterrupt(cancel context.CancelFunc) (stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			lastSignal.Store(sig)
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(os.Stderr, "Error: interrupted twice; stopping now")
			os.Exit(exitInterrupted)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// await runs f in the background and returns its result, or interrupted()
// as soon as ctx ends, for work that cannot be canceled (compiling,
// connecting) but changes nothing in the warehouse: the command ends at
// once and a result that comes later is handed to drop.
func await[T any](ctx context.Context, f func() (T, error), drop func(T)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.err == nil && drop != nil {
				drop(r.v)
			}
		}()
		var zero T
		return zero, interrupted()
	}
}
