package dbt

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// NotEmptyError is Write refusing a folder that holds files.
type NotEmptyError struct{ Dir string }

func (e *NotEmptyError) Error() string {
	return fmt.Sprintf("%s is not empty: weir import dbt never writes over files; name a new folder, or pass --force to write the imported files over those of the same names (other files are left alone)", e.Dir)
}

// Write writes out's files under dir. A folder that exists and holds
// anything is refused unless force: then the files of out replace those
// of the same names and the others stay as they are.
func (out *Output) Write(dir string, force bool) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 && !force {
		return &NotEmptyError{Dir: dir}
	}
	names := make([]string, 0, len(out.Files))
	for name := range out.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		full := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, out.Files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
