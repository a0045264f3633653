package sqlparse

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// doc is a JSON text read into a flat list of values in document order:
// a container's members follow it, and each value records where the
// values inside it end, so the next member of its container starts there.
// Strings without escapes are slices of the text, so reading a parse tree
// allocates little besides the list itself. A value is referred to by its
// index; -1 stands for a missing value.
type doc struct {
	vals []jval
}

type jkind uint8

const (
	jNull jkind = iota
	jFalse
	jTrue
	jNumber
	jString
	jArray
	jObject
)

// jval is one JSON value.
type jval struct {
	kind jkind
	end  int32  // index of the value after this one and everything inside it
	key  string // the member name, for a value in an object
	text string // a string's value (unescaped), a number as written
}

// maxDepth bounds nesting as encoding/json does.
const maxDepth = 10000

var errJSON = errors.New("invalid JSON")

// parseDoc reads the JSON text s (one value, with white space around it).
// vals is reused for the result.
func parseDoc(s string, vals []jval) (doc, error) {
	r := jsonReader{s: s, vals: vals[:0]}
	r.skipSpace()
	if err := r.value("", 0); err != nil {
		return doc{}, err
	}
	r.skipSpace()
	if r.i != len(s) {
		return doc{}, r.fail("after top-level value")
	}
	return doc{vals: r.vals}, nil
}

type jsonReader struct {
	s    string
	i    int
	vals []jval
}

func (r *jsonReader) fail(where string) error {
	return fmt.Errorf("%w at byte %d (%s)", errJSON, r.i, where)
}

func (r *jsonReader) skipSpace() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// open enters the object or array at r.i, value at of kind whose
// closing bracket is closer; more is false when it closed at once.
func (r *jsonReader) open(at int, kind jkind, closer byte, depth int) (more bool, err error) {
	if depth >= maxDepth {
		return false, r.fail("nested too deep")
	}
	r.vals[at].kind = kind
	r.i++
	r.skipSpace()
	if r.i < len(r.s) && r.s[r.i] == closer {
		r.i++
		return false, nil
	}
	return true, nil
}

// more reads what follows a member or element: a comma (more is true) or
// the closing bracket closer (false); where names the place in an error.
func (r *jsonReader) more(closer byte, where string) (bool, error) {
	r.skipSpace()
	if r.i < len(r.s) {
		switch r.s[r.i] {
		case ',':
			r.i++
			r.skipSpace()
			return true, nil
		case closer:
			r.i++
			return false, nil
		}
	}
	return false, r.fail(where)
}

// value reads the value at r.i, a member named key.
func (r *jsonReader) value(key string, depth int) error {
	if r.i >= len(r.s) {
		return r.fail("unexpected end")
	}
	at := len(r.vals)
	r.vals = append(r.vals, jval{key: key})
	switch c := r.s[r.i]; {
	case c == '{':
		more, err := r.open(at, jObject, '}', depth)
		for ; more; more, err = r.more('}', "after object value") {
			if r.i >= len(r.s) || r.s[r.i] != '"' {
				return r.fail("object key")
			}
			k, err := r.str()
			if err != nil {
				return err
			}
			r.skipSpace()
			if r.i >= len(r.s) || r.s[r.i] != ':' {
				return r.fail("after object key")
			}
			r.i++
			r.skipSpace()
			if err := r.value(k, depth+1); err != nil {
				return err
			}
		}
		if err != nil {
			return err
		}
	case c == '[':
		more, err := r.open(at, jArray, ']', depth)
		for ; more; more, err = r.more(']', "after array element") {
			if err := r.value("", depth+1); err != nil {
				return err
			}
		}
		if err != nil {
			return err
		}
	case c == '"':
		s, err := r.str()
		if err != nil {
			return err
		}
		r.vals[at].kind, r.vals[at].text = jString, s
	case c == '-' || c >= '0' && c <= '9' || c == 'I' || c == 'N':
		start := r.i
		if !r.number() {
			return r.fail("number")
		}
		r.vals[at].kind, r.vals[at].text = jNumber, r.s[start:r.i]
	case strings.HasPrefix(r.s[r.i:], "true"):
		r.vals[at].kind = jTrue
		r.i += 4
	case strings.HasPrefix(r.s[r.i:], "false"):
		r.vals[at].kind = jFalse
		r.i += 5
	case strings.HasPrefix(r.s[r.i:], "null"):
		r.i += 4
	default:
		return r.fail("unexpected character")
	}
	r.vals[at].end = int32(len(r.vals))
	return nil
}

