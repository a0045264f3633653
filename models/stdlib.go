package models

import (
	"embed"
	"io/fs"
	"path"

	"github.com/hashicorp/hcl/v2"
)

// stdlib holds the macros every project has (docs/guide/macros.md); a project
// macro of the same name replaces one, with all its variants.
//
//go:embed stdlib/*.sql
var stdlib embed.FS

// StdlibPrefix starts the path of a standard macro, in diagnostics and
// the manifest.
const StdlibPrefix = "weir:"

// addStdlib adds the standard macros the project does not define.
func (p *Project) addStdlib() hcl.Diagnostics {
	own := map[string]bool{}
	for _, m := range p.Macros {
		own[m.Name] = true
	}
	files, _ := fs.Glob(stdlib, "stdlib/*.sql")
	var diags hcl.Diagnostics
	for _, f := range files {
		src, err := stdlib.ReadFile(f)
		if err != nil {
			continue
		}
		m, d := parseMacro(StdlibPrefix+"macros/"+path.Base(f), src)
		diags = append(diags, d...)
		if m != nil && !own[m.Name] {
			p.Files[m.Path] = &hcl.File{Bytes: src}
			p.Macros = append(p.Macros, m)
		}
	}
	return diags
}
