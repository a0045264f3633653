package graph

import (
	"errors"
	"testing"
)

// TestSelectWithEmptyOK: a part whose method may match nothing selects
// nothing instead of failing, alone, in an intersection or in a union;
// other methods still fail.
func TestSelectWithEmptyOK(t *testing.T) {
	g := build(t, selectGraph...)
	match := func(method, value, id string) (bool, error) {
		if method == "state" {
			return false, nil
		}
		return testMatch(method, value, id)
	}
	emptyOK := func(method string) bool { return method == "state" }
	for _, tc := range []struct {
		include []string
		want    int
	}{
		{[]string{"state:modified+"}, 0},
		{[]string{"state:modified,tag:daily"}, 0},
		{[]string{"state:modified mart"}, 1},
	} {
		sel, err := SelectWith(g, tc.include, nil, match, emptyOK)
		if err != nil || len(sel.IDs) != tc.want {
			t.Errorf("%v = %v, %v; want %d nodes", tc.include, sel.IDs, err, tc.want)
		}
	}
	_, err := SelectWith(g, []string{"tag:nope"}, nil, match, emptyOK)
	if nm := (*NoMatchError)(nil); !errors.As(err, &nm) {
		t.Errorf("tag:nope: %v, want a NoMatchError", err)
	}
}
