package dbt

import (
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"
)

// properties are the models, seeds and sources the .yml files of the
// model and seed folders describe (schema.yml).
type properties struct {
	Models  map[string]*nodeProps
	Seeds   map[string]*nodeProps
	Sources []*sourceProps
}

// nodeProps describe one model or seed.
type nodeProps struct {
	Name        string         `yaml:"name"`
	Description string         `yaml:"description"`
	Config      map[string]any `yaml:"config"`
	Columns     []*columnProps `yaml:"columns"`
	Tests       []any          `yaml:"tests"`
	DataTests   []any          `yaml:"data_tests"`
	From        string         `yaml:"-"` // the .yml file
}

// columnProps describe one column.
type columnProps struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	DataType    string `yaml:"data_type"`
	Tests       []any  `yaml:"tests"`
	DataTests   []any  `yaml:"data_tests"`
}

// sourceProps is one source: a schema of tables that exist already.
type sourceProps struct {
	Name        string        `yaml:"name"`
	Schema      string        `yaml:"schema"`
	Database    string        `yaml:"database"`
	Description string        `yaml:"description"`
	Tables      []*tableProps `yaml:"tables"`
	From        string        `yaml:"-"`
}

// tableProps is one table of a source.
type tableProps struct {
	Name        string         `yaml:"name"`
	Identifier  string         `yaml:"identifier"`
	Description string         `yaml:"description"`
	LoadedAt    string         `yaml:"loaded_at_field"`
	Columns     []*columnProps `yaml:"columns"`
	Tests       []any          `yaml:"tests"`
	DataTests   []any          `yaml:"data_tests"`
}

// propsFile is the shape of one .yml file.
type propsFile struct {
	Models  []*nodeProps   `yaml:"models"`
	Seeds   []*nodeProps   `yaml:"seeds"`
	Sources []*sourceProps `yaml:"sources"`
}

// readProperties reads every .yml and .yaml file of the model and seed
// folders.
func (p *project) readProperties() (*properties, error) {
	props := &properties{Models: map[string]*nodeProps{}, Seeds: map[string]*nodeProps{}}
	roots := append(append([]string{}, p.ModelPaths...), p.SeedPaths...)
	for _, f := range p.files(roots, ".yml", ".yaml") {
		src, err := p.read(f)
		if err != nil {
			return nil, err
		}
		var pf propsFile
		if err := yaml.Unmarshal([]byte(src), &pf); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path(), err)
		}
		for _, m := range pf.Models {
			m.From = f.Path()
			props.Models[m.Name] = m
		}
		for _, s := range pf.Seeds {
			s.From = f.Path()
			props.Seeds[s.Name] = s
		}
		for _, s := range pf.Sources {
			s.From = f.Path()
			props.Sources = append(props.Sources, s)
		}
	}
	sort.SliceStable(props.Sources, func(i, j int) bool { return props.Sources[i].Name < props.Sources[j].Name })
	return props, nil
}

// allTests are the tests under both of dbt's keys.
func allTests(a, b []any) []any { return append(append([]any{}, a...), b...) }
