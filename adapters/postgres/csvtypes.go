package postgres

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Column types a seed column is inferred as, narrowest first. They follow
// DuckDB's CSV sniffer, so a seed gets the same kind of column on both
// warehouses: whole numbers (integer when every value fits 32 bits, else
// bigint; numeric past 64 bits), decimals as exact numeric (DuckDB uses
// DOUBLE), true/false/t/f/yes/no as boolean, ISO dates, times, timestamps
// (timestamptz with a zone), and text for the rest. As in DuckDB, a column
// that mixes dates with timestamps is text, a number with a leading zero
// ("02134") or a plus sign is text, and a column with no values is text.
const (
	TypeBoolean     = "boolean"
	TypeInteger     = "integer"
	TypeBigint      = "bigint"
	TypeNumeric     = "numeric"
	TypeDate        = "date"
	TypeTime        = "time"
	TypeTimestamp   = "timestamp"
	TypeTimestampTZ = "timestamptz"
	TypeText        = "text"
)

// typeOrder is the order of preference among the types a column fits.
var typeOrder = []string{TypeBoolean, TypeInteger, TypeBigint, TypeNumeric, TypeDate, TypeTime, TypeTimestamp, TypeTimestampTZ}

var (
	reInteger = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)
	reDecimal = regexp.MustCompile(`^-?((0|[1-9][0-9]*)(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$`)
	reDate    = regexp.MustCompile(`^[0-9]{4}([-/])[0-9]{1,2}([-/])[0-9]{1,2}$`)
	reTime    = regexp.MustCompile(`^[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?$`)
	reStamp   = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?$`)
	reStampTZ = regexp.MustCompile(`^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)? ?(Z|[-+][0-9]{2}(:?[0-9]{2})?)$`)
)

// columnSniffer narrows down the type of one column, value by value.
type columnSniffer struct {
	fits    map[string]bool // types every value seen so far fits
	nonNull bool
}

func newColumnSniffer() *columnSniffer {
	s := &columnSniffer{fits: map[string]bool{}}
	for _, t := range typeOrder {
		s.fits[t] = true
	}
	return s
}

// add narrows the column's type by one field; empty fields are NULL and
// say nothing.
func (s *columnSniffer) add(field string) {
	v := strings.TrimSpace(field)
	if v == "" {
		return
	}
	s.nonNull = true
	for t, ok := range s.fits {
		if ok && !fitsType(t, v) {
			s.fits[t] = false
		}
	}
}

// typ is the narrowest type every value fits.
func (s *columnSniffer) typ() string {
	if !s.nonNull {
		return TypeText
	}
	for _, t := range typeOrder {
		if s.fits[t] {
			return t
		}
	}
	return TypeText
}

// fitsType reports whether the trimmed, non-empty value v can be read as t.
func fitsType(t, v string) bool {
	switch t {
	case TypeBoolean:
		switch strings.ToLower(v) {
		case "true", "false", "t", "f", "yes", "no":
			return true
		}
		return false
	case TypeInteger:
		if !reInteger.MatchString(v) {
			return false
		}
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n >= math.MinInt32 && n <= math.MaxInt32
	case TypeBigint:
		if !reInteger.MatchString(v) {
			return false
		}
		_, err := strconv.ParseInt(v, 10, 64)
		return err == nil
	case TypeNumeric:
		switch strings.ToLower(strings.TrimPrefix(v, "-")) {
		case "nan", "inf", "infinity":
			return true
		}
		return reDecimal.MatchString(v)
	case TypeDate:
		m := reDate.FindStringSubmatch(v)
		return m != nil && m[1] == m[2]
	case TypeTime:
		return reTime.MatchString(v)
	case TypeTimestamp:
		return reStamp.MatchString(v)
	case TypeTimestampTZ:
		return reStampTZ.MatchString(v)
	}
	return false
}
