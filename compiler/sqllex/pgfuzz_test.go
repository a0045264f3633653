package sqllex

import (
	"encoding/json"
	"strings"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// FuzzLexerVsPostgres holds the lexer to Postgres's own parser
// (libpg_query, the grammar compiler/pgparse uses for Postgres targets) as
// FuzzLexerVsDuckDB does to DuckDB's: same statement count and spans, and
// Normalize and Trim keep what Postgres reads.
func FuzzLexerVsPostgres(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		// libpg_query has Postgres 17's scanner, where \v is white space
		// (since 16); Postgres 15 and DuckDB refuse it, and so the lexer
		// keeps it as code: a text holding one changes its fingerprint.
		if !comparable(text) || strings.Contains(text, "\v") {
			return
		}
		text = unglue(text)
		want, ok := pgTree(t, text)
		if !ok {
			return // text Postgres rejects needs no agreement
		}
		checkAgreement(t, pgTree, text, want)
	})
}

// pgTree returns Postgres's parse of text as its statements' trees
// without locations, or false if Postgres refuses the text.
func pgTree(t *testing.T, text string) ([]any, bool) {
	js, err := pg_query.ParseToJSON(text)
	if err != nil {
		return nil, false
	}
	var tree struct {
		Stmts []any `json:"stmts"`
	}
	if err := json.Unmarshal([]byte(js), &tree); err != nil {
		t.Fatal(err)
	}
	for _, s := range tree.Stmts {
		dropLocations(s)
	}
	return tree.Stmts, true
}
