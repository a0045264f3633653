// Package atomicfile replaces a file's content all at once: a reader (or
// another writer in the same process) sees the old content or the new,
// never a mix.
package atomicfile

import (
	"os"
	"path/filepath"
)

// Write writes data to path through a temporary file of its own in the
// same folder, renamed over path.
func Write(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
