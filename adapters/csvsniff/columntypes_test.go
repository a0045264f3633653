package csvsniff

import (
	"strings"
	"testing"
)

func TestColumnTypes(t *testing.T) {
	names := []string{"id", "Amount", "amount", "note"}
	aliases := map[string]string{"double": "double precision"}
	got, err := ColumnTypes(names, map[string]string{"AMOUNT": " Double ", "amount": "int", "NOTE": "text"}, aliases)
	if err != nil {
		t.Fatal(err)
	}
	// "amount" matches its own column exactly; "AMOUNT" falls back to the
	// first column equal without case; the alias respells double.
	want := map[int]string{1: "double precision", 2: "int", 3: "text"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i, ty := range want {
		if got[i] != ty {
			t.Errorf("column %d: got %q, want %q", i, got[i], ty)
		}
	}

	_, err = ColumnTypes(names, map[string]string{"zeta": "int", "missing": "int"}, nil)
	if err == nil || !strings.Contains(err.Error(), `column "missing"`) || !strings.Contains(err.Error(), "id, Amount, amount, note") {
		t.Fatalf("want an error naming the first missing column and listing the file's, got %v", err)
	}
}
