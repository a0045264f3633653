package duckdb

import (
	"context"

	"github.com/weir-sh/weir/adapters"
)

// Share returns the database on the same connections for one command of
// the process that owns the file: its Close releases nothing, and its
// Lock takes lock. It lifts the pool's limit on connections, so the
// commands the owner runs side by side never wait for one another's.
func (a *Adapter) Share(lock adapters.Locker) adapters.Adapter {
	a.DB.SetMaxOpenConns(0)
	return &shared{Adapter: a, lock: lock}
}

// shared is an Adapter borrowed from the owner of the file.
type shared struct {
	*Adapter
	lock adapters.Locker
}

// Close leaves the owner's database open.
func (s *shared) Close() error { return nil }

// Leave leaves the owner's database open, as Close does.
func (s *shared) Leave() error { return nil }

// Serial runs fn as it is: the owner's database runs other commands'
// queries beside it, which keep their threads.
func (s *shared) Serial(ctx context.Context, fn func() error) error { return fn() }

// Lock takes the owner's build lock.
func (s *shared) Lock(ctx context.Context, name string, lost func(error)) (func(), error) {
	return s.lock.Lock(ctx, name, lost)
}
