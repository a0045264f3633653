package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// gitignoreLines keep out of git what weir writes: the artifacts, rebuilt
// by every command, and DuckDB warehouse files with their write-ahead logs.
var gitignoreLines = []string{"target/", "*.duckdb", "*.duckdb.wal"}

// addGitignore writes a .gitignore at path, or appends to an existing one
// the lines it lacks, changing none of its own.
func addGitignore(out io.Writer, path string) error {
	old, err := os.ReadFile(path)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	have := map[string]bool{}
	for _, l := range strings.Split(string(old), "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var missing []string
	for _, l := range gitignoreLines {
		if !have[l] {
			missing = append(missing, l)
		}
	}
	if len(missing) == 0 {
		fmt.Fprintln(out, "kept     .gitignore")
		return nil
	}
	var b strings.Builder
	if len(old) > 0 && !strings.HasSuffix(string(old), "\n") {
		b.WriteString("\n")
	}
	b.WriteString("# weir: artifacts, and DuckDB warehouse files\n" + strings.Join(missing, "\n") + "\n")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if !existed {
		fmt.Fprintln(out, "created  .gitignore")
	} else {
		fmt.Fprintf(out, "updated  .gitignore (added %s)\n", strings.Join(missing, ", "))
	}
	return nil
}
