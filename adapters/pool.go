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
// (for up to 30 s) and closes the pool again when that fails.
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
	return db, nil
}
