package owner

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// maxSocketPath is the longest unix socket path used as is: the kernel
// holds 108 bytes on Linux and 104 on macOS, the terminating NUL included.
const maxSocketPath = 100

// SocketPath is where the owner of the warehouse file at file listens:
// beside it, as FILE.sock, or, when that path is too long for a unix
// socket, under os.TempDir() with a name hashed from the file's absolute
// path. The owner and its clients compute the same path.
func SocketPath(file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		abs = file
	}
	if p := abs + ".sock"; len(p) <= maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "weir-"+hex.EncodeToString(sum[:8])+".sock")
}
