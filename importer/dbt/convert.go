package dbt

import (
	"fmt"
	"path"
	"strings"
)

// Output is a weir project made from a dbt project: its files by path
// (slash-separated, relative to the new folder) and what the import
// could not translate.
type Output struct {
	Files  map[string][]byte
	Report *Report
}

// converter carries one import.
type converter struct {
	p     *project
	props *properties
	// ids maps dbt model and seed names to weir names (schema.name).
	ids map[string]string
	// where maps weir names to the dbt file that declares them.
	where        map[string]string
	macros       map[string]*macro
	docs         map[string]string
	usedMacros   map[string]bool
	inlineMacros string
	defaultVars  map[string]any
	files        map[string][]byte
	report       *Report
}

// Convert reads the dbt project in dir and returns the weir project it
// becomes. An error means dir is not a dbt project that can be read;
// what cannot be translated is in the report.
func Convert(dir string) (*Output, error) {
	p, err := readProject(dir)
	if err != nil {
		return nil, err
	}
	props, err := p.readProperties()
	if err != nil {
		return nil, err
	}
	c := &converter{p: p, props: props, ids: map[string]string{}, where: map[string]string{},
		macros: map[string]*macro{}, usedMacros: map[string]bool{}, defaultVars: map[string]any{},
		files: map[string][]byte{}, report: &Report{}}
	models := p.files(p.ModelPaths, ".sql")
	seeds := p.files(p.SeedPaths, ".csv")
	for _, f := range seeds {
		c.name(f, "seeds/")
	}
	for _, f := range models {
		c.name(f, "models/")
	}
	c.readMacros()
	c.readDocs()
	c.reportUnsupported()
	for _, f := range seeds {
		c.seed(f)
	}
	for _, f := range models {
		c.model(f)
	}
	for _, f := range p.files(p.TestPaths, ".sql") {
		c.singularTest(f)
	}
	c.writeMacros()
	c.files["weir.hcl"] = []byte(c.weirHCL())
	c.files["IMPORT_REPORT.md"] = []byte(c.report.markdown(p.Name, dir))
	return &Output{Files: c.files, Report: c.report}, nil
}

// name records the weir name of a model or seed file: its first folder
// is its schema (main at the top), as weir names files under models/
// and seeds/.
func (c *converter) name(f file, top string) {
	name := strings.TrimSuffix(path.Base(f.Rel), path.Ext(f.Rel))
	schema := "main"
	if parts := strings.Split(f.Rel, "/"); len(parts) > 1 {
		schema = parts[0]
	}
	id := schema + "." + name
	c.ids[name] = id
	c.where[id] = f.Path()
}

// weirPath is where file f goes in the new project.
func weirPath(top string, f file) string { return top + f.Rel }

// seed copies a seed as is.
func (c *converter) seed(f file) {
	src, err := c.p.read(f)
	if err != nil {
		c.report.skip("seed", f.Path(), f.Path(), err.Error())
		return
	}
	c.files[weirPath("seeds/", f)] = []byte(src)
	c.report.seeds++
}

// hasSource reports a table a source of the project declares.
func (c *converter) hasSource(schema, table string) bool {
	for _, s := range c.props.Sources {
		for _, t := range s.Tables {
			if s.Name == schema && t.Name == table {
				return true
			}
		}
	}
	return false
}

// singularTest translates a data test of tests/ (a SELECT of the rows
// that break a rule).
func (c *converter) singularTest(f file) {
	src, err := c.p.read(f)
	if err != nil {
		c.report.skip("test", f.Path(), f.Path(), err.Error())
		return
	}
	sql, r, err := c.translateSQL(f.Path(), src, false)
	if err != nil {
		c.report.skip("test", f.Path(), f.Path(), err.Error())
		return
	}
	c.report.note(f.Path(), r.notes...)
	c.files[weirPath("tests/", f)] = []byte(strings.TrimLeft(sql, "\n"))
	c.report.tests++
}

// writeMacros writes the weir macros the models call.
func (c *converter) writeMacros() {
	for _, name := range sortedKeys(c.macros) {
		m := c.macros[name]
		switch {
		case m.variantOf:
		case m.weir != "":
			c.files[m.weirPath("")] = []byte(m.weir)
			for adapter, text := range m.variants {
				c.files[m.weirPath(adapter)] = []byte(text)
			}
			c.report.macros++
		default:
			c.report.note(m.File.Path(), fmt.Sprintf("macro %s is rendered into each model that calls it at import (%s)", name, m.reason))
		}
	}
}
