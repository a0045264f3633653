//go:build unix

package models

import "syscall"

// readPlain reads full when it is a plain file of at most MaxSourceSize,
// with one open (that refuses a link and does not wait on a pipe), one
// fstat and the reads of the size fstat gives, and nothing else: no lstat, no registration with
// Go's poller. ok is false for anything else (a link, a pipe, a missing
// or large file), which ReadFile then handles, with its checks and errors.
func readPlain(full string) (data []byte, ok bool) {
	fd, err := syscall.Open(full, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size > MaxSourceSize {
		return nil, false
	}
	data = make([]byte, 0, st.Size+1)
	for {
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil || n < 0 {
			return nil, false
		}
		if n == 0 {
			return data, true
		}
		data = data[:len(data)+n]
		// All fstat counted: done, without the read that finds the end
		// (10,000 system calls a load of 10,000 models). A size of 0 may
		// be a file whose size is not known in advance: read to the end.
		if int64(len(data)) == st.Size && st.Size > 0 {
			return data, true
		}
		if len(data) > MaxSourceSize {
			return nil, false
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}
