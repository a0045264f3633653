package graph

import (
	"errors"
	"path"
	"strings"
	"testing"
)

// selectGraph:
//
//	src -> stg_a -> int_ab -> mart -> report
//	src -> stg_b -> int_ab
//	       stg_b -> other
//	lone
var selectGraph = []string{
	"src>stg_a", "src>stg_b", "stg_a>int_ab", "stg_b>int_ab",
	"int_ab>mart", "mart>report", "stg_b>other", "lone",
}

var tags = map[string][]string{
	"stg_a":  {"daily"},
	"stg_b":  {"daily", "pii"},
	"mart":   {"hourly"},
	"report": {"daily"},
}

var errUnknownMethod = errors.New("unknown method")

func testMatch(method, value, id string) (bool, error) {
	switch method {
	case "", "name":
		return path.Match(value, id)
	case "tag":
		for _, t := range tags[id] {
			if t == value {
				return true, nil
			}
		}
		return false, nil
	}
	return false, errUnknownMethod
}

func TestSelect(t *testing.T) {
	g := build(t, selectGraph...)
	all := g.Nodes()
	cases := []struct {
		name             string
		include, exclude []string
		want             []string
	}{
		{"plain name", []string{"int_ab"}, nil, []string{"int_ab"}},
		{"explicit method", []string{"name:mart"}, nil, []string{"mart"}},
		{"all ancestors", []string{"+int_ab"}, nil, []string{"int_ab", "src", "stg_a", "stg_b"}},
		{"all descendants", []string{"int_ab+"}, nil, []string{"int_ab", "mart", "report"}},
		{"both", []string{"+int_ab+"}, nil, []string{"int_ab", "mart", "report", "src", "stg_a", "stg_b"}},
		{"ancestors depth 1", []string{"1+int_ab"}, nil, []string{"int_ab", "stg_a", "stg_b"}},
		{"ancestors depth 2", []string{"2+mart"}, nil, []string{"int_ab", "mart", "stg_a", "stg_b"}},
		{"descendants depth 1", []string{"int_ab+1"}, nil, []string{"int_ab", "mart"}},
		{"descendants depth 2", []string{"stg_b+2"}, nil, []string{"int_ab", "mart", "other", "stg_b"}},
		{"depth zero", []string{"0+mart+0"}, nil, []string{"mart"}},
		{"at", []string{"@stg_b"}, nil, []string{"int_ab", "mart", "other", "report", "src", "stg_a", "stg_b"}},
		{"at differs from +x+", []string{"+stg_b+"}, nil, []string{"int_ab", "mart", "other", "report", "src", "stg_b"}},
		{"tag", []string{"tag:daily"}, nil, []string{"report", "stg_a", "stg_b"}},
		{"tag union in one string", []string{"tag:pii tag:hourly"}, nil, []string{"mart", "stg_b"}},
		{"union across strings", []string{"tag:pii", " lone  "}, nil, []string{"lone", "stg_b"}},
		{"glob passed through", []string{"stg_*"}, nil, []string{"stg_a", "stg_b"}},
		{"intersection", []string{"tag:daily,stg_*"}, nil, []string{"stg_a", "stg_b"}},
		{"intersection with graph op", []string{"tag:daily,+mart"}, nil, []string{"stg_a", "stg_b"}},
		{"three-way intersection", []string{"tag:daily,stg_*,tag:pii"}, nil, []string{"stg_b"}},
		{"exclude", []string{"+mart"}, []string{"stg_a"}, []string{"int_ab", "mart", "src", "stg_b"}},
		{"exclude with graph op", []string{"+mart"}, []string{"stg_b+"}, []string{"src", "stg_a"}},
		{"exclude by tag", []string{"tag:daily"}, []string{"tag:pii"}, []string{"report", "stg_a"}},
		{"empty include selects all", nil, nil, all},
		{"blank include selects all", []string{" "}, nil, all},
		{"empty include with exclude", nil, []string{"src+"}, []string{"lone"}},
		{"empty intersection", []string{"tag:hourly,stg_*"}, nil, nil},
		{"excluding everything", []string{"lone"}, []string{"lone"}, nil},
		// Commas bind tighter than spaces: (pii AND stg_*) OR lone.
		{"intersection inside a union", []string{"tag:pii,stg_* lone"}, nil, []string{"lone", "stg_b"}},
		{"repeated flags union", []string{"tag:hourly", "tag:pii,stg_*"}, nil, []string{"mart", "stg_b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Select(g, c.include, c.exclude, testMatch)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "Select", got.IDs, c.want)
		})
	}
}

