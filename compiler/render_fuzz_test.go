package compiler

import (
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/weir-sh/weir/adapters"
	_ "github.com/weir-sh/weir/adapters/duckdb"
	"github.com/weir-sh/weir/models"
)

// FuzzRender runs arbitrary model text through the template renderer with
// every function a model has (var, env, this, is_incremental, ref): it
// must return SQL or a diagnostic placed in the file, never panic, and
// never render more than MaxRenderedSize.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"SELECT 1",
		`SELECT * FROM {{ ref "s.orders" }} WHERE d > '{{ var "since" }}'`,
		`{{ if is_incremental }}SELECT * FROM {{ this }}{{ else }}SELECT 1{{ end }}`,
		`{{ env "HOME" "x" }} {{ .Start }} {{ .This }}`,
		`{{ range 3 }}{{ range 2 }}x{{ end }}{{ end }}`,
		`{{ define "a" }}{{ template "a" }}{{ end }}{{ template "a" }}`,
		`{{ ref "nope" }}`, `{{ var }}`, `{{`, `{{ printf "%999999d" 1 }}`,
		"line1\n{{ var \"missing\" }}\nline3",
	} {
		f.Add(s)
	}
	d, err := adapters.DialectOf(&models.Target{Adapter: "duckdb"})
	if err != nil {
		f.Fatal(err)
	}
	p := &models.Project{Vars: map[string]cty.Value{"since": cty.StringVal("2024-01-01"), "n": cty.NumberIntVal(3)}}
	orders := &Node{ID: "s.orders", Name: "orders", Kind: models.KindModel, Relation: adapters.Relation{Schema: "dev_s", Name: "orders"}}
	r := &Result{Project: p, Dialect: d, ix: newIndex([]*Node{orders})}
	f.Fuzz(func(t *testing.T, body string) {
		m := &models.Model{Schema: "s", Name: "m", Path: "models/s/m.sql", Body: body, BodyStart: hcl.InitialPos,
			DeclRange: hcl.Range{Filename: "models/s/m.sql", Start: hcl.InitialPos, End: hcl.InitialPos}}
		n := &Node{ID: m.ID(), Name: m.Name, Kind: models.KindModel, Model: m}
		out, diags := r.render(n, TemplateData{This: `"dev_s"."m"`, Start: "TIMESTAMP '2024-01-01 00:00:00'"})
		if diags.HasErrors() {
			for _, d := range diags {
				if d.Subject == nil || d.Subject.Filename != m.Path || d.Subject.Start.Byte > len(body)+m.BodyStart.Byte {
					t.Fatalf("diagnostic not placed in the model: %+v", d)
				}
			}
			return
		}
		if len(out) > MaxRenderedSize {
			t.Fatalf("rendered %d bytes", len(out))
		}
		if !strings.Contains(body, "{{") && out != body {
			t.Fatalf("text without actions changed: %q → %q", body, out)
		}
	})
}
