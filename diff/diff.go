// Package diff compares a model's relation in two targets (a pull
// request's build and production, say) inside the warehouse: columns
// added, removed and retyped, row counts, and rows added, removed and
// changed by the model's unique key (or whole rows without one), with a
// few sample rows. Only the counts and the samples leave the warehouse.
package diff

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/weir-sh/weir/adapters"
)

// Spec is one model to compare.
type Spec struct {
	Model string
	// Base is the relation in the target compared against (prod), Head
	// the one in this target.
	Base, Head adapters.Relation
	// Key is the model's unique_key; empty compares whole rows.
	Key []string
	// Samples is how many rows of each kind to show.
	Samples int
}

// Column is a column added or removed, with its type.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// Retyped is a column whose type changed.
type Retyped struct {
	Name string `json:"name"`
	Base string `json:"base_type"`
	Head string `json:"head_type"`
}

// Statuses of a Result.
const (
	Same    = "same"    // same columns and rows
	Changed = "changed" // columns or rows differ
	New     = "new"     // not in the base target
	Gone    = "missing" // not in this target
)

// Result is the comparison of one model.
type Result struct {
	Model  string `json:"model"`
	Status string `json:"status"`
	Base   string `json:"base"`
	Head   string `json:"head"`
	// Key is what rows were matched on; empty when whole rows were.
	Key            []string  `json:"key,omitempty"`
	ColumnsAdded   []Column  `json:"columns_added,omitempty"`
	ColumnsRemoved []Column  `json:"columns_removed,omitempty"`
	ColumnsRetyped []Retyped `json:"columns_retyped,omitempty"`
	BaseRows       int64     `json:"base_rows"`
	HeadRows       int64     `json:"head_rows"`
	RowsAdded      int64     `json:"rows_added"`
	RowsRemoved    int64     `json:"rows_removed"`
	// RowsChanged counts keys whose other columns differ (keyed only).
	RowsChanged int64 `json:"rows_changed"`
	// Note says what could not be compared, when something could not.
	Note    string  `json:"note,omitempty"`
	Samples Samples `json:"samples"`
}

// Samples are a few rows of each kind of change.
type Samples struct {
	Added   *Table       `json:"added,omitempty"`
	Removed *Table       `json:"removed,omitempty"`
	Changed []ChangedRow `json:"changed,omitempty"`
}

// Table is sample rows with their columns.
type Table struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// ChangedRow is one key whose row differs: the key's values and the
// columns that differ.
type ChangedRow struct {
	Key     []any       `json:"key"`
	Changes []CellDiffs `json:"changes"`
}

// CellDiffs is one column of a changed row.
type CellDiffs struct {
	Column string `json:"column"`
	Base   any    `json:"base"`
	Head   any    `json:"head"`
}

// Compare compares spec's two relations on a, which reads both.
func Compare(ctx context.Context, a adapters.Adapter, spec Spec) (*Result, error) {
	d := a.Dialect()
	r := &Result{Model: spec.Model, Base: spec.Base.String(), Head: spec.Head.String(), Status: Same}
	cat, ok := a.(adapters.Cataloger)
	if !ok {
		return nil, fmt.Errorf("the %s adapter cannot list columns", d.Name())
	}
	baseCols, err := cat.Columns(ctx, spec.Base)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", spec.Base, err)
	}
	headCols, err := cat.Columns(ctx, spec.Head)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", spec.Head, err)
	}
	switch {
	case len(baseCols) == 0 && len(headCols) == 0:
		return nil, fmt.Errorf("%s is in neither target (%s, %s); build it first", spec.Model, spec.Base, spec.Head)
	case len(baseCols) == 0:
		r.Status = New
		return r, nil
	case len(headCols) == 0:
		r.Status = Gone
		return r, nil
	}
	q := &query{d: d, base: adapters.QuoteRelation(d, spec.Base), head: adapters.QuoteRelation(d, spec.Head), cast: map[string]bool{}}
	common := r.columns(baseCols, headCols, q)
	q.key, q.cols = splitKey(spec.Key, common)
	if len(spec.Key) > 0 && len(q.key) == 0 {
		r.Note = fmt.Sprintf("unique_key %s is not in both relations; compared whole rows", strings.Join(spec.Key, ", "))
	}
	if len(q.key) == 0 {
		q.cols = common
	}
	r.Key = q.key
	if err := r.count(ctx, a, q, spec.Samples); err != nil {
		return nil, err
	}
	if len(r.ColumnsAdded)+len(r.ColumnsRemoved)+len(r.ColumnsRetyped) > 0 || r.RowsAdded+r.RowsRemoved+r.RowsChanged > 0 {
		r.Status = Changed
	}
	return r, nil
}

