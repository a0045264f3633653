package compiler

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/weir-sh/weir/internal/atomicfile"
	"github.com/weir-sh/weir/internal/par"
	"github.com/weir-sh/weir/models"
)

// ManifestVersion is bumped whenever the manifest format changes in a way
// readers must know about. The format is documented in docs/guide/manifest.md.
// Version 2 replaced compiled_path (a file per model) with compiled_sql.
const ManifestVersion = 2

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
	CodeHash   string `json:"code_hash,omitempty"`
	BodyHash   string `json:"body_hash,omitempty"`
	ConfigHash string `json:"config_hash,omitempty"`
	// CompiledSQL is the model's SQL with its references pointed at
	// physical names (ephemeral parents inlined): what runs.
	CompiledSQL string `json:"compiled_sql,omitempty"`
	// Command is a command node's program and arguments.
	Command []string `json:"command,omitempty"`
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
	ids := sortedKeys(r.Nodes)
	if len(ids) > 0 { // a project of no nodes has "nodes": null, as always
		m.Nodes = make([]ManifestEntry, len(ids))
	}
	par.For(len(ids), func(i int) {
		n := r.Nodes[ids[i]]
		e := &m.Nodes[i]
		*e = ManifestEntry{
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
			e.CompiledSQL = n.SQL
		case n.Seed != nil:
			e.Description, e.Columns = n.Seed.Description, manifestColumns(n.Seed.Columns)
		case n.Source != nil:
			e.Description, e.Columns = n.Source.Description, manifestColumns(n.Source.Columns)
		case n.Kind == models.KindCommand:
			e.Description, e.Command = n.Script.Description, n.Script.Command
		}
	})
	return m
}

func manifestColumns(cs []models.Column) []ManifestColumn {
	var out []ManifestColumn
	for _, c := range cs {
		out = append(out, ManifestColumn{Name: c.Name, Type: c.Type, Description: c.Description})
	}
	return out
}

// WriteArtifacts writes target/manifest.json under dir (the project's
// target folder), and not at all when its content is unchanged. The
// compiled SQL of each model is in the manifest (compiled_sql): one file
// rather than one per model, which cost most of a cold compile of 10,000
// models (docs/benchmarks.md). A compiled/ folder an older weir wrote is
// removed, so no stale SQL is left to read.
func (r *Result) WriteArtifacts(dir string) error {
	m := r.Manifest()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(dir, "compiled")); err != nil {
		return err
	}
	write := func(out func([]byte) error) error {
		if err := writeManifestJSON(m, out); err != nil {
			return err
		}
		return out([]byte{'\n'})
	}
	path := filepath.Join(dir, "manifest.json")
	if sameContent(path, write) {
		return nil
	}
	return atomicfile.WriteFunc(path, func(f io.Writer) error {
		return write(func(p []byte) error {
			_, err := f.Write(p)
			return err
		})
	})
}

// errDiffers stops a comparison at the first difference.
var errDiffers = errors.New("differs")

// sameContent reports whether the file at path holds what write writes
// (not when it cannot be read), reading it as write goes, so that
// neither is held whole in memory.
func sameContent(path string, write func(out func([]byte) error) error) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	var old []byte
	err = write(func(p []byte) error {
		if cap(old) < len(p) {
			old = make([]byte, len(p))
		}
		old = old[:len(p)]
		if _, err := io.ReadFull(r, old); err != nil || !bytes.Equal(old, p) {
			return errDiffers
		}
		return nil
	})
	if err != nil {
		return false
	}
	_, err = r.ReadByte()
	return err == io.EOF
}
