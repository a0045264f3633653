package tidbparse

import "testing"

func TestTrim(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT 1;\n# done":                                         "SELECT 1",
		"SELECT 1 -- done;":                                         "SELECT 1",
		"SELECT `a;--b` FROM t; ; /* x */":                          "SELECT `a;--b` FROM t",
		"SELECT 'it\\'s; # not a comment' ;":                        "SELECT 'it\\'s; # not a comment'",
		"SELECT /*! STRAIGHT_JOIN */ a FROM t /*! USE INDEX (i) */": "SELECT /*! STRAIGHT_JOIN */ a FROM t /*! USE INDEX (i) */",
		"SELECT 1 --x":                                              "SELECT 1 --x", // --x is minus minus x, not a comment
	} {
		if got := Trim(in, false); got != want {
			t.Errorf("Trim(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalize(t *testing.T) {
	same := []string{
		"SELECT a,\n  b # why\nFROM t;",
		"SELECT a, b FROM t",
		"SELECT  a,  b\n-- note\nFROM /* x */ t ;\n",
	}
	for _, s := range same {
		if got := Normalize(s, false); got != "SELECT a, b FROM t" {
			t.Errorf("Normalize(%q) = %q", s, got)
		}
	}
	// Inside strings and identifiers, spaces and comment marks are code.
	for _, s := range []string{"SELECT 'a  # b'", "SELECT `a  -- b`", "SELECT 'it\\'s  x'"} {
		if got := Normalize(s, false); got != s {
			t.Errorf("Normalize(%q) = %q, want it unchanged", s, got)
		}
	}
}
