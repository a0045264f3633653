package sqlparse

import "testing"

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
