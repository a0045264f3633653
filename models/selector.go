package models

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// Selector is a named selection declared in weir.hcl, used with
// --selector NAME:
//
//	selector "nightly" {
//	  select      = ["tag:nightly+"]
//	  exclude     = ["tag:slow"]
//	  description = "What the nightly job builds."
//	}
type Selector struct {
	Name        string
	Select      []string
	Exclude     []string
	Description string
	DeclRange   hcl.Range
}

// selectorBlock mirrors a selector block for gohcl.
type selectorBlock struct {
	Name        string    `hcl:"name,label"`
	Select      []string  `hcl:"select,optional"`
	Exclude     []string  `hcl:"exclude,optional"`
	Description string    `hcl:"description,optional"`
	DefRange    hcl.Range `hcl:",def_range"`
}

// addSelectors records the selector blocks on p, refusing a name used
// twice and a selector that selects nothing.
func addSelectors(p *Project, blocks []selectorBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	p.Selectors = map[string]*Selector{}
	for _, b := range blocks {
		if prev, dup := p.Selectors[b.Name]; dup {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Duplicate selector",
				Detail:  fmt.Sprintf("A selector named %q is declared twice (first at %s); rename one of them.", b.Name, prev.DeclRange),
				Subject: b.DefRange.Ptr(),
			})
			continue
		}
		if len(b.Select) == 0 && len(b.Exclude) == 0 {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Empty selector",
				Detail:  fmt.Sprintf(`Selector %q has neither select nor exclude; write select = ["tag:nightly+"] (the grammar of --select).`, b.Name),
				Subject: b.DefRange.Ptr(),
			})
			continue
		}
		p.Selectors[b.Name] = &Selector{Name: b.Name, Select: b.Select, Exclude: b.Exclude,
			Description: b.Description, DeclRange: b.DefRange}
	}
	return diags
}
