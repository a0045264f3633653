package adapters

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// WatchConn pings conn every interval, each ping given up to timeout,
// until the returned stop is called, and calls failed once with the error
// of the first ping that fails. stop returns once the watching has ended,
// so failed is never called after it. Lockers use it to notice that the
// connection holding their lock, and the lock with it, is gone.
func WatchConn(conn *sql.Conn, interval, timeout time.Duration, failed func(error)) (stop func()) {
	done, ended := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(ended)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			err := conn.PingContext(ctx)
			cancel()
			if err != nil {
				failed(err)
				return
			}
		}
	}()
	return func() {
		close(done)
		<-ended
	}
}

// HeldLock is the release function of a lock that conn holds while
// stopWatch's watcher (from WatchConn) looks after it: it stops the
// watching, runs unlock on conn (for up to 10 s) and closes conn, once
// however often it is called.
func HeldLock(conn *sql.Conn, stopWatch func(), unlock string) (release func()) {
	var once sync.Once
	return func() {
		once.Do(func() {
			stopWatch()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			conn.ExecContext(ctx, unlock)
			conn.Close()
		})
	}
}

// LockBusy is the error of a build lock that another session holds;
// holder describes that session.
func LockBusy(holder string) error {
	return fmt.Errorf("another weir process is building this target (%s); wait for it to finish, or stop it", holder)
}
