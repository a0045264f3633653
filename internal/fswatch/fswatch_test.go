package fswatch

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func next(t *testing.T, out chan Batch) []string {
	t.Helper()
	select {
	case b := <-out:
		return b.Paths
	case <-time.After(10 * time.Second):
		t.Fatal("no batch")
	}
	return nil
}

// writer writes files under root, relative to it, making their folders.
func writer(t *testing.T, root string) func(rel, body string) {
	return func(rel, body string) {
		t.Helper()
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSaveBurstsAndNewFolders saves files the ways editors do and adds
// folders: each save is one batch naming the file, scratch files are left
// out, and files of a new folder, and of a folder created later, count.
func TestSaveBurstsAndNewFolders(t *testing.T) {
	root := t.TempDir()
	write := writer(t, root)
	write("weir.hcl", "x")
	write("models/s/a.sql", "SELECT 1")
	write("target/x", "")
	w, err := New(root, []string{"weir.hcl"}, []string{"models", "macros"}, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Batch)
	go w.Run(ctx, out, nil)

	// vim: a write test, a backup by rename, the new file, chmod, the
	// backup removed, with a swap file around.
	a := filepath.Join(root, "models/s/a.sql")
	write("models/s/4913", "")
	os.Remove(filepath.Join(root, "models/s/4913"))
	write("models/s/.a.sql.swp", "swap")
	os.Rename(a, a+"~")
	write("models/s/a.sql", "SELECT 2")
	os.Chmod(a, 0o644)
	os.Remove(a + "~")
	if got := next(t, out); !slices.Equal(got, []string{"models/s/a.sql"}) {
		t.Fatalf("vim's save: %v", got)
	}

	// A new folder with a file, written at once.
	write("models/new/deep/b.sql", "SELECT 3")
	got := next(t, out)
	if !slices.Contains(got, "models/new/deep/b.sql") {
		t.Fatalf("new folder: %v", got)
	}
	write("models/new/deep/c.sql", "SELECT 4") // the new folder is watched
	if got := next(t, out); !slices.Equal(got, []string{"models/new/deep/c.sql"}) {
		t.Fatalf("a file in the new folder: %v", got)
	}

	// Not watched: target/; watched: weir.hcl, and macros/ once created.
	write("target/y", "")
	write("warehouse.duckdb.wal", "")
	write("macros/m.sql", "x")
	if got := next(t, out); !slices.Contains(got, "macros/m.sql") || slices.Contains(got, "target/y") || slices.Contains(got, "warehouse.duckdb.wal") {
		t.Fatalf("macros created: %v", got)
	}
	write("weir.hcl", "y")
	os.Remove(filepath.Join(root, "models/s/a.sql"))
	if got := next(t, out); !slices.Equal(got, []string{"models/s/a.sql", "weir.hcl"}) {
		t.Fatalf("edit and delete: %v", got)
	}
}

// TestAlso watches paths besides the folders: a glob in a folder created
// later, a file outside the root, a folder whole, and a file in a folder
// watched whole that Keep leaves out; other files of their folders do not
// count.
func TestAlso(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	write := func(p, body string) {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outside, "x.csv"), "a")
	write(filepath.Join(root, "scripts/lib/l.py"), "a")
	w, err := New(root, nil, []string{"scripts"}, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.Keep = func(rel string) bool { return filepath.Ext(rel) == ".hcl" }
	w.Also([]string{filepath.Join(root, "data/in/*.csv"), filepath.Join(outside, "x.csv"), filepath.Join(root, "scripts/s.sh"), filepath.Join(root, "scripts/lib")})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Batch)
	go w.Run(ctx, out, nil)

	write(filepath.Join(root, "data/in/a.csv"), "a") // data/ created
	write(filepath.Join(root, "data/in/a.txt"), "a")
	write(filepath.Join(outside, "y.csv"), "a")
	if got := next(t, out); !slices.Contains(got, "data/in/a.csv") || slices.Contains(got, "data/in/a.txt") {
		t.Fatalf("a glob's folder created: %v", got)
	}
	write(filepath.Join(root, "data/in/b.csv"), "a")
	write(filepath.Join(outside, "x.csv"), "b")
	write(filepath.Join(root, "scripts/s.sh"), "a")
	write(filepath.Join(root, "scripts/other.sh"), "a")
	write(filepath.Join(root, "scripts/lib/l.py"), "b")
	want := []string{filepath.ToSlash(filepath.Join(outside, "x.csv")), "data/in/b.csv", "scripts/lib/l.py", "scripts/s.sh"}
	slices.Sort(want)
	if got := next(t, out); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestIgnore lists, as a script's files might, a folder holding a
// database file and its log, and target/: what is written to those never
// counts, other files of the folder do, and so does a file under an
// ignored folder that Also names exactly.
func TestIgnore(t *testing.T) {
	root := t.TempDir()
	write := writer(t, root)
	write("data/w.duckdb", "")
	write("target/cache/x", "")
	w, err := New(root, nil, nil, 30*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	db, target := filepath.Join(root, "data/w.duckdb"), filepath.Join(root, "target")
	w.Ignore([]string{db, db + ".wal", db + ".tmp", target})
	w.Also([]string{filepath.Join(root, "data"), target, filepath.Join(root, "data/*"), filepath.Join(target, "out.csv")})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan Batch)
	go w.Run(ctx, out, nil)

	write("data/w.duckdb", "a")
	write("data/w.duckdb.wal", "a")
	write("data/w.duckdb.tmp/spill", "a")
	write("target/manifest.json", "a")
	write("target/cache/x", "a")
	write("target/out.csv", "a")
	write("data/n.csv", "a")
	if got := next(t, out); !slices.Equal(got, []string{"data/n.csv", "target/out.csv"}) {
		t.Fatalf("got %v", got)
	}
}

func TestScratch(t *testing.T) {
	for name, want := range map[string]bool{
		"a.sql": false, "4913": true, ".a.sql.swp": true, "a.sql~": true, ".#a.sql": true, "a.sql.tmp": true, "weir.hcl": false, "orders.csv": false,
	} {
		if Scratch("models/x/"+name) != want {
			t.Errorf("Scratch(%q) = %v", name, !want)
		}
	}
}
