//go:build unix

package models

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestReadFileRefusesFIFOWithoutBlocking(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.sql"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ReadFile(dir, "pipe.sql")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "named pipe") {
			t.Fatalf("ReadFile of a FIFO: %v, want a named pipe error", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("ReadFile blocked on a FIFO with no writer")
	}
}

func TestReadFileRefusesLargeFiles(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.sql"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxSourceSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	_, err = ReadFile(dir, "big.sql")
	if err == nil || !strings.Contains(err.Error(), "at most 16 MiB") {
		t.Fatalf("ReadFile of a file over the bound: %v", err)
	}
	if err := os.Truncate(filepath.Join(dir, "big.sql"), MaxSourceSize); err != nil {
		t.Fatal(err)
	}
	if data, err := ReadFile(dir, "big.sql"); err != nil || len(data) != MaxSourceSize {
		t.Fatalf("ReadFile of a file at the bound: %d bytes, %v", len(data), err)
	}
}

func TestReadFileFollowsLinksOnlyInsideTheProject(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.sql"), []byte("SELECT 'secret'"), 0o644)
	os.WriteFile(filepath.Join(dir, "real.sql"), []byte("SELECT 1"), 0o644)
	os.Symlink(filepath.Join(outside, "secret.sql"), filepath.Join(dir, "out.sql"))
	os.Symlink("real.sql", filepath.Join(dir, "in.sql"))
	if _, err := ReadFile(dir, "out.sql"); err == nil || !strings.Contains(err.Error(), "outside the project folder") {
		t.Fatalf("link outside: %v", err)
	}
	if data, err := ReadFile(dir, "in.sql"); err != nil || string(data) != "SELECT 1" {
		t.Fatalf("link inside: %q, %v", data, err)
	}
}

// TestReadFileSizes: a file reads whole whatever its size, from empty to
// past one read's worth.
func TestReadFileSizes(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 4095, 4096, 4097, 300_000} {
		want := bytes.Repeat([]byte("select 1;\n"), size/10+1)[:size]
		name := fmt.Sprintf("f%d.sql", size)
		if err := os.WriteFile(filepath.Join(dir, name), want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFile(dir, name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("size %d: read %d bytes, %v", size, len(got), err)
		}
	}
}