// columns fills in the column changes and returns the columns in both,
// in head's order; retyped ones are compared as text.
func (r *Result) columns(base, head []adapters.ColumnInfo, q *query) []string {
	inBase := map[string]adapters.ColumnInfo{}
	for _, c := range base {
		inBase[strings.ToLower(c.Name)] = c
	}
	inHead := map[string]bool{}
	var common []string
	for _, c := range head {
		inHead[strings.ToLower(c.Name)] = true
		b, ok := inBase[strings.ToLower(c.Name)]
		switch {
		case !ok:
			r.ColumnsAdded = append(r.ColumnsAdded, Column(c))
			continue
		case !strings.EqualFold(b.Type, c.Type):
			r.ColumnsRetyped = append(r.ColumnsRetyped, Retyped{Name: c.Name, Base: b.Type, Head: c.Type})
			q.cast[c.Name] = true
		}
		common = append(common, c.Name)
	}
	for _, c := range base {
		if !inHead[strings.ToLower(c.Name)] {
			r.ColumnsRemoved = append(r.ColumnsRemoved, Column(c))
		}
	}
	return common
}

// splitKey returns the key columns when all are in common, and the
// other common columns.
func splitKey(key, common []string) (keys, rest []string) {
	isKey := map[string]bool{}
	for _, k := range key {
		isKey[strings.ToLower(k)] = true
	}
	for _, c := range common {
		if isKey[strings.ToLower(c)] {
			keys = append(keys, c)
		} else {
			rest = append(rest, c)
		}
	}
	if len(keys) != len(key) {
		return nil, common
	}
	return keys, rest
}

// count runs the aggregate queries and the samples.
func (r *Result) count(ctx context.Context, a adapters.Adapter, q *query, samples int) error {
	rows, err := a.Query(ctx, q.countsSQL())
	if err != nil {
		return err
	}
	r.BaseRows, r.HeadRows = num(rows.Values[0][0]), num(rows.Values[0][1])
	if len(q.key)+len(q.cols) == 0 {
		r.Note = "no column is in both relations; rows not compared"
		return nil
	}
	if len(q.key) == 0 {
		return r.unkeyed(ctx, a, q, samples)
	}
	if rows, err = a.Query(ctx, q.keyedCountsSQL()); err != nil {
		return err
	}
	r.RowsAdded, r.RowsRemoved, r.RowsChanged = num(rows.Values[0][0]), num(rows.Values[0][1]), num(rows.Values[0][2])
	if samples <= 0 {
		return nil
	}
	if r.RowsAdded > 0 {
		if r.Samples.Added, err = table(ctx, a, q.onlyInSQL(q.head, q.base, samples)); err != nil {
			return err
		}
	}
	if r.RowsRemoved > 0 {
		if r.Samples.Removed, err = table(ctx, a, q.onlyInSQL(q.base, q.head, samples)); err != nil {
			return err
		}
	}
	if r.RowsChanged > 0 {
		return r.changed(ctx, a, q, samples)
	}
	return nil
}

func (r *Result) unkeyed(ctx context.Context, a adapters.Adapter, q *query, samples int) error {
	rows, err := a.Query(ctx, q.unkeyedCountsSQL())
	if err != nil {
		return err
	}
	r.RowsAdded, r.RowsRemoved = num(rows.Values[0][0]), num(rows.Values[0][1])
	if samples <= 0 {
		return nil
	}
	if r.RowsAdded > 0 {
		if r.Samples.Added, err = table(ctx, a, q.unkeyedSampleSQL(q.head, q.base, samples)); err != nil {
			return err
		}
	}
	if r.RowsRemoved > 0 {
		if r.Samples.Removed, err = table(ctx, a, q.unkeyedSampleSQL(q.base, q.head, samples)); err != nil {
			return err
		}
	}
	return nil
}

// changed samples keys whose rows differ, keeping the columns that do.
func (r *Result) changed(ctx context.Context, a adapters.Adapter, q *query, samples int) error {
	rows, err := a.Query(ctx, q.changedSQL(samples))
	if err != nil {
		return err
	}
	nk := len(q.key)
	for _, row := range rows.Values {
		cr := ChangedRow{}
		for _, v := range row[:nk] {
			cr.Key = append(cr.Key, value(v))
		}
		for i, c := range q.cols {
			b, h := value(row[nk+2*i]), value(row[nk+2*i+1])
			if fmt.Sprint(b) != fmt.Sprint(h) {
				cr.Changes = append(cr.Changes, CellDiffs{Column: c, Base: b, Head: h})
			}
		}
		r.Samples.Changed = append(r.Samples.Changed, cr)
	}
	return nil
}

func table(ctx context.Context, a adapters.Adapter, sql string) (*Table, error) {
	rows, err := a.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	t := &Table{Columns: rows.Columns, Rows: make([][]any, len(rows.Values))}
	for i, row := range rows.Values {
		t.Rows[i] = make([]any, len(row))
		for j, v := range row {
			t.Rows[i][j] = value(v)
		}
	}
	return t, nil
}

// value keeps JSON-native values and writes the rest as text: dates as
// YYYY-MM-DD, timestamps with their seconds, decimals as digits.
func value(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64:
		return v
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05.999999")
	}
	return fmt.Sprint(v)
}

// num reads a count, whatever integer type the driver gives.
func num(v any) int64 {
	n, _ := adapters.Int64(v)
	return n
}
