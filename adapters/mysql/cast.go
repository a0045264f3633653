package mysql

import (
	"regexp"
	"strings"

	"github.com/weir-sh/weir/adapters"
)

var (
	reIntType     = regexp.MustCompile(`^(tiny|small|medium|big)?int(eger)?(\(\d+\))?( unsigned)?$|^bool(ean)?$|^serial$`)
	reDecimalType = regexp.MustCompile(`^(decimal|numeric|dec|fixed)(\(\s*\d+\s*(,\s*\d+\s*)?\))?$`)
	reFloatType   = regexp.MustCompile(`^(double( precision)?|real|float(\(\d+\))?|float[48])$`)
	reTextType2   = regexp.MustCompile(`^(tiny|medium|long)?text$|^(var)?char(acter)?( varying)?(\(\d+\))?$|^string$|^enum\(.*\)$|^set\(.*\)$`)
	reDateTime    = regexp.MustCompile(`^(datetime|timestamp)(\(\d\))?$`)
	reTimeType    = regexp.MustCompile(`^time(\(\d\))?$`)
)

// CastType is the type MySQL's CAST takes for a column of type t: its
// CAST knows only SIGNED, UNSIGNED, DECIMAL, DOUBLE, CHAR, BINARY, DATE,
// DATETIME, TIME and JSON. A type it cannot cast to is left as written,
// for the server to refuse.
func (Dialect) CastType(t string) string {
	l := strings.ToLower(strings.TrimSpace(t))
	switch {
	case reIntType.MatchString(l):
		if strings.HasSuffix(l, "unsigned") {
			return "UNSIGNED"
		}
		return "SIGNED"
	case reDecimalType.MatchString(l):
		return strings.ToUpper(l)
	case reFloatType.MatchString(l):
		return "DOUBLE"
	case reTextType2.MatchString(l):
		return "CHAR"
	case reDateTime.MatchString(l):
		return "DATETIME(6)"
	case reTimeType.MatchString(l):
		return "TIME(6)"
	case l == "date", l == "json":
		return strings.ToUpper(l)
	case strings.HasSuffix(l, "blob"), strings.HasPrefix(l, "varbinary"), strings.HasPrefix(l, "binary"):
		return "BINARY"
	}
	return t
}

var _ adapters.Caster = Dialect{}
