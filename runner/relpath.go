package runner

import "strings"

// relativePath names the file at abs as rel (project-relative) in err,
// so that a seed's error points at seeds/…/x.csv:LINE as users write it.
func relativePath(err error, abs, rel string) error {
	if err == nil || !strings.Contains(err.Error(), abs) {
		return err
	}
	return &renamedError{msg: strings.ReplaceAll(err.Error(), abs, rel), err: err}
}

// renamedError is err with another message; errors.Is and As see err.
type renamedError struct {
	msg string
	err error
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }
