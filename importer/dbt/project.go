package dbt

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// project is dbt_project.yml and the files it points at.
type project struct {
	Dir        string
	Name       string         `yaml:"name"`
	ModelPaths []string       `yaml:"model-paths"`
	OldPaths   []string       `yaml:"source-paths"`
	SeedPaths  []string       `yaml:"seed-paths"`
	MacroPaths []string       `yaml:"macro-paths"`
	TestPaths  []string       `yaml:"test-paths"`
	DocsPaths  []string       `yaml:"docs-paths"`
	SnapPaths  []string       `yaml:"snapshot-paths"`
	OnRunStart any            `yaml:"on-run-start"`
	OnRunEnd   any            `yaml:"on-run-end"`
	Vars       map[string]any `yaml:"vars"`
	Models     map[string]any `yaml:"models"`
	Seeds      map[string]any `yaml:"seeds"`
}

// readProject reads dir/dbt_project.yml, with dbt's default folders.
func readProject(dir string) (*project, error) {
	src, err := os.ReadFile(filepath.Join(dir, "dbt_project.yml"))
	if err != nil {
		return nil, fmt.Errorf("%s is not a dbt project: %w", dir, err)
	}
	p := &project{Dir: dir}
	if err := yaml.Unmarshal(src, p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "dbt_project.yml"), err)
	}
	if p.Name == "" {
		return nil, fmt.Errorf("%s: no name; dbt_project.yml needs name: …", filepath.Join(dir, "dbt_project.yml"))
	}
	if len(p.ModelPaths) == 0 {
		p.ModelPaths = p.OldPaths
	}
	def := func(v *[]string, d string) {
		if len(*v) == 0 {
			*v = []string{d}
		}
	}
	def(&p.ModelPaths, "models")
	def(&p.SeedPaths, "seeds")
	def(&p.MacroPaths, "macros")
	def(&p.TestPaths, "tests")
	def(&p.SnapPaths, "snapshots")
	return p, nil
}

// file is one file of the dbt project.
type file struct {
	Root string // the model, seed, macro or test path it was found under
	Rel  string // slash-separated, relative to Root
}

// Path is the file's path relative to the project, for messages.
func (f file) Path() string { return path.Join(f.Root, f.Rel) }

// files lists the files under roots whose names end in one of exts,
// sorted, so that an import is the same every time.
func (p *project) files(roots []string, exts ...string) []file {
	var out []file
	for _, root := range roots {
		base := filepath.Join(p.Dir, root)
		filepath.WalkDir(base, func(full string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			for _, ext := range exts {
				if strings.HasSuffix(d.Name(), ext) {
					rel, _ := filepath.Rel(base, full)
					out = append(out, file{Root: root, Rel: filepath.ToSlash(rel)})
					break
				}
			}
			return nil
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path() < out[j].Path() })
	return out
}

func (p *project) read(f file) (string, error) {
	b, err := os.ReadFile(filepath.Join(p.Dir, f.Root, filepath.FromSlash(f.Rel)))
	return string(b), err
}

// folderConfig is the configuration dbt_project.yml gives a file under
// tree (models: or seeds:) at rel: the settings of each folder on the way
// down, the deeper winning. Keys are without their "+".
func (p *project) folderConfig(tree map[string]any, rel string) map[string]any {
	out := map[string]any{}
	node, _ := tree[p.Name].(map[string]any)
	take := func(m map[string]any) {
		for k, v := range m {
			if _, sub := v.(map[string]any); strings.HasPrefix(k, "+") || (!sub && configKeys[k]) {
				out[strings.TrimPrefix(k, "+")] = v
			}
		}
	}
	take(node)
	for _, dir := range strings.Split(path.Dir(rel), "/") {
		if node == nil || dir == "." {
			break
		}
		node, _ = node[dir].(map[string]any)
		take(node)
	}
	return out
}

// configKeys are the settings dbt_project.yml may give without a "+".
var configKeys = map[string]bool{
	"materialized": true, "enabled": true, "tags": true, "schema": true, "alias": true,
	"unique_key": true, "incremental_strategy": true, "on_schema_change": true,
	"column_types": true, "quote_columns": true, "full_refresh": true, "persist_docs": true,
	"post-hook": true, "pre-hook": true, "docs": true, "database": true, "grants": true,
}
