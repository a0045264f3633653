package conformance

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/weir-sh/weir/datatests"
	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

// HostileStrings are values that break a string literal or an identifier
// written without proper quoting: quotes, backslashes before quotes (an
// escape when Postgres runs with standard_conforming_strings off),
// dollar quotes, comment openers and statement ends.
var HostileStrings = []string{
	`'`, `''`, `\`, `\'`, `\\'`, `abc\`, `x\'; DROP TABLE canary; --`, `'; DROP TABLE canary; --`,
	`"`, `""`, `\"`, `$$`, `$weir$`, `/*`, `*/`, `--`, `\n`, "line\nbreak\ttab", `E'\x41'`, `%s %d`, `{{ .x }}`, `é ☃ 日本`,
}

// RunQuoting runs the quoting tests alone: every hostile string
// round-trips through the dialect's literal and identifier quoting, and
// hostile names and values in a project neither break its SQL nor change
// on the way. An adapter runs it once more on a connection whose settings
// change how strings are read (Postgres's standard_conforming_strings).
func RunQuoting(t *testing.T, h Harness) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Harness)
	}{
		{"QuotingRoundTrip", testQuotingRoundTrip},
		{"HostileNamesAndValues", testHostileNamesAndValues},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, h)
		})
	}
}

// testQuotingRoundTrip selects each hostile string as a literal, under
// itself as a column alias, and reads both back unchanged.
func testQuotingRoundTrip(t *testing.T, h Harness) {
	p := NewProject(t, h)
	a := p.Adapter()
	d := a.Dialect()
	for _, s := range HostileStrings {
		q := fmt.Sprintf("SELECT %s AS %s", d.QuoteLiteral(s), d.QuoteIdent(s))
		rows, err := a.Query(context.Background(), q)
		if err != nil {
			t.Errorf("%s: %v", q, err)
			continue
		}
		if len(rows.Values) != 1 || fmt.Sprint(rows.Values[0][0]) != s {
			t.Errorf("%s returned %v, want the value %q", q, rows.Values, s)
		}
		if len(rows.Columns) != 1 || rows.Columns[0] != s {
			t.Errorf("%s named its column %q, want %q", q, rows.Columns, s)
		}
	}
}

// testHostileNamesAndValues loads hostile values from a seed, tests them
// with accepted_values and a unit test, fails a model on a column with a
// hostile name, and checks that a canary table survived, the values
// matched exactly and the state store recorded the failure's message as
// it is.
func testHostileNamesAndValues(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("models/inj/seed_me.sql", "SELECT 1 AS x\n")
	p.MustBuild()
	canary := p.Relation("inj.seed_me")
	canary.Name = "canary"
	d := p.Adapter().Dialect()
	p.Exec("CREATE TABLE " + quoteRel(d.QuoteIdent, canary.Schema, canary.Name) + " AS SELECT 1 AS alive")

	// Model and seed file names must be plain identifiers; a hostile
	// name reaches the state store in a failing model's message instead.
	evil := `o'k\'; DROP TABLE canary; --`
	p.Write("models/inj/broken.sql", "SELECT "+d.QuoteIdent(evil)+" FROM inj.vals\n")
	// The model is a template with its config in a /* comment */: its
	// values hold neither */ nor {{.
	var values []string
	var tuples [][]string
	for _, s := range HostileStrings {
		if strings.Contains(s, "*/") || strings.Contains(s, "{{") {
			continue
		}
		values = append(values, HCLString(s))
		tuples = append(tuples, []string{d.QuoteLiteral(s)})
	}
	p.Write("models/inj/vals.sql", `/* config
column "v" {
  test "accepted_values" { values = [`+strings.Join(values, ", ")+`] }
}
*/
SELECT * FROM `+Table("t", []string{"v"}, tuples...)+`
`)
	p.Write("models/inj/echo.sql", "SELECT v FROM inj.vals\n")
	var given, expect []string
	for _, s := range HostileStrings {
		given = append(given, "{ v = "+HCLString(s)+" }")
		expect = append(expect, "{ v = "+HCLString(s)+" }")
	}
	p.Write("tests/unit/inj.hcl", `unit "echo_hostile" {
  model = "inj.echo"
  given "inj.vals" {
    rows = [`+strings.Join(given, ", ")+`]
  }
  expect {
    rows = [`+strings.Join(expect, ", ")+`]
  }
}
`)
	var csv strings.Builder
	csv.WriteString("i,v\n")
	for i, s := range HostileStrings {
		fmt.Fprintf(&csv, "%d,\"%s\"\n", i, strings.ReplaceAll(s, `"`, `""`))
	}
	p.Write("seeds/inj/hostile.csv", csv.String())
	res, _ := p.BuildPlanned(planner.Input{})
	var want [][]string
	for i, s := range HostileStrings {
		want = append(want, []string{fmt.Sprint(i), s})
	}
	EqualRows(t, "the seed of hostile values", p.Strings("SELECT i, v FROM "+p.Rel("inj.hostile")+" ORDER BY i"), want)
	if r := Result(t, res, "inj.broken"); r.Status != runner.StatusError || !strings.Contains(r.Message, evil) {
		t.Errorf("inj.broken: %s %q; want an error naming the column %s", r.Status, r.Message, evil)
	}
	found := map[string]datatests.Result{}
	for _, r := range res.Results {
		for _, tr := range r.Tests {
			found[tr.Kind] = tr
		}
	}
	for _, kind := range []string{"accepted_values", datatests.KindUnit} {
		if tr, ok := found[kind]; !ok || tr.Status != datatests.StatusPass {
			t.Errorf("%s: %s %q, want a pass: every hostile value must reach the warehouse unchanged", kind, tr.Status, tr.Message)
		}
	}
	EqualRows(t, "the canary", p.Strings("SELECT alive FROM "+quoteRel(d.QuoteIdent, canary.Schema, canary.Name)), Rows("1"))
	_, store := p.Plan(planner.Input{})
	nodes, err := store.Nodes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := nodes["inj.broken"].LastMessage; !strings.Contains(got, evil) {
		t.Errorf("the state store recorded inj.broken's message as %q; it should hold %s as it is", got, evil)
	}
}

func quoteRel(quote func(string) string, schema, name string) string {
	return quote(schema) + "." + quote(name)
}
