package tidbparse

import (
	"strings"
	"testing"
)

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

func TestStatements(t *testing.T) {
	script := "# setup\nCREATE TABLE t (a TEXT); -- makes t\n" +
		"INSERT INTO t VALUES ('x;y'), (\"it\\\";s\"), ('#;'), ('-- ;');;\n" +
		"/* ; */ SELECT `a;b` FROM t /*!40101 ; */;\n" +
		"SELECT 1 --x; SELECT 2\n" +
		"  -- only a comment;\n"
	want := []string{
		"CREATE TABLE t (a TEXT)",
		"INSERT INTO t VALUES ('x;y'), (\"it\\\";s\"), ('#;'), ('-- ;')",
		"SELECT `a;b` FROM t /*!40101 ; */",
		"SELECT 1 --x",
		"SELECT 2",
	}
	var got []string
	for _, sp := range Statements(script, false) {
		got = append(got, script[sp.Start:sp.End])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Statements split\n%s\ninto\n%q\nwant\n%q", script, got, want)
	}
	// Under ANSI_QUOTES a backslash in "…" escapes nothing: "a\" ends there.
	ansi := `SELECT "a\"; SELECT 2`
	if n := len(Statements(ansi, true)); n != 2 {
		t.Errorf("Statements(%q, ansiQuotes) gives %d statements, want 2", ansi, n)
	}
	if n := len(Statements(ansi, false)); n != 1 {
		t.Errorf("Statements(%q) gives %d statements, want 1 (the string runs on)", ansi, n)
	}
}
