package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// digestInputs hashes the content of the local files n reads (its own SQL
// and its incremental variant's) into n.inputDigest, and lists them in
// n.Inputs, so that a changed file makes the model stale. A relative path
// is read from the project folder, where the DuckDB adapter points
// DuckDB's file_search_path. A glob is expanded; URLs (s3://, https://…)
// and ** globs are not read. A file that cannot be read is an error at
// the string that names it.
func (r *Result) digestInputs(n *Node) hcl.Diagnostics {
	files := n.files
	if n.variant != nil {
		files = append(slices.Clip(files), n.variant.files...)
	}
	h := sha256.New()
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Path] || !localPath(f.Path) {
			continue
		}
		seen[f.Path] = true
		n.Inputs = append(n.Inputs, f.Path)
		if err := r.hashInput(h, f.Path); err != nil {
			rng := n.sqlRange(f.Offset, f.Length)
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Cannot read input file " + f.Path,
				Detail: fmt.Sprintf("%v. weir hashes each file a model reads, so that a changed file makes it stale; relative paths are read from the project folder (%s). Create the file or fix the path.",
					err, r.Project.Dir),
				Subject: &rng,
			})
		}
	}
	if len(n.Inputs) > 0 && !diags.HasErrors() {
		n.inputDigest = hex.EncodeToString(h.Sum(nil))
	}
	return diags
}

// hashInput writes the name and content digest of each file path names
// (a glob names them all, in order) to h.
func (r *Result) hashInput(h io.Writer, path string) error {
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(r.Project.Dir, path)
	}
	matches := []string{full}
	if strings.ContainsAny(path, "*?[") {
		var err error
		if matches, err = filepath.Glob(full); err != nil {
			return err
		}
		if len(matches) == 0 {
			return fmt.Errorf("no file matches the pattern")
		}
	}
	for _, m := range matches {
		// Only regular files: reading a FIFO or a device would hang or
		// never end.
		if fi, err := os.Stat(m); err != nil {
			return err
		} else if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", m)
		}
		digest, err := fileDigest(m)
		if err != nil {
			return err
		}
		// Relative names, so that moving the project keeps fingerprints.
		name := m
		if rel, err := filepath.Rel(r.Project.Dir, m); err == nil && !filepath.IsAbs(path) {
			name = filepath.ToSlash(rel)
		}
		fmt.Fprintf(h, "%s\x00%s\x00", name, digest)
	}
	return nil
}

// localPath reports whether path names files weir can read: not a URL
// (s3://, https://, …) and not a ** glob, which Go's matcher lacks.
func localPath(path string) bool {
	return !strings.Contains(path, "://") && !strings.Contains(path, "**")
}
