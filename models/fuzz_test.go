package models

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// FuzzModelHeader reads arbitrary model files the way loadModel does:
// split the /* config */ header from the SQL and decode it. It must never
// panic, place every diagnostic inside the file, and start the body
// within it.
func FuzzModelHeader(f *testing.F) {
	for _, s := range []string{
		"SELECT 1",
		"/* config\nmaterialized = \"view\"\n*/\nSELECT 1",
		"  \n/* config\nmaterialized = \"incremental\"\nstrategy = \"time_range\"\ntime_column = \"t\"\ninterval = \"day\"\nstart = \"2024-01-01\"\n*/ SELECT 1",
		"/* config\ncolumn \"id\" {\n  test \"unique\" {}\n  test \"accepted_values\" { values = [1, 2] }\n}\ntest \"row_count\" { min = 1 }\n*/\nSELECT 1 AS id",
		"/* config\ndepends_on = [\"a.b\"]\ntimeout = \"5m\"\nunique_key = [\"id\"]\n*/",
		"/* config\nmaterialized = \n*/",
		"/* config",
		"/* config */",
		"/* config\nx = env(\"HOME\")\n*/",
		"/* config\n\xff\xfe */",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		header, hclStart, bodyStart, diags := splitHeader(src, "m.sql")
		if header != nil && !diags.HasErrors() {
			var cfg ModelConfig
			diags = append(diags, decodeHeader(header, "m.sql", hclStart, &cfg)...)
		}
		for _, d := range diags {
			if d.Subject != nil && (d.Subject.Start.Byte < 0 || d.Subject.Start.Byte > len(src)) {
				t.Fatalf("diagnostic outside the file: %+v", d)
			}
		}
		if bodyStart.Byte < 0 || bodyStart.Byte > len(src) {
			t.Fatalf("body starts at %d of %d bytes", bodyStart.Byte, len(src))
		}
		m := &Model{Path: "m.sql", Body: string(src[bodyStart.Byte:]), BodyStart: bodyStart}
		for _, off := range []int{0, len(m.Body) / 2, len(m.Body)} {
			if r := m.RangeAt(off, 1); r.Start.Line < bodyStart.Line {
				t.Fatalf("RangeAt(%d) before the body: %+v", off, r)
			}
		}
	})
}

// FuzzProjectFile decodes arbitrary weir.hcl text. It must never panic,
// and every diagnostic it returns must point into the file.
func FuzzProjectFile(f *testing.F) {
	for _, s := range []string{
		"name = \"p\"\ntarget \"dev\" {\n  adapter = \"duckdb\"\n  path = \"target/p.duckdb\"\n}\n",
		"name = \"p\"\ndefault_target = \"pg\"\ndefault_schema = \"core\"\ntarget \"pg\" {\n  adapter = \"postgres\"\n  dsn = env(\"X\", \"postgres://u@h/db\")\n  schema_prefix = \"dev_\"\n  threads = 8\n}\n",
		"name = \"p\"\nvars = { since = \"2024-01-01\", n = 3 }\nsource \"app\" {\n  physical_schema = \"prod\"\n  table \"events\" {\n    loaded_at = \"ts\"\n    column \"id\" { test \"not_null\" {} }\n  }\n}\n",
		"name = \"p\"\nseed \"raw.c\" {\n  column_types = { a = \"DATE\" }\n}\nfolder \"staging\" {\n  materialized = \"view\"\n  tags = [\"x\"]\n}\n",
		"name = \"p\"\ntarget \"a\" { adapter = \"duckdb\" }\ntarget \"a\" { adapter = \"duckdb\" }\n",
		"name = \"p\"\ndefault_schema = \"../x\"\nvars = 3\n",
		"name = ",
		"target {",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p := &Project{Dir: "/nonexistent", Files: map[string]*hcl.File{}}
		_, diags := decodeProjectFile(p, src, ConfigFile)
		for _, tg := range p.Targets {
			diags = append(diags, tg.Diags...)
		}
		for _, d := range diags {
			if d.Subject != nil && (d.Subject.Filename != ConfigFile || d.Subject.Start.Byte > len(src)) {
				t.Fatalf("diagnostic outside weir.hcl: %+v", d)
			}
		}
		if !diags.HasErrors() && p.DefaultSchema != "" && !plainIdent(p.DefaultSchema) {
			t.Fatalf("default_schema %q accepted", p.DefaultSchema)
		}
	})
}
