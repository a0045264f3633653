// Package csvsniff reads the layout of a seed's CSV file (its delimiter,
// column names and column types) with DuckDB's CSV sniffer, in an
// in-memory DuckDB of its own, so that a seed gets the same columns on
// every warehouse. It also reads the whole file once to check that every
// record fits the layout, and refuses one that does not (a ragged record,
// an unclosed quote, an empty file) at its file:line instead of letting a
// reader guess.
//
// Seeds are standard CSV: a header line naming the columns, values quoted
// with " when they hold the delimiter, a quote or a line break, and a
// quote inside a quoted value doubled (""). The delimiter is sniffed
// among , ; tab and |.
package csvsniff

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	_ "github.com/duckdb/duckdb-go/v2" // the "duckdb" database/sql driver

	"github.com/weir-sh/weir/adapters"
)

// Layout is how a seed file is read.
type Layout struct {
	// Delimiter separates values: one of , ; tab |.
	Delimiter rune
	// Columns are named after the header, as DuckDB names them (an empty
	// name is column<i>, a repeated one gets _1, _2, …), with the types
	// DuckDB's sniffer gives them (BIGINT, DOUBLE, DATE, VARCHAR, …).
	Columns []Column
	// Records is the number of records after the header.
	Records int64
}

// Column is one column of a seed with its DuckDB type.
type Column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// delimiters are the delimiters a seed may use, in order of preference.
var delimiters = []rune{',', ';', '\t', '|'}

// Sniff reads the layout of the seed file at path and checks every record
// against it. Errors name path and, for a record, its line.
func Sniff(ctx context.Context, path string) (*Layout, error) {
	if err := checkNotEmpty(path); err != nil {
		return nil, err
	}
	l, err := sniff(ctx, path, 0)
	if err != nil {
		return nil, err
	}
	h, err := header(path, l.Delimiter)
	if err != nil {
		return nil, err
	}
	n := len(h)
	if n == 1 {
		// DuckDB falls back to one column when no delimiter splits every
		// record alike; a header that a delimiter splits means a ragged
		// file, which checkRecords reports.
		if d, dn := headerDelimiter(path); dn > 1 {
			l.Delimiter, n = d, dn
		}
	}
	if l.Records, err = checkRecords(path, l.Delimiter, n); err != nil {
		return nil, err
	}
	if err := checkLineEnds(path, n); err != nil {
		return nil, err
	}
	if len(l.Columns) != n {
		records := l.Records
		if l, err = sniff(ctx, path, l.Delimiter); err != nil {
			return nil, err
		}
		if len(l.Columns) != n {
			return nil, fmt.Errorf("%s:1: the header names %d columns but DuckDB's CSV sniffer reads %d; check the delimiter and the quotes of the first lines", path, n, len(l.Columns))
		}
		l.Records = records
	}
	return l, nil
}

// ReadOptions are the options of DuckDB's read_csv that read the file as
// l describes: the header, the delimiter and standard quoting. Column
// types are left to the reader's detection, which Sniff used.
func (l *Layout) ReadOptions(quote func(string) string) string {
	return fmt.Sprintf("header = true, delim = %s, quote = %s, escape = %s, auto_detect = true",
		quote(string(l.Delimiter)), quote(`"`), quote(`"`))
}

var (
	engineOnce sync.Once
	engine     *sql.DB
	engineErr  error
)

// duck is the in-memory DuckDB the sniffer runs in.
func duck() (*sql.DB, error) {
	engineOnce.Do(func() {
		engine, engineErr = sql.Open("duckdb", "?threads=1")
		if engineErr == nil {
			engine.SetMaxOpenConns(2)
		}
	})
	return engine, engineErr
}

// sniff asks DuckDB's sniffer for the file's layout; delim 0 lets it pick
// the delimiter.
func sniff(ctx context.Context, path string, delim rune) (*Layout, error) {
	db, err := duck()
	if err != nil {
		return nil, err
	}
	opts := "header = true, quote = " + literal(`"`) + ", escape = " + literal(`"`)
	if delim != 0 {
		opts += ", delim = " + literal(string(delim))
	}
	var gotDelim, cols string
	err = db.QueryRowContext(ctx, fmt.Sprintf("SELECT Delimiter, to_json(Columns)::VARCHAR FROM sniff_csv(%s, %s)", literal(path), opts)).
		Scan(&gotDelim, &cols)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	l := &Layout{Delimiter: ','}
	if r := []rune(gotDelim); len(r) == 1 {
		l.Delimiter = r[0]
	}
	if err := json.Unmarshal([]byte(cols), &l.Columns); err != nil {
		return nil, fmt.Errorf("%s: reading the sniffer's columns: %w", path, err)
	}
	return l, nil
}

