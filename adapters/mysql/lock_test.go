package mysql

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/models"
)

// TestLock takes the build lock on one adapter: a second adapter is
// refused with the holder named, then gets it after the release; a lock
// whose connection the server kills reports itself lost.
func TestLock(t *testing.T) {
	server.Admin(t)
	open := func() *Adapter {
		a, err := Open(&models.Target{Name: "t", Adapter: "mysql", DSN: server.DSN(), Threads: 1}, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { a.Close() })
		return a.(*Adapter)
	}
	a, b := open(), open()
	ctx := context.Background()
	name := "lock-test-" + uniquePrefix(t)
	release, err := a.Lock(ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Lock(ctx, name, nil); err == nil || !strings.Contains(err.Error(), "server connection") {
		t.Fatalf("a second lock: %v; want a refusal naming the holder", err)
	}
	release()
	lost := make(chan error, 1)
	release, err = b.Lock(ctx, name, func(err error) { lost <- err })
	if err != nil {
		t.Fatalf("the lock after release: %v", err)
	}
	defer release()
	var id int64
	if err := server.Admin(t).QueryRow("SELECT ID FROM information_schema.PROCESSLIST WHERE ID = IS_USED_LOCK(?)", lockName(name)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if _, err := server.Admin(t).Exec("KILL CONNECTION ?", id); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-lost:
		if !strings.Contains(err.Error(), "lost the build lock") {
			t.Errorf("lost: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the lock's connection was killed and no loss was reported")
	}
}
