// Package gobcache keeps computed values by key in a gob file between
// runs (the parse caches under target/cache). A run keeps the entries it
// used; saving drops the others, and writes through a temporary file so a
// crash never leaves a torn cache. A missing, damaged or older cache is
// only a slower run.
package gobcache

import (
	"encoding/gob"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// Cache maps keys to values of type V. Safe for concurrent use.
type Cache[V any] struct {
	path, version string
	mu            sync.Mutex
	old, used     map[string]V
	hits, misses  int
}

// Load reads the cache at path written with the same version string; any
// other file gives an empty cache. An empty path keeps nothing on disk.
func Load[V any](path, version string) *Cache[V] {
	c := &Cache[V]{path: path, version: version, old: map[string]V{}, used: map[string]V{}}
	if path == "" {
		return c
	}
	f, err := os.Open(path)
	if err != nil {
		return c
	}
	defer f.Close()
	var v string
	dec := gob.NewDecoder(f)
	if dec.Decode(&v) != nil || v != version || dec.Decode(&c.old) != nil {
		c.old = map[string]V{}
	}
	return c
}

// Get returns the value kept for key, or computes it. An error from
// compute is returned and nothing is kept.
func (c *Cache[V]) Get(key string, compute func() (V, error)) (V, error) {
	c.mu.Lock()
	v, ok := c.old[key]
	if ok {
		c.hits++
		c.used[key] = v
	}
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	c.misses++
	c.used[key] = v
	c.mu.Unlock()
	return v, nil
}

// Stats returns how many values were found and how many computed.
func (c *Cache[V]) Stats() (hits, misses int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses
}

// Save writes the entries used since Load, when they differ from those
// loaded.
func (c *Cache[V]) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.path == "" || c.misses == 0 && len(c.used) == len(c.old) {
		return nil
	}
	return writeAtomic(c.path, func(w io.Writer) error {
		enc := gob.NewEncoder(w)
		if err := enc.Encode(c.version); err != nil {
			return err
		}
		return enc.Encode(c.used)
	})
}

// writeAtomic writes path through a temporary file beside it.
func writeAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
