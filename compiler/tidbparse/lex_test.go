package tidbparse

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/mysql"

	"github.com/weir-sh/weir/compiler/sqlparse"
)

// words lists the identifiers and string values of sql as TiDB's own
// lexer reads them, leaving out numbers, operators and punctuation.
func tidbWords(sql string, ansiQuotes bool) []string {
	s := parser.NewScanner(sql)
	if ansiQuotes {
		s.SetSQLMode(mysql.ModeANSIQuotes)
	}
	var out []string
	for range len(sql) + 1 {
		v, ok := s.LexLiteral().(string)
		if ok && v != "" && !isPunctuation(v) {
			out = append(out, v)
		}
	}
	return out
}

// ourWords is the same list from lex.
func ourWords(sql string, ansiQuotes bool) []string {
	var out []string
	for _, t := range lex(sql, ansiQuotes) {
		if (t.kind == tokWord || t.kind == tokQuoted || t.kind == tokString || t.kind == tokExec) && t.name != "" && !isPunctuation(t.name) {
			out = append(out, t.name)
		}
	}
	return out
}

func isPunctuation(s string) bool {
	return strings.Trim(s, "!\"#%&'()*+,-./:;<=>?@[\\]^`{|}~") == ""
}

var lexSeeds = []string{
	"SELECT `a``b`, 'x\\'y', \"q\"\"r\", 1.5e3, 3 + 4 >= b.c # hi\n FROM /*! t */ /* no */ u -- x\n;",
	"SELECT a--b FROM t",
	"SELECT 'a' 'b' FROM `s`.`t` WHERE x <=> 1 AND y := 2",
	"SELECT /*+ MAX_EXECUTION_TIME(1000) */ * FROM t1 STRAIGHT_JOIN t2",
	"SELECT 1abc, abc1, $x, é FROM `日本`.t",
	"SELECT \"x\" FROM t",
	"SELECT .5, t.5x FROM t",
	"SELECT 'it''s', 'back\\\\slash' FROM t # end",
}

// TestLexerAgreesWithTiDB holds lex to TiDB's lexer on the seeds: the
// identifiers and strings read, in order, with ANSI_QUOTES off and on.
func TestLexerAgreesWithTiDB(t *testing.T) {
	for _, sql := range lexSeeds {
		checkAgainstTiDB(t, sql)
	}
}

func checkAgainstTiDB(t *testing.T, sql string) {
	for _, ansi := range []bool{false, true} {
		p := parser.New()
		if ansi {
			p.SetSQLMode(mysql.ModeANSIQuotes)
		}
		if _, _, err := p.Parse(sql, "", ""); err != nil {
			continue // only text TiDB reads is compared
		}
		if want, got := tidbWords(sql, ansi), ourWords(sql, ansi); !slices.Equal(want, got) {
			t.Errorf("ansi_quotes=%v %q:\nTiDB %q\n lex %q", ansi, sql, want, got)
		}
	}
}

// FuzzLexerVsTiDB is the differential test of decision 11 for MySQL: on
// any text TiDB's parser accepts, lex reads the same identifiers and
// strings as TiDB's lexer.
func FuzzLexerVsTiDB(f *testing.F) {
	for _, s := range lexSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		if len(sql) > 512 || sqlparse.CheckText(sql) != nil {
			return // Parse refuses NUL bytes and invalid UTF-8 before lexing
		}
		if strings.ContainsAny(sql, "0123456789") {
			// Where a number ends and a name begins (1e5x, 0x1G, t.5,
			// /*!50001) the lexers may split differently; the seeds pin
			// the cases that matter, and names are found by comparing with
			// the AST's, which come from TiDB.
			return
		}
		defer func() {
			if r := recover(); r != nil {
				t.Skip(fmt.Sprint("TiDB's lexer panicked: ", r))
			}
		}()
		checkAgainstTiDB(t, sql)
	})
}
