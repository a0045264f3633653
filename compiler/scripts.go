package compiler

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// maxScriptFiles bounds the files hashed for one command node (a folder
// its command names, say), so naming a huge folder fails clearly.
const maxScriptFiles = 1000

// collectScripts adds a node for each script and one for each table it
// writes, whose parent it is.
func (r *Result) collectScripts(add func(*Node)) {
	for _, s := range r.Project.Scripts {
		add(&Node{ID: s.ID(), Name: s.Name, Kind: models.KindCommand, Script: s, Path: s.Path,
			Materialized: models.KindCommand, Diags: s.Diags})
		for _, out := range s.Outputs {
			schema, name, _ := strings.Cut(out, ".")
			add(&Node{ID: out, Name: name, Kind: models.KindOutput, Script: s, Path: s.Path, Materialized: models.MatTable,
				Relation: adapters.Relation{Schema: r.Target.SchemaPrefix + schema, Name: name}, DependsOn: []string{s.ID()}})
		}
	}
}

// resolveScript makes a command node's inputs its parents.
func (r *Result) resolveScript(n *Node, ix *index) hcl.Diagnostics {
	var diags hcl.Diagnostics
	parents := map[string]bool{}
	for _, in := range n.Script.Inputs {
		schema, name, _ := strings.Cut(in, ".")
		target, _ := ix.lookup("", schema, name)
		if target == nil {
			diags = append(diags, unknownDiag(ix, in, "inputs of "+n.ID, n.Script.InputsRange))
			continue
		}
		parents[target.ID] = true
	}
	for id := range parents {
		n.DependsOn = append(n.DependsOn, id)
	}
	sort.Strings(n.DependsOn)
	return diags
}

// digestScript hashes what a command node runs: its script file, its
// command, and the content of every file inside the project its command
// names (a folder: every file in it but what a build writes) or its
// files setting lists.
func (r *Result) digestScript(n *Node) hcl.Diagnostics {
	s := n.Script
	h := sha256.New()
	fmt.Fprintf(h, "%q\x00", s.Command)
	paths := []string{s.Path}
	for _, arg := range s.Command {
		if p := r.projectPath(arg); p != "" {
			paths = append(paths, p)
		}
	}
	var diags hcl.Diagnostics
	for _, f := range s.Files {
		p := r.projectPath(f)
		if p == "" {
			rng := s.DeclRange
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing script file",
				Detail: fmt.Sprintf("files = [%q]: no such file or folder inside the project.", f), Subject: &rng})
			continue
		}
		paths = append(paths, p)
	}
	files, err := expand(r.Project.Dir, paths, r.buildWrites())
	if err == nil {
		for _, rel := range files {
			var d string
			if d, err = fileDigest(filepath.Join(r.Project.Dir, rel)); err != nil {
				break
			}
			fmt.Fprintf(h, "%s=%s\x00", rel, d)
		}
	}
	if err != nil {
		rng := s.DeclRange
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read the script's files", Detail: err.Error(), Subject: &rng})
	}
	n.scriptDigest = hex.EncodeToString(h.Sum(nil))
	return diags
}

// projectPath is arg as a slash path relative to the project folder when
// it names a file or folder inside it, else "".
func (r *Result) projectPath(arg string) string {
	if arg == "" || strings.HasPrefix(arg, "-") || filepath.IsAbs(arg) {
		return ""
	}
	clean := filepath.Clean(arg)
	if clean == "." || strings.HasPrefix(clean, "..") {
		return ""
	}
	if _, err := os.Stat(filepath.Join(r.Project.Dir, clean)); err != nil {
		return ""
	}
	return filepath.ToSlash(clean)
}

// buildWrites reports whether rel (a slash path in the project) is what
// a build writes: target/, and the warehouse file with its log and spill
// folder (the paths that start with its name). Hashed as a script's
// files, they would make it stale after every build.
func (r *Result) buildWrites() func(rel string) bool {
	file := ""
	if r.Target != nil {
		file = adapters.FileOf(r.Target, r.Project.Dir)
	}
	return func(rel string) bool {
		if rel == "target" || strings.HasPrefix(rel, "target/") {
			return true
		}
		return file != "" && strings.HasPrefix(filepath.Join(r.Project.Dir, filepath.FromSlash(rel)), file)
	}
}

// expand lists the regular files of paths (folders walked, hidden
// entries and what skip says left out, but the paths themselves),
// sorted and without repeats.
func expand(dir string, paths []string, skip func(rel string) bool) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		err := filepath.WalkDir(filepath.Join(dir, p), func(full string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, full)
			rel = filepath.ToSlash(rel)
			if rel != p && (strings.HasPrefix(d.Name(), ".") || skip(rel)) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && !seen[rel] {
				seen[rel] = true
				out = append(out, rel)
			}
			if len(out) > maxScriptFiles {
				return fmt.Errorf("%s holds more than %d files; name the files the command needs in files = [...]", p, maxScriptFiles)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}
