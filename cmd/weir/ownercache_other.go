//go:build !linux

package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// statOf is what a stamp keeps of fi: its modification time stands in
// for the change time, read on Linux only.
func statOf(fi os.FileInfo) fileStat {
	return fileStat{size: fi.Size(), mode: uint32(fi.Mode()), mtime: fi.ModTime().UnixNano(), ctime: fi.ModTime().UnixNano(), dir: fi.IsDir()}
}

// readDirStat lists the folder dir with each entry's stat. A link is
// stat'ed as what it points to, but a link to a folder is not one to
// descend into.
func readDirStat(dir string) ([]entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make([]entry, 0, len(des))
	for _, d := range des {
		e := entry{name: d.Name()}
		var fi os.FileInfo
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err = os.Stat(filepath.Join(dir, d.Name()))
		} else {
			fi, err = d.Info()
		}
		switch {
		case errors.Is(err, fs.ErrNotExist):
			e.missing = true
		case err != nil:
			return nil, err
		default:
			e.fileStat = statOf(fi)
			e.dir = fi.IsDir() && d.Type()&fs.ModeSymlink == 0
		}
		out = append(out, e)
	}
	return out, nil
}
