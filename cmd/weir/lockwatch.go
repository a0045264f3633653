package main

import (
	"context"
	"sync"
)

// lockWatch stops a build whose build lock was lost: the adapter reports
// the loss to lost, which cancels the context bind returned, with the
// loss as its cause.
type lockWatch struct {
	mu     sync.Mutex
	err    error
	cancel context.CancelCauseFunc
}

// lost records err as the reason the lock is gone and cancels the bound
// context.
func (w *lockWatch) lost(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	cancel := w.cancel
	w.mu.Unlock()
	if cancel != nil {
		cancel(err)
	}
}

// bind returns a context derived from ctx that is canceled when the lock
// is lost (at once when it already is), and its cancel function.
func (w *lockWatch) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	w.mu.Lock()
	w.cancel = cancel
	err := w.err
	w.mu.Unlock()
	if err != nil {
		cancel(err)
	}
	return ctx, func() { cancel(nil) }
}

// loss is the error the lock was lost with, or nil.
func (w *lockWatch) loss() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}
