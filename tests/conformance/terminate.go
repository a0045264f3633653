package conformance

import (
	"database/sql"
	"testing"
	"time"
)

// TerminatePostgres ends, up to times times within 30 s, the Postgres
// backend running a statement whose text holds marker
// (pg_terminate_backend: the server's 57P01, which weir retries). db is
// an admin connection of its own. The channel gets how many it ended, so
// a test can tell it provoked what it meant to.
func TerminatePostgres(t testing.TB, db *sql.DB, marker string, times int) <-chan int {
	done := make(chan int, 1)
	go func() {
		killed := 0
		deadline := time.Now().Add(30 * time.Second)
		for killed < times && time.Now().Before(deadline) {
			var n int
			err := db.QueryRow(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE state = 'active' AND pid <> pg_backend_pid() AND strpos(query, $1) > 0`, marker).Scan(&n)
			if err != nil {
				t.Errorf("terminating: %v", err)
				break
			}
			killed += n
			time.Sleep(20 * time.Millisecond)
		}
		done <- killed
	}()
	return done
}
