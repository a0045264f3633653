package adapters

import (
	"context"
	"database/sql"
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