// literal quotes s for the sniffer's own DuckDB, as duckdb.Dialect does.
func literal(s string) string { return adapters.StandardLiteral(s) }

// checkNotEmpty refuses a file with nothing but blanks in it.
func checkNotEmpty(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	skipBOM(br)
	for {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s:1: the file is empty; a seed needs a header line naming its columns (and then one line per row)", path)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if !bytes.ContainsRune([]byte(" \t\r\n"), rune(b)) {
			return nil
		}
	}
}

func skipBOM(br *bufio.Reader) {
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		br.Discard(3)
	}
}

// Open returns a reader of the file's records with delimiter delim,
// skipping a UTF-8 byte order mark. Close the returned closer.
func Open(path string, delim rune) (*csv.Reader, io.Closer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 64<<10)
	skipBOM(br)
	r := csv.NewReader(br)
	r.Comma = delim
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return r, f, nil
}

// header reads the first record with delimiter d.
func header(path string, d rune) ([]string, error) {
	r, f, err := Open(path, d)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rec, err := r.Read()
	if err != nil {
		return nil, RecordError(path, err)
	}
	return append([]string(nil), rec...), nil
}

// headerDelimiter is the first delimiter that splits the header into
// more than one column, and the number of columns; 0 when none does.
func headerDelimiter(path string) (rune, int) {
	for _, d := range delimiters {
		if h, err := header(path, d); err == nil && len(h) > 1 {
			return d, len(h)
		}
	}
	return 0, 0
}

// checkRecords reads every record of the file and refuses the first that
// is not standard CSV or does not have n values; it returns the number of
// records after the header.
func checkRecords(path string, delim rune, n int) (int64, error) {
	r, f, err := Open(path, delim)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var records int64
	for first := true; ; first = false {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return records, nil
		}
		if err != nil {
			return 0, RecordError(path, err)
		}
		if len(rec) != n {
			line, _ := r.FieldPos(0)
			return 0, fmt.Errorf("%s:%d: this record has %d values where the header names %d columns; give every line one value per column, and quote (\") a value that holds %s",
				path, line, len(rec), n, delimName(delim))
		}
		if !first {
			records++
		}
	}
}

// RecordError explains an error of encoding/csv reading path: a quoting
// mistake at its line, and what to fix.
func RecordError(path string, err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Errorf("%s:%d: the quoted value that starts on this line is not closed, or a quote inside it is not doubled (write \"\" for a quote inside quotes); the reader stopped at line %d, column %d",
			path, pe.StartLine, pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Errorf("%s:%d:%d: a quote inside a value that is not quoted; quote the whole value and double the quote: \"say \"\"hi\"\"\"",
			path, pe.Line, pe.Column)
	}
	return fmt.Errorf("%s:%d:%d: %v", path, pe.Line, pe.Column, pe.Err)
}

func delimName(d rune) string {
	switch d {
	case '\t':
		return "a tab"
	case ',':
		return "a comma"
	case ';':
		return "a semicolon"
	case '|':
		return "a |"
	}
	return fmt.Sprintf("%q", d)
}

// checkLineEnds refuses what DuckDB's reader and Go's (which feeds
// Postgres) read differently, outside quoted values: a line ended by a
// bare CR (DuckDB ends the line, Go keeps the CR in the value), and, in a
// one-column file, a blank line (DuckDB loads a NULL row, Go skips it).
func checkLineEnds(path string, columns int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	skipBOM(br)
	line, inQuote, lineStart := 1, false, true
	for {
		b, err := br.ReadByte()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		switch {
		case b == '"':
			inQuote = !inQuote
		case b == '\r' && !inQuote:
			if next, _ := br.Peek(1); len(next) == 0 || next[0] != '\n' {
				return fmt.Errorf("%s:%d: this line ends with a bare carriage return (CR); save the file with LF or CRLF line ends", path, line)
			}
			continue
		case b == '\n':
			if lineStart && !inQuote && columns == 1 {
				return fmt.Errorf("%s:%d: a blank line in a seed of one column; DuckDB would load it as a NULL row and Postgres would skip it. Remove the line, or write \"\" for an empty value", path, line)
			}
			line++
			lineStart = true
			continue
		}
		lineStart = false
	}
}
