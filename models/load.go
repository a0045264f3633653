package models

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/internal/par"
)

// FindProject returns the nearest folder at or above dir holding weir.hcl.
func FindProject(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ConfigFile)); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no %s in %s or any folder above it; run `weir init` to create one, or pass --project DIR", ConfigFile, abs)
		}
	}
}

// Load reads the project in dir: weir.hcl, macros/**/*.sql, models/**/*.sql and
// seeds/**/*.csv. It reports every problem it finds, not just the first;
// the Project is usable for display even when diags has errors.
func Load(dir string) (*Project, hcl.Diagnostics) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad project folder", Detail: err.Error()}}
	}
	p := &Project{Dir: abs, Files: map[string]*hcl.File{}}
	src, err := ReadFile(abs, ConfigFile)
	if err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Cannot read " + ConfigFile,
			Detail: fmt.Sprintf("%v; run `weir init` to create one.", err),
		}}
	}
	p.Files[ConfigFile] = &hcl.File{Bytes: src}
	seeds, diags := decodeProjectFile(p, src, ConfigFile)
	if p.DefaultSchema == "" {
		p.DefaultSchema = "main"
	}
	diags = append(diags, p.loadMacros()...)
	diags = append(diags, p.loadModels()...)
	diags = append(diags, p.loadSeeds(seeds)...)
	diags = append(diags, p.loadScripts()...)
	diags = append(diags, p.loadTests()...)
	diags = append(diags, p.checkNames()...)
	diags = append(diags, p.checkColumnTypes()...)
	return p, diags
}

// LoadConfig reads weir.hcl in dir alone, without the models, seeds and
// tests: enough to find the targets, cheaply, on a project of any size.
func LoadConfig(dir string) (*Project, hcl.Diagnostics) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Bad project folder", Detail: err.Error()}}
	}
	src, err := ReadFile(abs, ConfigFile)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read " + ConfigFile, Detail: err.Error()}}
	}
	p := &Project{Dir: abs, Files: map[string]*hcl.File{ConfigFile: {Bytes: src}}}
	_, diags := decodeProjectFile(p, src, ConfigFile)
	return p, diags
}

