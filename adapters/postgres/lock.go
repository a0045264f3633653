package postgres

import (
	"context"
	"fmt"
	"time"
)

// lockSpace is the first key of weir's advisory locks ("weir" in ASCII),
// so they do not collide with an application's own.
const lockSpace = 0x77656972

// Lock takes a session advisory lock named name on a connection of its
// own, held until release is called (or the process dies, when Postgres
// drops it with the connection). When another session holds it, Lock
// fails at once, naming the holder.
func (a *Adapter) Lock(ctx context.Context, name string) (func(), error) {
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
		return nil, fmt.Errorf("another weir process is building this target (%s); wait for it to finish, or stop it", holder)
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn.ExecContext(ctx, "SELECT pg_advisory_unlock(k.a, k.b) FROM ("+key+") AS k(a, b)")
		conn.Close()
	}, nil
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
