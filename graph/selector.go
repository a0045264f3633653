package graph

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// selector is one parsed part of a selection term, e.g. "2+tag:daily+".
type selector struct {
	method, value string
	parents       bool // leading "+": add ancestors
	parentDepth   int  // < 0: unbounded
	children      bool // trailing "+": add descendants
	childDepth    int  // < 0: unbounded
	at            bool // leading "@": descendants and all their ancestors
}

// parseSelector parses [@][N][+][METHOD:]VALUE[+[N]]; without "METHOD:"
// the method is "".
func parseSelector(s string) (selector, error) {
	sel := selector{parentDepth: -1, childDepth: -1}
	s, sel.at = strings.CutPrefix(s, "@")
	if i := strings.IndexByte(s, '+'); i >= 0 && isDigits(s[:i]) {
		depth, err := parseDepth(s[:i])
		if err != nil {
			return sel, err
		}
		sel.parents, sel.parentDepth, s = true, depth, s[i+1:]
	}
	if i := strings.LastIndexByte(s, '+'); i >= 0 && isDigits(s[i+1:]) {
		depth, err := parseDepth(s[i+1:])
		if err != nil {
			return sel, err
		}
		sel.children, sel.childDepth, s = true, depth, s[:i]
	}
	if m, v, ok := strings.Cut(s, ":"); ok && isMethod(m) {
		sel.method, s = m, v
	}
	sel.value = s
	switch {
	case sel.value == "":
		return sel, errors.New("missing value")
	case sel.at && (sel.parents || sel.children):
		return sel, errors.New(`"@" cannot be combined with "+"`)
	}
	return sel, nil
}

// parseDepth parses the N of "N+" or "+N"; empty means unbounded (-1).
func parseDepth(s string) (int, error) {
	if s == "" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("bad depth %q", s)
	}
	return n, nil
}

// isDigits reports whether s holds only ASCII digits (true for "").
func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// isMethod reports whether s looks like a method name: letters, digits, "_"
// and "." (as in "config.materialized").
func isMethod(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !ok {
			return false
		}
	}
	return true
}
