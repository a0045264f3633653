package monitor

import (
	"slices"
	"strings"
	"testing"
)

// TestReadSelection: a selection string or list is read; anything else
// is refused with what to send.
func TestReadSelection(t *testing.T) {
	for body, want := range map[string][]string{
		`{"select": "staging.orders+"}`:            {"staging.orders+"},
		`{"select": "a+ tag:nightly"}`:             {"a+", "tag:nightly"},
		`{"select": ["staging.orders+", "marts"]}`: {"staging.orders+", "marts"},
	} {
		got, err := readSelection(strings.NewReader(body))
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s: %q %v, want %q", body, got, err, want)
		}
	}
	for _, body := range []string{``, `{"select": ""}`, `{"select": 3}`, `{}`, `not json`} {
		if _, err := readSelection(strings.NewReader(body)); err == nil || !strings.Contains(err.Error(), "select") {
			t.Errorf("%q was accepted or the error does not say what to send: %v", body, err)
		}
	}
}
