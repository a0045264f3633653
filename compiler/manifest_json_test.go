package compiler

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// manifestCases are manifests with every field set and unset, nil and
// empty lists, and strings encoding/json escapes.
func manifestCases() []*Manifest {
	odd := "a\"b\\c\nd\re\tf<g>h&i\x00j\x1fk\u2028l\u2029m é \xff\xfe n\u007f"
	full := ManifestEntry{
		Name: "s.m", Kind: "model", Path: "models/s/m.sql", Materialized: "table", Relation: "dev_s.m",
		DependsOn: []string{"s.a", odd}, Description: odd, Tags: []string{"t1", "<t2>"},
		Columns:     []ManifestColumn{{Name: "id"}, {Name: "v", Type: "INTEGER", Description: "the v"}},
		Fingerprint: "0123456789abcdef", CodeHash: "c", BodyHash: "b", ConfigHash: "g",
		CompiledSQL: "SELECT 1\nFROM \"dev_s\".\"a\" -- x & y < z\n\tWHERE s = 'é'", Command: []string{"python", "x.py"},
		Macros: []string{"macros/a.sql"},
	}
	// Enough nodes for several of the chunks written in parallel.
	many := &Manifest{Version: ManifestVersion, Project: "p"}
	for i := range 1201 {
		e := full
		e.Name = fmt.Sprintf("s.m%d", i)
		if i%3 == 0 {
			e = ManifestEntry{Name: e.Name, Kind: "source"}
		}
		many.Nodes = append(many.Nodes, e)
	}
	return []*Manifest{
		many,
		{Version: 2},
		{Version: 2, Project: "p", Target: "dev", Adapter: "duckdb", Nodes: []ManifestEntry{}, Tests: []ManifestTest{}},
		{Version: ManifestVersion, Project: odd, Target: "dev", Adapter: "duckdb",
			Nodes: []ManifestEntry{
				full,
				{Name: "s.empty", Kind: "source"},
				{Name: "s.e2", Kind: "seed", DependsOn: []string{}, Tags: []string{}, Columns: []ManifestColumn{}, Command: []string{}, Macros: []string{}},
			},
			Tests: []ManifestTest{
				{Name: "not_null_s_m_id", Kind: "not_null", Node: "s.m", Column: "id", Severity: "error", DependsOn: []string{"s.m"}, Path: "models/s/m.sql:3"},
				{Name: "t", Kind: "singular", Severity: "warn"},
				{Name: odd, Kind: odd, DependsOn: []string{}},
			},
		},
	}
}

// TestManifestJSONAsEncodingJSON: the manifest written by hand is the
// bytes json.MarshalIndent writes.
// With one core, the chunks of the large case are written two at a time.
func TestManifestJSONAsEncodingJSON(t *testing.T) {
	for _, procs := range []int{1, runtime.GOMAXPROCS(0)} {
		old := runtime.GOMAXPROCS(procs)
		for i, m := range manifestCases() {
			want, err := json.MarshalIndent(m, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if got := manifestJSON(m); !bytes.Equal(got, want) {
				t.Errorf("GOMAXPROCS %d, case %d:\n got %s\nwant %s", procs, i, got, want)
			}
		}
		runtime.GOMAXPROCS(old)
	}
}

// TestSameContent: a manifest compared with a file as it is written is
// the same only as the file's exact bytes; the comparison stops at the
// first difference.
func TestSameContent(t *testing.T) {
	m := manifestCases()[0]
	write := func(out func([]byte) error) error {
		if err := writeManifestJSON(m, out); err != nil {
			return err
		}
		return out([]byte{'\n'})
	}
	data := append(manifestJSON(m), '\n')
	changed := bytes.Clone(data)
	changed[len(changed)/2] ^= 1
	path := filepath.Join(t.TempDir(), "manifest.json")
	for _, c := range []struct {
		name string
		file []byte
		want bool
	}{
		{"the same bytes", data, true},
		{"a byte more", append(bytes.Clone(data), ' '), false},
		{"a byte less", data[:len(data)-1], false},
		{"a byte changed", changed, false},
		{"empty", nil, false},
	} {
		if err := os.WriteFile(path, c.file, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := sameContent(path, write); got != c.want {
			t.Errorf("%s: sameContent = %v, want %v", c.name, got, c.want)
		}
	}
	if sameContent(filepath.Join(t.TempDir(), "none.json"), write) {
		t.Error("a missing file has the same content")
	}
}

// FuzzManifestJSONString: any string is escaped as encoding/json does.
func FuzzManifestJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\nb", "<&>", "\x00\x1f\x7f", "é\xff", "\u2028", `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := &Manifest{Project: s, Nodes: []ManifestEntry{{Name: s, CompiledSQL: s, DependsOn: []string{s}}}}
		want, _ := json.MarshalIndent(m, "", "  ")
		if got := manifestJSON(m); !bytes.Equal(got, want) {
			t.Errorf("%q:\n got %s\nwant %s", s, got, want)
		}
	})
}
