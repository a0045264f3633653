package sqlparse

import (
	"encoding/json"
	"errors"
	"flag"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/weir-sh/weir/compiler/internal/corpus"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json with what Parse answers now")

// goldenFile holds what Parse answered for every text goldenInputs finds,
// keyed by the text. It pins Parse's whole answer (every field of the
// Result or the error) so that a change in how DuckDB's JSON is read or
// asked for cannot change it unnoticed. Rewrite it with -update only for a
// change meant to change answers.
const goldenFile = "testdata/golden.json"

// outcome is Parse's answer to one text.
type outcome struct {
	Result    *Result         `json:",omitempty"`
	Syntax    *SyntaxError    `json:",omitempty"`
	NotSelect *NotSelectError `json:",omitempty"`
	Other     string          `json:",omitempty"`
}

func outcomeOf(res *Result, err error) outcome {
	var (
		se *SyntaxError
		ns *NotSelectError
	)
	switch {
	case err == nil:
		return outcome{Result: res}
	case errors.As(err, &se):
		return outcome{Syntax: se}
	case errors.As(err, &ns):
		return outcome{NotSelect: ns}
	}
	return outcome{Other: err.Error()}
}

// goldenInputs gathers SQL texts: the corpus and testdata/decode-cases.sql,
// every .sql file of the compiler's and the CLI's txtar cases and of the
// examples, and every string literal in the tests of this package, of the
// lexer and of column lineage (SQL or not: text DuckDB refuses is an
// answer too).
func goldenInputs(t *testing.T) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, f := range []string{"testdata/inference-cases.sql", "testdata/decode-cases.sql"} {
		for _, c := range corpus.Load(t, f) {
			add(c.SQL)
		}
	}
	archives, _ := filepath.Glob("../testdata/cases/*.txtar")
	scripts, _ := filepath.Glob("../../cmd/weir/testdata/script/*.txtar")
	for _, name := range append(archives, scripts...) {
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range a.Files {
			if strings.HasSuffix(f.Name, ".sql") {
				add(string(f.Data))
			}
		}
	}
	err := filepath.WalkDir("../../examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil || !strings.HasSuffix(path, ".sql") {
			return err
		}
		data, err := os.ReadFile(path)
		add(string(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"*_test.go", "../sqllex/*_test.go", "../lineage/*_test.go"} {
		files, _ := filepath.Glob(pattern)
		for _, name := range files {
			f, err := goparser.ParseFile(token.NewFileSet(), name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						add(s)
					}
				}
				return true
			})
		}
	}
	sort.Strings(out)
	return out
}

// TestGolden compares Parse's answers with testdata/golden.json.
func TestGolden(t *testing.T) {
	inputs := goldenInputs(t)
	got := make(map[string]outcome, len(inputs))
	for _, sql := range inputs {
		got[sql] = outcomeOf(parser.Parse(sql))
	}
	// The same texts parsed at once from many goroutines are answered in
	// batches: each must get its own answer.
	batched := make([]outcome, len(inputs))
	var wg sync.WaitGroup
	for g := range parser.Callers() {
		wg.Go(func() {
			for i := g; i < len(inputs); i += parser.Callers() {
				batched[i] = outcomeOf(parser.Parse(inputs[i]))
			}
		})
	}
	wg.Wait()
	if parser.batched.Load() == 0 {
		t.Error("no batch of more than one text")
	}
	for i, sql := range inputs {
		g, _ := json.Marshal(got[sql])
		b, _ := json.Marshal(batched[i])
		if string(g) != string(b) {
			t.Errorf("%q parsed alone and in a batch:\n alone %s\nbatch %s", sql, g, b)
		}
	}
	if *update {
		data, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]outcome
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, sql := range inputs {
		w, ok := want[sql]
		if !ok {
			continue // a text added since the file was written
		}
		compared++
		g, _ := json.Marshal(got[sql])
		wj, _ := json.Marshal(w)
		if string(g) != string(wj) {
			t.Errorf("%q:\n got %s\nwant %s", sql, g, wj)
		}
	}
	if compared < len(want)/2 {
		t.Errorf("only %d of the %d texts of %s were found", compared, len(want), goldenFile)
	}
}
