package conformance

import (
	"database/sql"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// TestDigitSeries counts and sums DigitSeries on an in-memory DuckDB.
func TestDigitSeries(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, n := range []int{1, 7, 10, 11, 99, 100, 250, 200000} {
		var count, sum, lo, hi int64
		q := "SELECT count(*), sum(x), min(x), max(x) FROM " + DigitSeries("s", "x", n)
		if err := db.QueryRow(q).Scan(&count, &sum, &lo, &hi); err != nil {
			t.Fatalf("n=%d: %v\n%s", n, err, q)
		}
		if count != int64(n) || sum != int64(n)*int64(n+1)/2 || lo != 1 || hi != int64(n) {
			t.Errorf("n=%d: count %d, sum %d, min %d, max %d", n, count, sum, lo, hi)
		}
	}
}
