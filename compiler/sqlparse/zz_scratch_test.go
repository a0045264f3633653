package sqlparse

import (
	"fmt"
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	for r := rune(0x80); r < 0x110000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		c := string(r)
		s := "SELECT *" + c + "FROM" + c + "t"
		var js string
		if err := parser.stmt.QueryRow(s).Scan(&js); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(js, `"BASE_TABLE"`) {
			i := strings.Index(js, `"from_table"`)
			fmt.Printf("U+%04X %d want %d %s\n", r, len(c), len("SELECT *FROM")+2*len(c), js[i+60:i+80])
		}
	}
}
