package compiler

import "testing"

// TestNormalizeKeepsLiterals: comments and layout go, but text inside
// string literals, quoted identifiers and dollar quotes stays as written.
func TestNormalizeKeepsLiterals(t *testing.T) {
	cases := map[string]string{
		"SELECT  1\n\t-- note\nFROM t  ;":                   "SELECT 1 FROM t",
		"SELECT '--not a comment'  /* c */ AS x":            "SELECT '--not a comment' AS x",
		"SELECT \"a  --  b\", 'it''s  here'":                "SELECT \"a  --  b\", 'it''s  here'",
		"SELECT $$ two  spaces /* kept */ $$, $q$x -- y$q$": "SELECT $$ two  spaces /* kept */ $$, $q$x -- y$q$",
		"SELECT a/b - c FROM t":                             "SELECT a/b - c FROM t",
	}
	for in, want := range cases {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if Normalize("SELECT 'a b'") == Normalize("SELECT 'a  b'") {
		t.Error("whitespace inside a string literal must change the fingerprint")
	}
}

// TestTrimStatement cuts trailing semicolons and comments only.
func TestTrimStatement(t *testing.T) {
	cases := map[string]string{
		"SELECT 1;":                       "SELECT 1",
		"SELECT 1; -- done\n":             "SELECT 1",
		"SELECT ';' AS s ;;\n/* end */\n": "SELECT ';' AS s",
		"SELECT 1 -- trailing":            "SELECT 1",
	}
	for in, want := range cases {
		if got := TrimStatement(in); got != want {
			t.Errorf("TrimStatement(%q) = %q, want %q", in, got, want)
		}
	}
}
