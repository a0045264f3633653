package adapters

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"time"
)

// OpenPool opens the connection pool of a server warehouse for a build of
// threads models at once: one connection a model thread, one for the
// catalog and readers, one holding the build lock. It pings the server
// (for up to 30 s) and closes the pool again when that fails. The model
// threads' connections are opened at once in the background (warm), while
// the caller compiles and plans, so that the first models of a build do
// not each wait for a new session (on Postgres a server process each).
func OpenPool(c driver.Connector, threads int) (*sql.DB, error) {
	db := sql.OpenDB(c)
	n := max(threads, 1) + 2
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	go warm(db, max(threads, 1))
	return db, nil
}

// warm opens n connections of db at once and puts them back idle. A
// failure is left to the statement that needs the connection to report.
func warm(db *sql.DB, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conns := make(chan *sql.Conn, n)
	for range n {
		go func() {
			c, err := db.Conn(ctx)
			if err != nil {
				c = nil
			}
			conns <- c
		}()
	}
	// Hold each until all are open, so that n distinct ones open.
	held := make([]*sql.Conn, 0, n)
	for range n {
		if c := <-conns; c != nil {
			held = append(held, c)
		}
	}
	for _, c := range held {
		c.Close()
	}
}
