package datatests

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
)

// singular compiles a tests/*.sql file like a model: its references are
// resolved and rewritten, and every node it reads is a dependency. A where
// in its header filters every table it reads.
func (s *Suite) singular(st *models.SingularTest) (*Test, hcl.Diagnostics) {
	t := &Test{Name: st.Name, Kind: KindSingular, Config: st.Config, DeclRange: st.DeclRange}
	if st.Config.Name != "" {
		t.Name = st.Config.Name
	}
	m := st.Model()
	opts := compiler.SQLOptions{ID: "test " + t.Name}
	q, diags := s.c.CompileSQL(m, opts)
	if q == nil {
		return nil, diags
	}
	f, d := s.whereFilter(st.Config.Where, st.Config.WhereRange, q.DependsOn)
	if diags = append(diags, d...); d.HasErrors() {
		return nil, diags
	}
	if f.subst != nil {
		opts.Substitute = f.subst
		if q, d = s.c.CompileSQL(m, opts); q == nil {
			return nil, append(diags, d...)
		}
	}
	if len(q.DependsOn) == 0 {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Test reads no model",
			Detail:  st.Path + " reads no model, seed or source of the project, so a build never runs it; weir test does.",
			Subject: st.DeclRange.Ptr()})
	}
	s.finish(t, q, f)
	return t, diags
}
