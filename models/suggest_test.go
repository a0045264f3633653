package models

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSettingOfTheWrongKind: a setting written as a block where an
// argument goes (vars { … }), or as an argument where a block goes, is an
// error at it, as gohcl words it, not a setting silently dropped; in a
// folder block too, whose retry settings are decoded from what it left.
func TestSettingOfTheWrongKind(t *testing.T) {
	for _, c := range []struct{ hcl, want string }{
		{"vars {\n  start = \"x\"\n}\n", `weir.hcl:4,1-5: Unsupported block type; Blocks of type "vars" are not expected here. Did you mean to define argument "vars"?`},
		{"history = { keep_days = 3 }\n", `weir.hcl:4,1-8: Unsupported argument; An argument named "history" is not expected here. Did you mean to define a block of type "history"?`},
		{"folder \"models\" {\n  tags {\n  }\n}\n", `weir.hcl:5,3-7: Unsupported block type; Blocks of type "tags" are not expected here.`},
		{"folder \"models\" {\n  retries {\n  }\n}\n", `weir.hcl:5,3-10: Unsupported block type; Blocks of type "retries" are not expected here.`},
	} {
		dir := t.TempDir()
		src := "name = \"t\"\ndefault_target = \"dev\"\ntarget \"dev\" { adapter = \"duckdb\" }\n" + c.hcl
		if err := os.WriteFile(filepath.Join(dir, "weir.hcl"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		_, diags := LoadConfig(dir)
		var got []string
		for _, d := range diags {
			got = append(got, filepath.Base(d.Subject.Filename)+":"+strings.TrimPrefix(d.Subject.String(), d.Subject.Filename+":")+": "+d.Summary+"; "+d.Detail)
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], c.want) {
			t.Errorf("weir.hcl ending in\n%s\ngave %q, want one error starting %q", c.hcl, got, c.want)
		}
	}
}