// TestSelectNamed checks which selected nodes a selector named itself:
// graph operators widen the selection without naming what they add.
func TestSelectNamed(t *testing.T) {
	g := build(t, selectGraph...)
	cases := []struct {
		name             string
		include, exclude []string
		want             []string
	}{
		{"plain name", []string{"int_ab"}, nil, []string{"int_ab"}},
		{"ancestors are not named", []string{"+int_ab"}, nil, []string{"int_ab"}},
		{"at names only its node", []string{"@stg_b"}, nil, []string{"stg_b"}},
		{"union", []string{"mart+", "tag:pii"}, nil, []string{"mart", "stg_b"}},
		{"intersection keeps named members", []string{"tag:daily,+mart"}, nil, []string{"stg_a", "stg_b"}},
		{"exclude removes named", []string{"tag:daily"}, []string{"stg_a"}, []string{"report", "stg_b"}},
		{"no include names nothing", nil, []string{"lone"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Select(g, c.include, c.exclude, testMatch)
			if err != nil {
				t.Fatal(err)
			}
			assertEqual(t, "Named", got.Named, c.want)
		})
	}
}

// TestSelectNoMatch checks that a part matching no node is an error that
// names the part and says which list it came from.
func TestSelectNoMatch(t *testing.T) {
	g := build(t, selectGraph...)
	cases := []struct {
		include, exclude []string
		exclusion        bool
		term, method     string
		value            string
	}{
		{[]string{"nothing"}, nil, false, "nothing", "", "nothing"},
		{[]string{"+int_ab,tag:weekly+"}, nil, false, "+int_ab,tag:weekly+", "tag", "weekly"},
		{[]string{"mart"}, []string{"stg_*", "nope_*"}, true, "nope_*", "", "nope_*"},
	}
	for _, c := range cases {
		_, err := Select(g, c.include, c.exclude, testMatch)
		var nm *NoMatchError
		if !errors.As(err, &nm) {
			t.Fatalf("Select(%q, %q) error = %v, want a NoMatchError", c.include, c.exclude, err)
		}
		if nm.Exclude != c.exclusion || nm.Term != c.term || nm.Method != c.method || nm.Value != c.value {
			t.Errorf("Select(%q, %q): %+v", c.include, c.exclude, *nm)
		}
		if !strings.Contains(err.Error(), "matches no node") {
			t.Errorf("message %q", err)
		}
	}
}

func TestSelectErrors(t *testing.T) {
	g := build(t, selectGraph...)
	cases := []struct {
		include, exclude []string
		want             string
	}{
		{[]string{"src", "bogus:x+"}, nil, `"bogus:x+"`},
		{nil, []string{"tag:a,bogus:x"}, `"tag:a,bogus:x"`},
		{[]string{"@src+"}, nil, `"@src+"`},
		{[]string{"src,"}, nil, "missing value"},
		{[]string{"+"}, nil, "missing value"},
		{[]string{"99999999999999999999+src"}, nil, "bad depth"},
	}
	for _, c := range cases {
		_, err := Select(g, c.include, c.exclude, testMatch)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Select(%q, %q) error = %v, want mention of %s", c.include, c.exclude, err, c.want)
		}
	}
	_, err := Select(g, []string{"bogus:x"}, nil, testMatch)
	if !errors.Is(err, errUnknownMethod) {
		t.Errorf("matcher error not wrapped: %v", err)
	}
}

func TestParseSelector(t *testing.T) {
	cases := map[string]selector{
		"x":                        {value: "x", parentDepth: -1, childDepth: -1},
		"3+tag:t+2":                {method: "tag", value: "t", parents: true, parentDepth: 3, children: true, childDepth: 2},
		"config.materialized:view": {method: "config.materialized", value: "view", parentDepth: -1, childDepth: -1},
		"path:models/a b":          {method: "path", value: "models/a b", parentDepth: -1, childDepth: -1},
		"@source:raw.orders":       {method: "source", value: "raw.orders", at: true, parentDepth: -1, childDepth: -1},
		"2fa_model":                {value: "2fa_model", parentDepth: -1, childDepth: -1},
		"c:/dir:x":                 {method: "c", value: "/dir:x", parentDepth: -1, childDepth: -1},
		"./a:b":                    {value: "./a:b", parentDepth: -1, childDepth: -1},
		"models/marts":             {value: "models/marts", parentDepth: -1, childDepth: -1},
	}
	for in, want := range cases {
		got, err := parseSelector(in)
		if err != nil || got != want {
			t.Errorf("parseSelector(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
}