// nonFinite are the numbers DuckDB's JSON writer adds to JSON's grammar:
// json_serialize_sql writes a literal too large for a double, such as a
// 400-digit integer, as Infinity.
var nonFinite = []string{"Infinity", "-Infinity", "NaN"}

// number moves over a number as JSON's grammar writes it, or one of
// nonFinite.
func (r *jsonReader) number() bool {
	s, i := r.s, r.i
	for _, w := range nonFinite {
		if strings.HasPrefix(s[i:], w) {
			r.i += len(w)
			return true
		}
	}
	if s[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > j
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return false
		}
	}
	r.i = i
	return true
}

// str reads the string at r.i (at its opening quote) and returns its
// value: a slice of the text when it holds no escape.
func (r *jsonReader) str() (string, error) {
	s := r.s
	start := r.i + 1
	for i := start; i < len(s); {
		for i < len(s) && plain[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		switch c := s[i]; {
		case c == '"':
			r.i = i + 1
			return s[start:i], nil
		case c < utf8.RuneSelf: // a backslash or a control character
			return r.escaped(start)
		default:
			ru, size := utf8.DecodeRuneInString(s[i:])
			if ru == utf8.RuneError && size == 1 {
				return r.escaped(start)
			}
			i += size
		}
	}
	r.i = len(s)
	return "", r.fail("unterminated string")
}

// plain holds the bytes a string holds as they are: ASCII but for the
// quote, the backslash and control characters.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// escaped reads a string from start (after its opening quote) that holds
// escapes or invalid UTF-8, decoding it as encoding/json does: invalid
// UTF-8 and lone surrogates become U+FFFD.
func (r *jsonReader) escaped(start int) (string, error) {
	var b strings.Builder
	s := r.s
	for i := start; i < len(s); {
		c := s[i]
		switch {
		case c == '"':
			r.i = i + 1
			return b.String(), nil
		case c < 0x20:
			r.i = i
			return "", r.fail("control character in string")
		case c == '\\':
			if i+1 >= len(s) {
				r.i = i
				return "", r.fail("unterminated escape")
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				ru, ok := hex4(s, i+2)
				if !ok {
					r.i = i
					return "", r.fail("bad \\u escape")
				}
				i += 6
				if utf16.IsSurrogate(ru) {
					ru2, ok := rune(-1), false
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						ru2, ok = hex4(s, i+2)
					}
					if dec := utf16.DecodeRune(ru, ru2); ok && dec != utf8.RuneError {
						i += 6
						ru = dec
					} else {
						ru = utf8.RuneError
					}
				}
				b.WriteRune(ru)
				continue
			default:
				r.i = i
				return "", r.fail("bad escape")
			}
			i += 2
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			ru, size := utf8.DecodeRuneInString(s[i:])
			b.WriteRune(ru) // RuneError for invalid UTF-8
			i += size
		}
	}
	r.i = len(s)
	return "", r.fail("unterminated string")
}

// hex4 reads four hexadecimal digits at s[i:].
func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[i:i+4], 16, 16)
	return rune(n), err == nil
}

// get returns the value of member key of object v, or -1 when v is not an
// object or has no such member. DuckDB writes each member once.
func (d *doc) get(v int, key string) int {
	if v < 0 || d.vals[v].kind != jObject {
		return -1
	}
	for c := v + 1; c < int(d.vals[v].end); c = int(d.vals[c].end) {
		if d.vals[c].key == key {
			return c
		}
	}
	return -1
}

// str returns the string v, or "" when v is not a string.
func (d *doc) str(v int) string {
	if v < 0 || d.vals[v].kind != jString {
		return ""
	}
	return d.vals[v].text
}

// is reports whether v is a value of kind k.
func (d *doc) is(v int, k jkind) bool { return v >= 0 && d.vals[v].kind == k }

// first returns the first value inside array or object v, or -1.
func (d *doc) first(v int) int {
	if v < 0 || d.vals[v].kind < jArray || d.vals[v].end == int32(v+1) {
		return -1
	}
	return v + 1
}

// next returns the value after c inside its container parent, or -1.
func (d *doc) next(parent, c int) int {
	if n := int(d.vals[c].end); n < int(d.vals[parent].end) {
		return n
	}
	return -1
}

// len returns the number of values directly inside array or object v.
func (d *doc) len(v int) int {
	n := 0
	for c := d.first(v); c >= 0; c = d.next(v, c) {
		n++
	}
	return n
}
