package adapters

import (
	"net/url"
	"regexp"
	"strings"
)

// PositionError is a warehouse error that points at a place in the
// statement that caused it, e.g. Postgres's "column x does not exist" with
// its Position. The runner maps Offset back to the model's file and line.
type PositionError struct {
	Err error
	// Offset is the byte offset into SQL of the character the warehouse
	// pointed at (0-based; drivers convert from their own convention).
	Offset int
	// SQL is the statement as executed, which is the materialization's
	// wrapper around the model's compiled SELECT.
	SQL string
}

// Error is the driver's message.
func (e *PositionError) Error() string { return e.Err.Error() }

// Unwrap returns the driver's error.
func (e *PositionError) Unwrap() error { return e.Err }

// TransientChecker is implemented by adapters that can tell a transient
// failure (connection lost or reset, serialization failure, deadlock,
// server shutdown) from an error in the SQL. The runner retries a node
// whose error IsTransient, with backoff, and never one that is not.
type TransientChecker interface {
	IsTransient(err error) bool
}

// redactMask replaces a secret, as url.URL.Redacted does.
const redactMask = "xxxxx"

// kvPassword matches a password setting in a key=value DSN, its value
// bare or single-quoted with backslash escapes (libpq's syntax).
var kvPassword = regexp.MustCompile(`(?i)(\b[a-z_]*password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]*)`)

// urlUserinfo matches user:password@ in a URL that net/url cannot parse.
var urlUserinfo = regexp.MustCompile(`(://[^:/@\s]*:)[^@\s]*@`)

// RedactedDSN returns dsn with every password masked, for messages and
// logs: the password in a URL's userinfo and in any *password query
// parameter (postgres://u:xxxxx@h/db?sslpassword=xxxxx), and any *password
// setting of a key=value DSN (host=h password=xxxxx).
func RedactedDSN(dsn string) string {
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return kvPassword.ReplaceAllString(urlUserinfo.ReplaceAllString(dsn, "${1}"+redactMask+"@"), "${1}"+redactMask)
		}
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), redactMask)
		}
		q := u.Query()
		changed := false
		for k := range q {
			if strings.HasSuffix(strings.ToLower(k), "password") {
				q[k] = []string{redactMask}
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	return kvPassword.ReplaceAllString(dsn, "${1}"+redactMask)
}

// DSNSecrets returns the passwords a DSN holds, in the spellings they may
// take in an error message (as written and URL-decoded), longest first,
// so a driver can scrub them from errors that quote the DSN.
func DSNSecrets(dsn string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if strings.Contains(dsn, "://") {
		if m := urlUserinfo.FindStringSubmatchIndex(dsn); m != nil {
			raw := dsn[m[3] : m[1]-1]
			add(raw)
			if dec, err := url.PathUnescape(raw); err == nil {
				add(dec)
			}
		}
		if i := strings.IndexByte(dsn, '?'); i >= 0 {
			for _, kv := range strings.Split(dsn[i+1:], "&") {
				k, v, _ := strings.Cut(kv, "=")
				if strings.HasSuffix(strings.ToLower(k), "password") {
					add(v)
					if dec, err := url.QueryUnescape(v); err == nil {
						add(dec)
					}
				}
			}
		}
	}
	for _, m := range kvPassword.FindAllStringSubmatch(dsn, -1) {
		v := m[2]
		add(v)
		if len(v) >= 2 && v[0] == '\'' {
			add(strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(v[1 : len(v)-1]))
		}
	}
	// Longest first, so a secret that contains another is masked whole.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// ScrubError returns err with every secret masked in its message (nil for
// nil). The result still unwraps to err, so errors.Is and errors.As see
// the driver's error, but printing it never shows a secret.
func ScrubError(err error, secrets []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	scrubbed := msg
	for _, s := range secrets {
		scrubbed = strings.ReplaceAll(scrubbed, s, redactMask)
	}
	if scrubbed == msg {
		return err
	}
	return &scrubbedError{msg: scrubbed, err: err}
}

type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// textPassword matches a password setting anywhere in text: key=value,
// key: value or an HCL/JSON attribute, its value quoted or bare.
var textPassword = regexp.MustCompile(`(?i)(\b[a-z_]*password"?\s*[=:]\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s&"',;]*)`)

// textUserinfo matches user:password@ in a URL within text, up to the last
// @ before the end of the word (a raw @ in a password is masked whole).
var textUserinfo = regexp.MustCompile(`(://[^:/@\s"']*:)[^\s"']*@`)

// RedactText masks every credential in free text, such as a line of a
// config file quoted in a diagnostic: the password of any URL's userinfo
// (scheme://user:xxxxx@host) and any *password setting's value.
func RedactText(s string) string {
	if !strings.Contains(s, "://") && !strings.Contains(strings.ToLower(s), "password") {
		return s
	}
	s = textUserinfo.ReplaceAllString(s, "${1}"+redactMask+"@")
	return textPassword.ReplaceAllString(s, "${1}"+redactMask)
}
