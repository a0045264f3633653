package sqlparse

import (
	"slices"
	"strings"
	"testing"
)

func TestQualified(t *testing.T) {
	sql := `SELECT staging.t.id, db.staging.t.x, "S" . "T".c, t.y, s.t.st.f, max(raw.u.v)
		FROM staging.t WHERE (SELECT 1 FROM raw.u WHERE raw.u.k = staging.t.k) > 0`
	res, err := parser.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range res.Qualified {
		got = append(got, sql[q.Offset:q.Offset+q.Length])
	}
	// s.t.st.f is listed as catalog.schema.table s.t.st; it may as well be
	// schema.table.column.field: the compiler rewrites only names it knows.
	want := []string{"staging.t", "db.staging.t", `"S" . "T"`, "s.t.st", "raw.u", "raw.u", "staging.t"}
	if !slices.Equal(got, want) {
		t.Errorf("qualifiers = %q, want %q", got, want)
	}
	if q := res.Qualified[1]; q.Catalog != "db" || q.Schema != "staging" || q.Name != "t" || q.Alias != "" {
		t.Errorf("4-part qualifier = %+v", q)
	}
	if q := res.Qualified[2]; q.Schema != "S" || q.Name != "T" || q.Offset != strings.Index(sql, `"S"`) {
		t.Errorf("quoted qualifier = %+v", q)
	}
}
