package csvsniff

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSniff holds the seed reader to two promises on any file: it never
// panics or hangs, and when it accepts a file, DuckDB reading the file
// with the layout's options (as the DuckDB adapter loads a seed) gets as
// many columns and rows as the layout says, so Postgres (which loads the
// records Go reads) and DuckDB agree on the shape of a seed.
func FuzzSniff(f *testing.F) {
	for _, s := range []string{
		"id,name\n1,a\n2,b\n",
		"\ufeffa|b\r\n1|x\r\n",
		"a;b\n",
		"a,b\n\"x\ny\",1\n",
		"a,b\n1,2\n3\n",
		"a,b\n1,\"open\n2,3\n",
		"a\tb\n1\t\"q\"\"x\"\n",
		"a,b,c\n,,\n1,,3\n",
		" \n",
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		if !utf8.ValidString(content) || strings.ContainsRune(content, 0) {
			t.Skip("seeds are UTF-8 text")
		}
		path := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := Sniff(context.Background(), path)
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		db, err := duck()
		if err != nil {
			t.Fatal(err)
		}
		var cols int
		var rows int64
		q := fmt.Sprintf("SELECT (SELECT count(*) FROM (DESCRIBE SELECT * FROM read_csv(%[1]s, %[2]s))), (SELECT count(*) FROM read_csv(%[1]s, %[2]s))",
			literal(path), l.ReadOptions(literal))
		if err := db.QueryRow(q).Scan(&cols, &rows); err != nil {
			t.Skipf("DuckDB refuses what the sniffer accepted: %v", err)
		}
		if cols != len(l.Columns) || rows != l.Records {
			t.Fatalf("layout says %d columns, %d rows; DuckDB reads %d columns, %d rows", len(l.Columns), l.Records, cols, rows)
		}
	})
}
