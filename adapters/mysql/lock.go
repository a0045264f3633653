package mysql

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// lockCheckEvery is how often a held lock checks its connection, and
// lockCheckTimeout how long a check may take before the lock counts as
// lost.
var (
	lockCheckEvery   = time.Second
	lockCheckTimeout = 10 * time.Second
)

// lockName is the server-wide name of weir's lock called name: MySQL
// limits lock names to 64 characters, so a longer one is hashed.
func lockName(name string) string {
	full := "weir:" + name
	if len(full) <= 64 {
		return full
	}
	sum := sha256.Sum256([]byte(name))
	return "weir:" + hex.EncodeToString(sum[:])[:59]
}

// Lock takes the named lock GET_LOCK on a connection of its own, held
// until release is called (or the session ends, when the server frees
// it). When another session holds it, Lock fails at once, naming the
// holder. While it is held the connection is pinged every lockCheckEvery;
// when a ping fails, the session and the lock with it are gone, and lost
// is called.
func (a *Adapter) Lock(ctx context.Context, name string, lost func(error)) (func(), error) {
	conn, err := a.db.Conn(ctx)
	if err != nil {
		return nil, a.mapError(ctx, "", err)
	}
	key := a.dialect.QuoteLiteral(lockName(name))
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK("+key+", 0)").Scan(&got); err != nil {
		conn.Close()
		return nil, a.mapError(ctx, "", err)
	}
	if !got.Valid || got.Int64 != 1 {
		holder := a.lockHolder(ctx, key)
		conn.Close()
		return nil, adapters.LockBusy(holder)
	}
	return adapters.HeldLock(conn, a.watchLock(conn, name, lost), "DO RELEASE_LOCK("+key+")"), nil
}

// watchLock pings conn, which holds the lock named name, every
// lockCheckEvery until the returned stop is called, and calls lost (when
// not nil) if a ping fails. stop returns once the watching has ended, so
// lost is never called after it.
func (a *Adapter) watchLock(conn *sql.Conn, name string, lost func(error)) (stop func()) {
	return adapters.WatchConn(conn, lockCheckEvery, lockCheckTimeout, func(err error) {
		if lost != nil {
			lost(fmt.Errorf("lost the build lock (%s): the connection holding it failed (%w) and the server freed the lock, so another build could start; this build stopped: models that finished are recorded, those in flight were rolled back or left to rebuild; run it again",
				name, adapters.ScrubError(err, a.secrets)))
		}
	})
}

// lockHolder describes the session holding the lock key (a literal).
func (a *Adapter) lockHolder(ctx context.Context, key string) string {
	rows, err := a.Query(ctx, `SELECT p.ID, p.USER, p.HOST, p.TIME FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(`+key+`)`)
	if err != nil || len(rows.Values) == 0 {
		return "holder unknown"
	}
	r := rows.Values[0]
	return fmt.Sprintf("server connection %v, user %v from %v, connected %vs", r[0], r[1], r[2], r[3])
}
