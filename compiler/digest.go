package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
)

// fileDigest is the hex SHA-256 of a file's content, read in a stream so
// that hashing a seed of any size takes a buffer's worth of memory.
func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
