package main

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// statOf is what a stamp keeps of fi.
func statOf(fi os.FileInfo) fileStat {
	fs := fileStat{size: fi.Size(), mode: uint32(fi.Mode()), mtime: fi.ModTime().UnixNano(), ctime: fi.ModTime().UnixNano(), dir: fi.IsDir()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		fs.ctime, fs.ino = st.Ctim.Nano(), st.Ino
	}
	return fs
}

// readDirStat lists the folder dir with each entry's stat, in no
// particular order: one fstatat per entry relative to the open folder,
// without resolving its path again (a third less than lstat of each
// path). A link is stat'ed as what it points to, but a link to a folder
// is not one to descend into.
func readDirStat(dir string) ([]entry, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	out := make([]entry, 0, len(names))
	var st unix.Stat_t
	for _, name := range names {
		e := entry{name: name}
		err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
			if err = unix.Fstatat(fd, name, &st, 0); err == nil && st.Mode&unix.S_IFMT == unix.S_IFDIR {
				st.Mode = unix.S_IFLNK // not a folder to walk: its name and times
			}
		}
		switch {
		case err == unix.ENOENT:
			e.missing = true
		case err != nil:
			return nil, &os.PathError{Op: "fstatat", Path: dir + "/" + name, Err: err}
		default:
			e.fileStat = fileStat{size: st.Size, mode: st.Mode, mtime: st.Mtim.Nano(), ctime: st.Ctim.Nano(), ino: st.Ino, dir: st.Mode&unix.S_IFMT == unix.S_IFDIR}
		}
		out = append(out, e)
	}
	return out, nil
}
