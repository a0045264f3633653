package csvsniff

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

// What adapters that create a seed's table and load its records
// themselves (Postgres, MySQL) share; the types and how values are sent
// are each warehouse's own.

// ApplyTypes sets in cols, a seed's columns in the warehouse's types, the
// types its column_types give (see ColumnTypes).
func ApplyTypes(cols []adapters.ColumnInfo, types, aliases map[string]string) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	set, err := ColumnTypes(names, types, aliases)
	if err != nil {
		return err
	}
	for i, t := range set {
		cols[i].Type = t
	}
	return nil
}

// CreateTableSQL creates rel, a seed's table, with columns cols.
func CreateTableSQL(d adapters.Dialect, rel adapters.Relation, cols []adapters.ColumnInfo) string {
	defs := make([]string, len(cols))
	for i, c := range cols {
		defs[i] = d.QuoteIdent(c.Name) + " " + c.Type
	}
	return fmt.Sprintf("CREATE TABLE %s (%s)", adapters.QuoteRelation(d, rel), strings.Join(defs, ", "))
}

// ColumnList is the names of cols quoted and separated by commas, for the
// column list of a COPY or INSERT.
func ColumnList(d adapters.Dialect, cols []adapters.ColumnInfo) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = d.QuoteIdent(c.Name)
	}
	return strings.Join(names, ", ")
}

// Records calls fn with each record of the file at path after its header,
// read with delimiter delim, and the line the record starts on, until fn
// returns an error, which Records returns. rec is reused from one call to
// the next. An error reading the file names it and the line (RecordError).
func Records(path string, delim rune, fn func(line int, rec []string) error) error {
	r, f, err := Open(path, delim)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := r.Read(); err != nil { // the header
		return RecordError(path, err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return RecordError(path, err)
		}
		line, _ := r.FieldPos(0)
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}
