package postgres

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/lib/pq"

	"github.com/weir-sh/weir/adapters"
	"github.com/weir-sh/weir/adapters/csvsniff"
)

// LoadCSV creates rel from the CSV file at path and loads it with COPY
// FROM STDIN in x's transaction (in a transaction of its own when x is not
// one): PrepareCSV, then Load. The file's layout (header, delimiter,
// column types) is what DuckDB's CSV sniffer reads (see sniffCSV), unless
// types names the column (exact name first, then case-insensitively).
// Empty fields are NULL. A header-only file makes an empty table of text
// columns.
func (a *Adapter) LoadCSV(ctx context.Context, x adapters.Execer, rel adapters.Relation, path string, types map[string]string) (int64, error) {
	seed, err := a.PrepareCSV(ctx, path, types)
	if err != nil {
		return 0, err
	}
	return seed.Load(ctx, x, rel)
}

// PrepareCSV reads the whole CSV file at path to work out its columns and
// their types, before the transaction that loads it begins: a transaction
// left idle while a large file is read would be ended by the server's
// idle_in_transaction_session_timeout.
func (a *Adapter) PrepareCSV(ctx context.Context, path string, types map[string]string) (adapters.PreparedSeed, error) {
	cols, delim, err := sniffCSV(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := csvsniff.ApplyTypes(cols, types, typeAliases); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &preparedCSV{a: a, path: path, delim: delim, cols: cols}, nil
}

// preparedCSV is a seed file whose layout PrepareCSV has read.
type preparedCSV struct {
	a     *Adapter
	path  string
	delim rune
	cols  []adapters.ColumnInfo
}

// Load creates rel and streams the file into it with COPY FROM STDIN in
// x's transaction (in a transaction of its own when x is not one). The
// session is busy with the COPY while the file is read, never idle.
func (s *preparedCSV) Load(ctx context.Context, x adapters.Execer, rel adapters.Relation) (int64, error) {
	p, ok := x.(adapters.Preparer)
	if !ok {
		var n int64
		err := s.a.InTx(ctx, func(tx adapters.Execer) error {
			var err error
			n, err = s.Load(ctx, tx, rel)
			return err
		})
		return n, err
	}
	if _, err := x.Exec(ctx, csvsniff.CreateTableSQL(Dialect{}, rel, s.cols)); err != nil {
		return 0, err
	}
	return copyCSV(ctx, p, rel, s.path, s.delim, s.cols)
}

// typeAliases spell DuckDB type names that Postgres lacks, so a seed's
// column_types work on both warehouses.
var typeAliases = map[string]string{
	"double":   "double precision",
	"float8":   "double precision",
	"string":   "text",
	"datetime": "timestamp",
}

var reTextType = regexp.MustCompile(`(?i)^\s*(text|varchar|char|character|character varying|bpchar|name|citext)\b`)

// isTextType reports whether values of type t keep their spaces.
func isTextType(t string) bool { return reTextType.MatchString(t) }

// copyCSV streams the file's records into rel through COPY FROM STDIN.
// Empty fields are NULL; the values of columns that are not text are
// trimmed.
func copyCSV(ctx context.Context, p adapters.Preparer, rel adapters.Relation, path string, delim rune, cols []adapters.ColumnInfo) (int64, error) {
	stmt, err := p.PrepareContext(ctx, fmt.Sprintf("COPY %s (%s) FROM STDIN", adapters.QuoteRelation(Dialect{}, rel), csvsniff.ColumnList(Dialect{}, cols)))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	typed := make([]bool, len(cols))
	for i, c := range cols {
		typed[i] = !isTextType(c.Type)
	}
	var lines []int // file line of each data record, to point at a bad value
	args := make([]any, len(cols))
	err = csvsniff.Records(path, delim, func(line int, rec []string) error {
		lines = append(lines, line)
		for i, v := range rec {
			if typed[i] {
				v = strings.TrimSpace(v)
			}
			if v == "" {
				args[i] = nil
			} else {
				args[i] = v
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return copyError(path, lines, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	res, err := stmt.ExecContext(ctx)
	if err != nil {
		return 0, copyError(path, lines, err)
	}
	return res.RowsAffected()
}

var reCopyLine = regexp.MustCompile(`^COPY [^,]*, line ([0-9]+)`)

// copyError points a COPY error at the line of the file it came from.
func copyError(path string, lines []int, err error) error {
	pe := pq.As(err)
	if pe == nil {
		return err
	}
	if m := reCopyLine.FindStringSubmatch(pe.Where); m != nil {
		if n, _ := strconv.Atoi(m[1]); n >= 1 && n <= len(lines) {
			col := ""
			if i := strings.Index(pe.Where, ", column "); i >= 0 {
				col = " (" + pe.Where[i+2:] + ")"
			}
			return fmt.Errorf("%s:%d%s: %w", path, lines[n-1], col, err)
		}
	}
	return fmt.Errorf("%s: %w", path, err)
}
