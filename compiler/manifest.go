package compiler

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/weir-sh/weir/models"
)

// ManifestVersion is bumped whenever the manifest format changes in a way
// readers must know about. The format is documented in docs/manifest.md.
const ManifestVersion = 1

// Manifest is target/manifest.json: every node of the project with its
// dependencies, for CI and the docs site. It holds no timestamps, so an
// unchanged project yields the same bytes.
type Manifest struct {
	Version int             `json:"manifest_version"`
	Project string          `json:"project"`
	Target  string          `json:"target"`
	Adapter string          `json:"adapter"`
	Nodes   []ManifestEntry `json:"nodes"`
	// Tests are the project's data tests, when they were collected.
	Tests []ManifestTest `json:"tests"`
}

// ManifestTest is one data test in the manifest.
type ManifestTest struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind"`             // not_null, unique, …, or singular
	Node      string   `json:"node,omitempty"`   // the node it is declared on
	Column    string   `json:"column,omitempty"` // the column it is declared on
	Severity  string   `json:"severity"`
	DependsOn []string `json:"depends_on"`
	Path      string   `json:"path,omitempty"` // "file:line" of the declaration
}

// ManifestEntry is one node in the manifest.
type ManifestEntry struct {
	Name         string           `json:"name"`
	Kind         string           `json:"kind"`
	Path         string           `json:"path,omitempty"`
	Materialized string           `json:"materialized,omitempty"`
	Relation     string           `json:"relation,omitempty"`
	DependsOn    []string         `json:"depends_on"`
	Description  string           `json:"description,omitempty"`
	Tags         []string         `json:"tags,omitempty"`
	Columns      []ManifestColumn `json:"columns,omitempty"`
	Fingerprint  string           `json:"fingerprint,omitempty"`
	// CodeHash, BodyHash and ConfigHash let a later run compare with this
	// one (--state DIR): see Node.
	CodeHash     string `json:"code_hash,omitempty"`
	BodyHash     string `json:"body_hash,omitempty"`
	ConfigHash   string `json:"config_hash,omitempty"`
	CompiledPath string `json:"compiled_path,omitempty"`
	// Macros are the macro files the model reached (see Node.Macros).
	Macros []string `json:"macros,omitempty"`
}

// ManifestColumn documents one column.
type ManifestColumn struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
}

// Manifest describes the compiled project, nodes sorted by name.
func (r *Result) Manifest() *Manifest {
	m := &Manifest{Version: ManifestVersion, Project: r.Project.Name, Target: r.Target.Name, Adapter: r.Target.Adapter,
		Tests: append([]ManifestTest{}, r.Tests...)}
	for _, id := range sortedKeys(r.Nodes) {
		n := r.Nodes[id]
		e := ManifestEntry{
			Name: n.ID, Kind: n.Kind, Path: n.Path, Materialized: n.Materialized,
			DependsOn: append([]string{}, n.DependsOn...), Fingerprint: n.Fingerprint,
			CodeHash: n.CodeHash, BodyHash: n.BodyHash, ConfigHash: n.ConfigHash,
		}
		if n.Relation.Name != "" {
			e.Relation = n.Relation.String()
		}
		switch {
		case n.Model != nil:
			e.Description, e.Tags = n.Model.Config.Description, n.Model.Config.Tags
			e.Columns = manifestColumns(n.Model.Config.Columns)
			e.Macros = n.Macros
			if n.SQL != "" {
				e.CompiledPath = filepath.ToSlash(compiledPath(n))
			}
		case n.Seed != nil:
			e.Description, e.Columns = n.Seed.Description, manifestColumns(n.Seed.Columns)
		case n.Source != nil:
			e.Description, e.Columns = n.Source.Description, manifestColumns(n.Source.Columns)
		}
		m.Nodes = append(m.Nodes, e)
	}
	return m
}

func manifestColumns(cs []models.Column) []ManifestColumn {
	var out []ManifestColumn
	for _, c := range cs {
		out = append(out, ManifestColumn{Name: c.Name, Type: c.Type, Description: c.Description})
	}
	return out
}

// compiledPath is where a model's compiled SQL is written, relative to
// target/: compiled/<schema>/<name>.sql.
func compiledPath(n *Node) string {
	return filepath.Join("compiled", n.Model.Schema, n.Name+".sql")
}

// WriteArtifacts writes target/manifest.json and target/compiled/**.sql
// under dir (the project's target folder). Compiled files are written in
// parallel and only when their content changed.
func (r *Result) WriteArtifacts(dir string) error {
	data, err := json.MarshalIndent(r.Manifest(), "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	manifest := filepath.Join(dir, "manifest.json")
	// The manifest holds every node's relation and fingerprint, which
	// determine its compiled SQL: when it is unchanged and the compiled
	// folder is there, so are the files in it.
	if old, err := os.ReadFile(manifest); err == nil && string(old) == string(data) {
		if _, err := os.Stat(filepath.Join(dir, "compiled")); err == nil {
			return nil
		}
	}
	var files []*Node
	dirs := map[string]bool{}
	for _, n := range r.Nodes {
		if n.Model != nil && n.SQL != "" {
			if !filepath.IsLocal(compiledPath(n)) { // names are plain identifiers (models/names.go)
				return fmt.Errorf("refusing to write %s: it is outside %s", compiledPath(n), dir)
			}
			files = append(files, n)
			dirs[filepath.Join(dir, filepath.Dir(compiledPath(n)))] = true
		}
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
		work     = make(chan *Node)
	)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range work {
				if err := writeIfChanged(filepath.Join(dir, compiledPath(n)), []byte(n.SQL+"\n"), false); err != nil {
					errOnce.Do(func() { firstErr = err })
				}
			}
		}()
	}
	for _, n := range files {
		work <- n
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return writeIfChanged(manifest, data, true)
}

// writeIfChanged writes data to path, and not at all when its content is
// already data (which keeps 10,000-model compiles quiet on disk). Files
// that readers may load while weir runs (the manifest) are replaced
// atomically through a temporary file.
func writeIfChanged(path string, data []byte, atomic bool) error {
	if old, err := os.ReadFile(path); err == nil && string(old) == string(data) {
		return nil
	}
	if !atomic {
		return os.WriteFile(path, data, 0o644)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
