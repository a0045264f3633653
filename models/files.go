package models

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// MaxSourceSize bounds the text files weir reads (weir.hcl, models,
// tests): a larger one is refused rather than read into memory.
const MaxSourceSize = 16 << 20

// OpenFile opens the project file rel (slash-separated, relative to the
// project folder dir) for reading. It refuses what is not a regular file
// (a named pipe or a device would block weir or never end) and a symbolic
// link that leads outside the project folder (to /proc/self/environ, say,
// whose text an error would then print).
func OpenFile(dir, rel string) (*os.File, os.FileInfo, error) {
	full := filepath.Join(dir, filepath.FromSlash(rel))
	// One lstat answers both questions for the common case, a plain file;
	// only a link needs its target checked and stat'ed.
	fi, err := os.Lstat(full)
	if err != nil {
		return nil, nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		if err := checkInside(dir, full, rel); err != nil {
			return nil, nil, err
		}
		if fi, err = os.Stat(full); err != nil {
			return nil, nil, err
		}
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, notRegular(rel, fi)
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, nil, err
	}
	// Checked again on what was opened, in case the file was swapped.
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = notRegular(rel, fi)
		}
		return nil, nil, err
	}
	return f, fi, nil
}

// ReadFile reads the project file rel as OpenFile opens it, refusing one
// larger than MaxSourceSize.
func ReadFile(dir, rel string) ([]byte, error) {
	if data, ok := readPlain(filepath.Join(dir, filepath.FromSlash(rel))); ok {
		return data, nil
	}
	f, fi, err := OpenFile(dir, rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > MaxSourceSize {
		return nil, tooLarge(rel, fi.Size())
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSourceSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxSourceSize {
		return nil, tooLarge(rel, int64(len(data)))
	}
	return data, nil
}

// checkInside refuses a symbolic link full that leads outside dir. Its
// folders need no check: discovery does not enter linked folders.
func checkInside(dir, full, rel string) error {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return err
	}
	if r, err := filepath.Rel(root, real); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return fmt.Errorf("%s is a symbolic link to %s, outside the project folder; weir reads only files inside the project: copy the file in instead", rel, real)
	}
	return nil
}

// fileStart is the range of a file's first character, for errors about
// the whole file.
func fileStart(rel string) *hcl.Range {
	return &hcl.Range{Filename: rel, Start: hcl.InitialPos, End: hcl.InitialPos}
}

func notRegular(rel string, fi os.FileInfo) error {
	kind := "not a regular file"
	switch m := fi.Mode(); {
	case m&os.ModeNamedPipe != 0:
		kind = "a named pipe (FIFO)"
	case m&os.ModeDevice != 0:
		kind = "a device"
	case m&os.ModeSocket != 0:
		kind = "a socket"
	case m.IsDir():
		kind = "a folder"
	}
	return fmt.Errorf("%s is %s; weir reads only regular files: remove it or rename it so it does not end in %s", rel, kind, filepath.Ext(rel))
}

func tooLarge(rel string, size int64) error {
	return fmt.Errorf("%s is %.1f MiB; weir reads files of at most %d MiB: split it into smaller files", rel, float64(size)/(1<<20), MaxSourceSize>>20)
}
