package sqlparse

import (
	"context"
	"errors"
	"testing"
)

// TestBatchAnswers: a batch query answers each text of the list with the
// JSON a query of that text alone gives, in the list's order.
func TestBatchAnswers(t *testing.T) {
	var texts []string
	for _, c := range loadCorpus(t) {
		texts = append(texts, c.SQL)
	}
	texts = append(texts, "SELECT FROM WHERE", "DROP TABLE x", "", "SELECT 1; SELECT 2")
	got, err := parser.serializeBatch(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		want, err := parser.serializeOne(t.Context(), text)
		if err != nil {
			t.Fatal(err)
		}
		if got[i] != want {
			t.Errorf("%q: in a batch\n%s\nalone\n%s", text, got[i], want)
		}
	}
}

// TestClosed: a parser answers the calls made before Close and refuses
// those after it, without hanging.
func TestClosed(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Parse("SELECT * FROM s.t"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := p.Tree(ctx, "SELECT 1"); !errors.Is(err, context.Canceled) {
		t.Errorf("Tree with a cancelled context: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Parse("SELECT 1"); !errors.Is(err, errClosed) {
		t.Errorf("Parse after Close: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
