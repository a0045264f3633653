package gobcache

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "c.gob")
	c := Load[[]string](path, "v1")
	calls := 0
	compute := func() ([]string, error) { calls++; return []string{"a", "b"}, nil }
	if _, err := c.Get("k", compute); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Get("bad", func() ([]string, error) { return nil, errors.New("no") }); err == nil {
		t.Fatal("error not returned")
	}
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}

	c = Load[[]string](path, "v1")
	v, _ := c.Get("k", compute)
	if hits, misses := c.Stats(); calls != 1 || hits != 1 || misses != 0 || len(v) != 2 || v[1] != "b" {
		t.Errorf("after reload: %v, %d calls, %d hits, %d misses; want the saved value", v, calls, hits, misses)
	}
	if _, err := c.Get("bad", compute); err != nil || calls != 2 {
		t.Errorf("an error was kept: %v, %d calls", err, calls)
	}

	// Another version or a damaged file is an empty cache.
	if c := Load[[]string](path, "v2"); len(c.old) != 0 {
		t.Errorf("version v2 read v1's entries")
	}
	if err := os.WriteFile(path, []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	if c := Load[[]string](path, "v1"); len(c.old) != 0 {
		t.Errorf("a damaged file gave entries")
	}
}
