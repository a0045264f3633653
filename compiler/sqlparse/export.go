package sqlparse

// Helpers for parsers of other dialects (compiler/pgparse) that return
// this package's Result and errors and measure names the same way.

// MeasureName measures the reference written at text[off] that names
// catalog.schema.name (empty parts omitted), quoted or not, with any
// space or comments around the dots. It returns the length in bytes and
// the parts as written (unquoted, original case), or 0 when the text there
// does not spell the name. Unquoted words match case-insensitively.
func MeasureName(text string, off int, catalog, schema, name string) (int, [3]string) {
	return measureName(text, text, off, catalog, schema, name)
}

// CheckText returns a *SyntaxError for text no parser reached through a C
// string can read faithfully: one holding a NUL byte or invalid UTF-8.
func CheckText(s string) error { return checkText(s) }

// RuneToByteOffset converts a count of code points from the start of s
// into a byte offset.
func RuneToByteOffset(s string, n int) int { return runeToByteOffset(s, n) }
