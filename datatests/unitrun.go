package datatests

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/models"
)

// RunUnit runs unit test u on a and compares the model's output with the
// expected rows, ignoring their order. Only the columns the expected rows
// name are compared. Given columns with neither a declared type nor a
// value take the type of the real column they stand in for, when the
// warehouse has it. A failing result's Message is a diff naming each
// missing and each unexpected row.
func (s *Suite) RunUnit(ctx context.Context, a adapters.Adapter, u *Unit) Result {
	t0 := time.Now()
	res := Result{Name: u.Name, Kind: KindUnit, Node: u.Model, Severity: models.SeverityError, File: where(u.Decl.DeclRange)}
	sql := u.SQL
	if found := u.catalogTypes(ctx, a); found != nil {
		sql = u.query(found)
	}
	rows, err := a.Query(ctx, sql)
	res.DurationMS = float64(time.Since(t0).Microseconds()) / 1000
	if err != nil {
		res.Status, res.Message = StatusError, fmt.Sprintf("running %s on the given rows: %v", u.Model, err)
		return res
	}
	d, err := compareRows(rows, u.Expect)
	if err != nil {
		res.Status, res.Failures, res.Message = StatusFail, 1, err.Error()
		return res
	}
	res.Failures = int64(len(d.missing) + len(d.unexpected))
	if res.Failures == 0 {
		res.Status, res.Message = StatusPass, fmt.Sprintf("%s matched", Plural(int64(len(rows.Values)), "row"))
		return res
	}
	res.Status, res.Message = StatusFail, d.String()
	return res
}

// rowDiff is what differs between a result and the expected rows.
type rowDiff struct {
	missing    []string // expected rows not returned
	unexpected []string // returned rows not expected
	matched    int
	total      int
}

// compareRows matches returned rows with expected ones as multisets. It
// fails outright when an expected column is not in the result.
func compareRows(rows *adapters.Rows, want models.UnitRows) (*rowDiff, error) {
	idx := make([]int, len(want.Columns))
	for i, c := range want.Columns {
		idx[i] = -1
		for j, got := range rows.Columns {
			if strings.EqualFold(got, c) {
				idx[i] = j
				break
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("the model returns no column %q; its columns are %s", c, strings.Join(rows.Columns, ", "))
		}
	}
	d := &rowDiff{total: len(want.Rows)}
	used := make([]bool, len(rows.Values))
	for _, w := range want.Rows {
		found := false
		for k, got := range rows.Values {
			if used[k] {
				continue
			}
			eq := true
			for i, c := range want.Columns {
				v, ok := w.Values[c]
				if !ok {
					v = nullValue
				}
				if !cellEqual(got[idx[i]], v) {
					eq = false
					break
				}
			}
			if eq {
				used[k], found = true, true
				break
			}
		}
		if found {
			d.matched++
			continue
		}
		cells := make([]string, len(want.Columns))
		for i, c := range want.Columns {
			v, ok := w.Values[c]
			if !ok {
				v = nullValue
			}
			cells[i] = c + " = " + showExpected(v)
		}
		d.missing = append(d.missing, "{ "+strings.Join(cells, ", ")+" }")
	}
	show, showIdx := want.Columns, idx
	if len(show) == 0 { // expect { rows = [] }: show whole rows
		show = rows.Columns
		showIdx = make([]int, len(show))
		for i := range showIdx {
			showIdx[i] = i
		}
	}
	for k, got := range rows.Values {
		if used[k] {
			continue
		}
		cells := make([]string, len(show))
		for i, c := range show {
			typ := ""
			if showIdx[i] < len(rows.Types) {
				typ = rows.Types[showIdx[i]]
			}
			cells[i] = c + " = " + showActual(got[showIdx[i]], typ)
		}
		d.unexpected = append(d.unexpected, "{ "+strings.Join(cells, ", ")+" }")
	}
	return d, nil
}

// String prints the diff: the missing rows with "-", the unexpected
// with "+".
func (d *rowDiff) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d expected rows matched (order ignored)", d.matched, d.total)
	if len(d.missing) > 0 {
		fmt.Fprintf(&b, "\nexpected but not returned:")
		for _, r := range d.missing {
			b.WriteString("\n  - " + r)
		}
	}
	if len(d.unexpected) > 0 {
		fmt.Fprintf(&b, "\nreturned but not expected:")
		for _, r := range d.unexpected {
			b.WriteString("\n  + " + r)
		}
	}
	return b.String()
}
