package main

import (
	"os"
	"syscall"
	"time"
)

// fileTimes are a file's modification and change times and its inode:
// a change time cannot be set back, as a modification time can (tar, rsync -a).
func fileTimes(fi os.FileInfo) (mtime, ctime time.Time, ino uint64) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fi.ModTime(), fi.ModTime(), 0
	}
	return fi.ModTime(), time.Unix(st.Ctim.Sec, st.Ctim.Nsec), st.Ino
}