// walkFiles lists the files under p.Dir/root with the given extension,
// relative to p.Dir and sorted, skipping hidden files and folders.
func (p *Project) walkFiles(root, ext string) ([]string, error) {
	var out []string
	base := p.Dir + string(filepath.Separator)
	err := filepath.WalkDir(filepath.Join(p.Dir, root), func(full string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && full != filepath.Join(p.Dir, root) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(full), ext) {
			// The walk joins names to p.Dir (clean, absolute): cutting it
			// is filepath.Rel without its cost, 10,000 times.
			rel, ok := strings.CutPrefix(full, base)
			if !ok {
				rel, _ = filepath.Rel(p.Dir, full)
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

func (p *Project) loadModels() hcl.Diagnostics {
	files, err := p.walkFiles("models", ".sql")
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list models", Detail: err.Error()}}
	}
	// Files are read and their headers decoded on every core (a project
	// of 10,000 models spends most of its load here); results are taken
	// in file order, so the project is the same whatever the timing.
	type loaded struct {
		m     *Model
		src   []byte
		diags hcl.Diagnostics
	}
	out := make([]loaded, len(files))
	par.For(len(files), func(i int) {
		schema, name, d := p.schemaAndName(files[i])
		if d.HasErrors() {
			out[i].diags = d
			return
		}
		out[i].m, out[i].src, out[i].diags = p.loadModel(files[i], schema, name)
	})
	var diags hcl.Diagnostics
	for i, l := range out {
		diags = append(diags, l.diags...)
		if l.src != nil {
			p.Files[files[i]] = &hcl.File{Bytes: l.src}
		}
		if l.m != nil && l.m.Config.Enabled {
			p.Models = append(p.Models, l.m)
		}
	}
	return diags
}

// loadModel reads one model file (schema and name come from its path)
// and returns it with its text (nil when it could not be read). A model
// whose file cannot be read or whose header is wrong is still returned, with its errors in Diags, so that it
// fails alone: what reads it is skipped, the rest builds. It writes
// nothing to p, so files load in parallel.
func (p *Project) loadModel(rel, schema, name string) (*Model, []byte, hcl.Diagnostics) {
	m := &Model{Schema: schema, Name: name, Path: rel, BodyStart: hcl.InitialPos, DeclRange: *fileStart(rel)}
	m.Config = p.folderDefaults(rel)
	src, err := ReadFile(p.Dir, rel)
	if err != nil {
		m.Diags = MarkNode(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read model",
			Detail: err.Error(), Subject: m.DeclRange.Ptr()}}, m.ID())
		return m, nil, m.Diags
	}
	m.DeclRange.End = posAt(src, lineEnd(src, 0))
	header, hclStart, bodyStart, diags := splitHeader(src, rel)
	if header != nil {
		diags = append(diags, decodeHeader(header, rel, hclStart, &m.Config)...)
	}
	if !diags.HasErrors() {
		m.Body = string(src[bodyStart.Byte:])
		m.BodyStart = bodyStart
	}
	m.Diags = MarkNode(diags, m.ID())
	return m, src, diags
}

// folderDefaults merges the folder blocks that contain rel, outermost
// first, over the project defaults.
func (p *Project) folderDefaults(rel string) ModelConfig {
	cfg := ModelConfig{Materialized: DefaultMaterialization, Enabled: true, Retry: DefaultRetryPolicy()}
	dir := strings.TrimPrefix(path.Dir(rel), "models")
	dir = strings.Trim(dir, "/")
	folders := append([]*FolderDefaults(nil), p.Folders...)
	sort.SliceStable(folders, func(i, j int) bool { return len(folders[i].Path) < len(folders[j].Path) })
	for _, f := range folders {
		if f.Path != "" && dir != f.Path && !strings.HasPrefix(dir, f.Path+"/") {
			continue
		}
		if f.Materialized != "" {
			cfg.Materialized = f.Materialized
			cfg.MaterializedRange = f.DeclRange
		}
		cfg.Tags = append(cfg.Tags, f.Tags...)
		f.retry.over(&cfg.Retry)
		if f.Cron != "" {
			cfg.Cron, cfg.CronRange = f.Cron, f.CronRange
		}
	}
	return cfg
}

func (p *Project) loadSeeds(cfgs []seedBlock) hcl.Diagnostics {
	files, err := p.walkFiles("seeds", ".csv")
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list seeds", Detail: err.Error()}}
	}
	byID := map[string]*Seed{}
	var diags hcl.Diagnostics
	for _, rel := range files {
		schema, name, d := p.schemaAndName(rel)
		if diags = append(diags, d...); d.HasErrors() {
			continue
		}
		s := &Seed{Schema: schema, Name: name, Path: rel,
			DeclRange: hcl.Range{Filename: rel, Start: hcl.InitialPos, End: hcl.InitialPos}}
		p.Seeds = append(p.Seeds, s)
		byID[strings.ToLower(s.ID())] = s
	}
	for _, c := range cfgs {
		s, ok := byID[strings.ToLower(c.Name)]
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Seed settings for a missing file",
				Detail:  fmt.Sprintf("seed %q is configured but there is no seeds/%s.csv; name it schema.name after its file, or remove the block.", c.Name, strings.Replace(c.Name, ".", "/", 1)),
				Subject: c.DefRange.Ptr(),
			})
			continue
		}
		var ctd hcl.Diagnostics
		s.ColumnTypes, ctd = decodeTypeMap(c.ColumnTypes, "column_types")
		diags = append(diags, ctd...)
		s.Description, s.Columns, s.DeclRange = c.Description, columns(c.Columns), c.DefRange
		var td hcl.Diagnostics
		s.Tests, td = decodeTests(c.Tests, c.Columns, s.Columns)
		diags = append(diags, td...)
	}
	return diags
}

// checkNames reports two nodes that share a name (case-insensitively, as
// warehouses fold it).
func (p *Project) checkNames() hcl.Diagnostics {
	type owner struct {
		what string
		rng  hcl.Range
	}
	seen := map[string]owner{}
	var diags hcl.Diagnostics
	add := func(id, what string, rng hcl.Range) {
		key := strings.ToLower(id)
		if prev, dup := seen[key]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Duplicate name " + id,
				Detail:  fmt.Sprintf("%s and %s (%s) are both named %s; rename one of them.", what, prev.what, prev.rng.Filename, id),
				Subject: rng.Ptr(),
			})
			return
		}
		seen[key] = owner{what, rng}
	}
	for _, s := range p.Sources {
		add(s.ID(), "source "+s.ID(), s.DeclRange)
	}
	for _, s := range p.Seeds {
		add(s.ID(), "seed "+s.Path, s.DeclRange)
	}
	for _, m := range p.Models {
		add(m.ID(), "model "+m.Path, m.DeclRange)
	}
	for _, s := range p.Scripts {
		add(s.ID(), "script "+s.Path, s.DeclRange)
		for _, out := range s.Outputs {
			add(out, "output of script "+s.Path, s.DeclRange)
		}
	}
	return diags
}

func lineEnd(src []byte, from int) int {
	for i := from; i < len(src); i++ {
		if src[i] == '\n' {
			return i
		}
	}
	return len(src)
}
