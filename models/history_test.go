package models

import (
	"strings"
	"testing"
)

// TestHistoryDays: weir.hcl's history block sets the days of run history
// kept, 30 without it, 0 for all; a negative or huge count is
// an error at its line.
func TestHistoryDays(t *testing.T) {
	for src, want := range map[string]int{
		``:                             DefaultHistoryDays,
		"history {}\n":                 DefaultHistoryDays,
		"history {\n keep_days = 7\n}": 7,
		"history {\n keep_days = 0\n}": 0,
	} {
		p := &Project{}
		if _, diags := decodeProjectFile(p, []byte("name = \"x\"\n"+src), ConfigFile); diags.HasErrors() {
			t.Fatalf("%q: %v", src, diags)
		}
		if p.HistoryDays != want {
			t.Errorf("%q: HistoryDays %d, want %d", src, p.HistoryDays, want)
		}
	}
	for _, bad := range []string{"-1", "36501"} {
		_, diags := decodeProjectFile(&Project{}, []byte("name = \"x\"\nhistory {\n  keep_days = "+bad+"\n}\n"), ConfigFile)
		if !diags.HasErrors() || !strings.Contains(diags.Error(), "keep_days") || diags[0].Subject == nil || diags[0].Subject.Start.Line != 3 {
			t.Errorf("keep_days = %s: %v", bad, diags)
		}
	}
}
