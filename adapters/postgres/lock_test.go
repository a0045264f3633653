package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/adapters"
)

var _ adapters.Locker = (*Adapter)(nil)

// TestLockRefusesSecondHolder takes the build lock on one pool and checks
// that a second pool is refused with the holder named, and that the lock
// is free again once released.
func TestLockRefusesSecondHolder(t *testing.T) {
	ctx := context.Background()
	first, second := openTest(t, 1), openTest(t, 1)
	name := "weir build " + t.Name()
	release, err := first.Lock(ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = second.Lock(ctx, name, nil)
	if err == nil {
		t.Fatal("a second session took a held lock")
	}
	if !strings.Contains(err.Error(), "another weir process is building this target") || !strings.Contains(err.Error(), "weir (pid ") {
		t.Fatalf("the refusal does not name the holder: %v", err)
	}
	release()
	again, err := second.Lock(ctx, name, nil)
	if err != nil {
		t.Fatalf("the lock was not released: %v", err)
	}
	again()
}

// TestLockLostWhenConnectionDies kills the connection that holds the
// build lock: the holder is told it lost the lock, with a reason, and
// another session can then take it.
func TestLockLostWhenConnectionDies(t *testing.T) {
	ctx := context.Background()
	first, second := openTest(t, 1), openTest(t, 1)
	name := "weir build " + t.Name()
	lost := make(chan error, 2)
	release, err := first.Lock(ctx, name, func(err error) { lost <- err })
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	killLockHolder(t, name)
	select {
	case err := <-lost:
		if !strings.Contains(err.Error(), "lost the build lock") || !strings.Contains(err.Error(), "run it again") {
			t.Fatalf("the loss is not explained: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the holder was never told that its lock was lost")
	}
	again, err := second.Lock(ctx, name, nil)
	if err != nil {
		t.Fatalf("the lost lock cannot be taken again: %v", err)
	}
	again()
	release()
	if len(lost) > 0 {
		t.Fatalf("lost was called again: %v", <-lost)
	}
}

// killLockHolder terminates the server session holding the build lock
// named name.
func killLockHolder(t *testing.T, name string) {
	t.Helper()
	var killed int
	err := server.Admin(t).QueryRowContext(context.Background(), fmt.Sprintf(`SELECT count(pg_terminate_backend(l.pid))
FROM pg_locks l, (SELECT %d, hashtext($1)) AS k(a, b)
WHERE l.locktype = 'advisory' AND l.granted AND l.classid = k.a::oid AND l.objid = k.b::oid AND l.objsubid = 2`, lockSpace), name).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminating the lock's session: %d sessions, %v", killed, err)
	}
}
