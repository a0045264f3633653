package sqllex

import (
	"slices"
	"testing"
)

// uglyCases are texts where a naive scanner goes wrong; each was checked
// against DuckDB 1.5.6 and Postgres 15 (warehouse_test.go runs them on both).
// norm is what Normalize must return; stmts how many statements there are.
var uglyCases = []struct {
	sql, norm string
	stmts     int
}{
	{"SELECT 1 AS a\r-- c\r, 2 AS b\r", "SELECT 1 AS a , 2 AS b", 1},
	{"SELECT 1 AS a\f, 2 AS b", "SELECT 1 AS a , 2 AS b", 1},
	{"SELECT E'it\\'s -- x' AS s", "SELECT E'it\\'s -- x' AS s", 1},
	{"SELECT e'a\\\\' AS s, ';' AS t", "SELECT e'a\\\\' AS s, ';' AS t", 1},
	{"SELECT 'a\\' AS s, 'b' AS t", "SELECT 'a\\' AS s, 'b' AS t", 1},
	{"SELECT 1 /* a /* b */ -- c */ AS x", "SELECT 1 AS x", 1},
	{"SELECT 3 */* c */ 4 AS x", "SELECT 3 * 4 AS x", 1},
	{"SELECT 3 +-- c\n 4 AS x", "SELECT 3 + 4 AS x", 1},
	{"SELECT $$it's -- x$$ AS s", "SELECT $$it's -- x$$ AS s", 1},
	{"SELECT $q$a$$b; $q$ AS s", "SELECT $q$a$$b; $q$ AS s", 1},
	{"SELECT 1 AS a$b$ , 2 AS c -- $b$", "SELECT 1 AS a$b$ , 2 AS c", 1},
	{"SELECT 'a'\n'b' AS s", "SELECT 'a'\n'b' AS s", 1},
	{"SELECT 'a' -- c\n  'b' AS s", "SELECT 'a'\n'b' AS s", 1},
	{"SELECT \"a\"\"--b\" FROM (SELECT 1 AS \"a\"\"--b\") AS q", "SELECT \"a\"\"--b\" FROM (SELECT 1 AS \"a\"\"--b\") AS q", 1},
	{"SELECT 1.e1 AS s, .5 AS t;\n-- done\n", "SELECT 1.e1 AS s, .5 AS t", 1},
	{"SELECT 1;; SELECT 2 ; /* ; */", "SELECT 1;; SELECT 2", 2},
}

func TestUglyCases(t *testing.T) {
	for _, c := range uglyCases {
		if got := Normalize(c.sql); got != c.norm {
			t.Errorf("Normalize(%q) = %q, want %q", c.sql, got, c.norm)
		}
		if got := len(Statements(c.sql)); got != c.stmts {
			t.Errorf("Statements(%q): %d, want %d", c.sql, got, c.stmts)
		}
	}
}

// TestTokens pins token boundaries where the rules are subtle.
func TestTokens(t *testing.T) {
	cases := map[string][]string{
		"1e'x'":          {"1", "e'x'"},
		"1.5e-3x":        {"1.5e-3", "x"},
		"1..2":           {"1", "..", "2"},
		"1_000_":         {"1_000", "_"},
		"$1$ $a$x$a$":    {"$1", "$", " ", "$a$x$a$"},
		"U&'\\' u&\"x\"": {"U&'\\'", " ", "u&\"x\""},
		"u& 'x'":         {"u", "&", " ", "'x'"},
		"?1 ? --x\r\vy":  {"?1", " ", "?", " ", "--x", "\r", "\v", "y"},
		"/*/ */*/":       {"/*/ */", "*", "/"},
		"b'1' x'f' n'":   {"b'1'", " ", "x'f'", " ", "n'"},
		"name'x'":        {"name", "'x'"},
	}
	for in, want := range cases {
		var got []string
		for tok := range All(in) {
			got = append(got, tok.Text(in))
		}
		if !slices.Equal(got, want) {
			t.Errorf("tokens of %q = %q, want %q", in, got, want)
		}
	}
}

func TestTrim(t *testing.T) {
	cases := map[string]string{
		"SELECT 1;":                        "SELECT 1",
		"SELECT 1; -- done\n":              "SELECT 1",
		"SELECT ';' AS s ;;\n/* end */\n":  "SELECT ';' AS s",
		"SELECT 1 -- trailing":             "SELECT 1",
		"SELECT E'it\\'s -- x' AS s -- c":  "SELECT E'it\\'s -- x' AS s",
		"SELECT 1 AS a\r-- c\r, 2 AS b\r":  "SELECT 1 AS a\r-- c\r, 2 AS b",
		"SELECT $$ ; -- $$ /* $$ */ -- $$": "SELECT $$ ; -- $$",
	}
	for in, want := range cases {
		if got := Trim(in); got != want {
			t.Errorf("Trim(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSkipSpace(t *testing.T) {
	s := "  -- a\r/* b /* c */ */\f x"
	if got := SkipSpace(s, 0); s[got:] != "x" {
		t.Errorf("SkipSpace stopped at %q", s[got:])
	}
	if got := SkipSpace("-- only", 0); got != len("-- only") {
		t.Errorf("SkipSpace(comment only) = %d", got)
	}
}
