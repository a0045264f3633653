//go:build !unix

package models

// readPlain has no fast path here: ReadFile opens through OpenFile.
func readPlain(string) ([]byte, bool) { return nil, false }
