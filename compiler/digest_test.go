package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileDigest checks that the streamed digest of a seed equals the
// SHA-256 of its whole content, for files smaller and larger than one read.
func TestFileDigest(t *testing.T) {
	for _, size := range []int{0, 10, 32 * 1024, 1<<20 + 7} {
		data := []byte(strings.Repeat("id,name\n1,a\n", size/12+1)[:size])
		path := filepath.Join(t.TempDir(), "seed.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := fileDigest(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if want := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%d bytes: digest %s, want %s", size, got, want)
		}
	}
	// The digest of a known file does not change, so no seed looks edited.
	path := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(path, []byte("id\n1\n"), 0o644)
	if got, _ := fileDigest(path); got != "7cde7fb64fd82bd152710cf238e017b9ab46c0592483edc067ba4f6c75fac108" {
		t.Errorf("digest of a two-line seed changed: %s", got)
	}
	if _, err := fileDigest(filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Error("a missing seed gave no error")
	}
}
