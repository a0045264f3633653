package postgres

import (
	"context"
	"strings"
	"testing"

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
	release, err := first.Lock(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	_, err = second.Lock(ctx, name)
	if err == nil {
		t.Fatal("a second session took a held lock")
	}
	if !strings.Contains(err.Error(), "another weir process is building this target") || !strings.Contains(err.Error(), "weir (pid ") {
		t.Fatalf("the refusal does not name the holder: %v", err)
	}
	release()
	again, err := second.Lock(ctx, name)
	if err != nil {
		t.Fatalf("the lock was not released: %v", err)
	}
	again()
}
