package runner

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"time"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/compiler"
)

// exportCSV writes the rows of node n's relation to path as CSV with a
// header line: a NULL is an empty field, a time RFC 3339.
func (r *Runner) exportCSV(ctx context.Context, n *compiler.Node, path string) error {
	rel := n.ReadRelation()
	if rel.Name == "" {
		return nil // an ephemeral model has no table to read
	}
	rows, err := r.a.Query(ctx, "SELECT * FROM "+adapters.QuoteRelation(r.a.Dialect(), rel))
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(rows.Columns)
	rec := make([]string, len(rows.Columns))
	for _, row := range rows.Values {
		for i, v := range row {
			rec[i] = csvField(v)
		}
		w.Write(rec)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func csvField(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}
