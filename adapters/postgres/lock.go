package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// lockSpace is the first key of weir's advisory locks ("weir" in ASCII),
// so they do not collide with an application's own.
const lockSpace = 0x77656972

// lockCheckEvery is how often a held lock checks its connection, and
// lockCheckTimeout how long a check may take before the lock counts as
// lost.
var (
	lockCheckEvery   = time.Second
	lockCheckTimeout = 10 * time.Second
)

// Lock takes a session advisory lock named name on a connection of its
// own, held until release is called (or the process dies, when Postgres
// drops it with the connection). When another session holds it, Lock
// fails at once, naming the holder. While it is held, the connection is
// checked every lockCheckEvery; when a check fails, the session and the
// lock with it are gone, and lost is called.
func (a *Adapter) Lock(ctx context.Context, name string, lost func(error)) (func(), error) {
	conn, err := a.sqldb.DB.Conn(ctx)
	if err != nil {
		return nil, a.mapError(ctx, "", err)
	}
	var got bool
	key := "SELECT " + fmt.Sprint(lockSpace) + ", hashtext(" + Dialect{}.QuoteLiteral(name) + ")"
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(k.a, k.b) FROM ("+key+") AS k(a, b)").Scan(&got); err != nil {
		conn.Close()
		return nil, a.mapError(ctx, "", err)
	}
	if !got {
		holder := a.lockHolder(ctx, key)
		conn.Close()
		return nil, adapters.LockBusy(holder)
	}
	return adapters.HeldLock(conn, a.watchLock(conn, name, lost), "SELECT pg_advisory_unlock(k.a, k.b) FROM ("+key+") AS k(a, b)"), nil
}

// watchLock pings conn, which holds the lock named name, every
// lockCheckEvery until the returned stop is called, and calls lost (when
// not nil) if a ping fails. stop returns once the watching has ended, so
// lost is never called after it.
func (a *Adapter) watchLock(conn *sql.Conn, name string, lost func(error)) (stop func()) {
	return adapters.WatchConn(conn, lockCheckEvery, lockCheckTimeout, func(err error) {
		if lost != nil {
			lost(fmt.Errorf("lost the build lock (%s): the connection holding it failed (%w) and Postgres freed the lock, so another build could start; this build stopped: models that finished are recorded, those in flight were rolled back; run it again",
				name, adapters.ScrubError(err, a.secrets)))
		}
	})
}

// lockHolder describes the session holding the lock with the given key.
func (a *Adapter) lockHolder(ctx context.Context, key string) string {
	rows, err := a.Query(ctx, `SELECT s.pid, coalesce(s.application_name, ''), coalesce(host(s.client_addr), 'local'), s.backend_start
FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid, (`+key+`) AS k(a, b)
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = k.a::oid AND l.objid = k.b::oid AND l.objsubid = 2`)
	if err != nil || len(rows.Values) == 0 {
		return "holder unknown"
	}
	r := rows.Values[0]
	started := ""
	if t, ok := r[3].(time.Time); ok {
		started = ", since " + t.UTC().Format("15:04:05 UTC")
	}
	return fmt.Sprintf("server pid %v, %q from %v%s", r[0], r[1], r[2], started)
}
