package csvsniff

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/weir-sh/weir/adapters"
)

// TestRecords reads the records after the header with the line each
// starts on (a quoted line break moves the next one down), stops at the
// first error fn returns, and names the line of a quoting mistake.
func TestRecords(t *testing.T) {
	path := write(t, "\ufeffid;note\n1;plain\n2;\"two\nlines\"\n3;last\n")
	var got []string
	err := Records(path, ';', func(line int, rec []string) error {
		got = append(got, fmt.Sprintf("%s@%d", strings.Join(rec, "|"), line))
		return nil
	})
	if want := []string{"1|plain@2", "2|two\nlines@3", "3|last@5"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}

	stop := errors.New("stop")
	calls := 0
	if err := Records(path, ';', func(int, []string) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("fn's error: got %v after %d calls, want it after 1", err, calls)
	}

	bad := write(t, "a,b\n1,2\n3,\"open\n")
	err = Records(bad, ',', func(int, []string) error { return nil })
	if err == nil || !strings.Contains(err.Error(), bad+":3:") {
		t.Errorf("an unclosed quote on line 3: got %v", err)
	}
}

// backticks quotes identifiers as MySQL does; it writes nothing else.
type backticks struct{ adapters.Dialect }

func (backticks) QuoteIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// TestTableSQL writes a seed's CREATE TABLE and column list in the
// dialect's quoting, with the types column_types set in place.
func TestTableSQL(t *testing.T) {
	d := backticks{}
	cols := []adapters.ColumnInfo{{Name: "Id", Type: "bigint"}, {Name: `say "hi"`, Type: "text"}}
	if err := ApplyTypes(cols, map[string]string{"id": "NUMBER"}, map[string]string{"number": "numeric(10,0)"}); err != nil {
		t.Fatal(err)
	}
	rel := adapters.Relation{Schema: "raw", Name: "people"}
	if got, want := CreateTableSQL(d, rel, cols), "CREATE TABLE `raw`.`people` (`Id` numeric(10,0), `say \"hi\"` text)"; got != want {
		t.Errorf("CreateTableSQL:\n got %s\nwant %s", got, want)
	}
	if got, want := ColumnList(d, cols), "`Id`, `say \"hi\"`"; got != want {
		t.Errorf("ColumnList: got %s, want %s", got, want)
	}
	if err := ApplyTypes(cols, map[string]string{"nope": "text"}, nil); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("a type for a column the file lacks: got %v", err)
	}
}
