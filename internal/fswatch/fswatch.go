// Package fswatch reports changes to the files of a project folder in
// batches, one per save. fsnotify watches one folder at a time, so every
// folder under the watched ones is added, and new ones as they appear
// (their files reported as changed); an editor's burst of events for one
// save (write, rename over, chmod, its swap and backup files) arrives as
// one batch once the folder has been quiet for a moment.
package fswatch

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Batch is the files changed (written, created, removed or renamed) in
// one burst, relative to the root with forward slashes, sorted.
type Batch struct {
	Paths []string
	// First is when the first change of the burst was seen: the save.
	First time.Time
}

// Watcher watches some files of a root folder and some of its folders,
// whole.
type Watcher struct {
	root  string
	files map[string]bool // the files directly in root to watch
	dirs  map[string]bool // the folders to watch whole, relative to root
	quiet time.Duration
	w     *fsnotify.Watcher
	// Keep, when set before Run, leaves out the files under the folders
	// watched whole that it returns false for (given their path relative
	// to the root); folders and the paths of Also always count.
	Keep func(rel string) bool

	mu     sync.Mutex
	also   []string // absolute files, folders and globs watched besides (Also)
	ignore []string // absolute files and folders never reported (Ignore)
}

// New watches the given files directly in root, and every folder under
// each of dirs (relative to root; one that does not exist yet is watched
// from when it is created). A batch is sent once no change came for
// quiet.
func New(root string, files, dirs []string, quiet time.Duration) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &Watcher{root: root, files: map[string]bool{}, dirs: map[string]bool{}, quiet: quiet, w: fw}
	for _, f := range files {
		w.files[f] = true
	}
	if err := fw.Add(root); err != nil {
		fw.Close()
		return nil, err
	}
	for _, d := range dirs {
		w.dirs[d] = true
		if _, err := w.addTree(filepath.Join(root, d)); err != nil {
			fw.Close()
			return nil, err
		}
	}
	return w, nil
}

// Also watches paths besides the files and folders New watches, in
// place of those of the last call: each an absolute path of a file, a
// folder (watched whole) or a glob (data/*.csv), inside the root or not.
// A change to one is reported like the others, relative to the root when
// inside it. A path whose folder does not exist yet is watched from when
// it is created.
func (w *Watcher) Also(paths []string) {
	w.mu.Lock()
	w.also = slices.Clone(paths)
	w.mu.Unlock()
	for _, p := range paths {
		w.watchAlso(p)
	}
}

// Ignore never reports a change to the given absolute files, nor under
// the given folders (nor watches those folders), whatever else says to
// watch them: what is written at every build (a database file, its log,
// target/), which would start another build, forever. A file under one of
// those folders that Also names exactly (not by its folder or a glob)
// still counts. Call it before Run.
func (w *Watcher) Ignore(paths []string) {
	w.mu.Lock()
	w.ignore = slices.Clone(paths)
	w.mu.Unlock()
}

// ignored reports whether a change to name is never reported (Ignore).
func (w *Watcher) ignored(name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.ignore {
		if name == p {
			return true
		}
		if strings.HasPrefix(name, p+string(filepath.Separator)) {
			return !slices.Contains(w.also, name)
		}
	}
	return false
}

// watchAlso watches the folder of p (p's tree when p is a folder), or the
// nearest folder above it that exists.
func (w *Watcher) watchAlso(p string) {
	if info, err := os.Stat(p); err == nil && info.IsDir() {
		w.addTree(p)
		return
	}
	dir := filepath.Dir(p)
	for strings.ContainsAny(dir, "*?[") || !isDir(dir) {
		up := filepath.Dir(dir)
		if up == dir {
			return
		}
		dir = up
	}
	w.w.Add(dir)
}

// alsoHas reports whether name is one of the paths of Also, in one of its
// folders or matched by one of its globs.
func (w *Watcher) alsoHas(name string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, p := range w.also {
		if Covers(p, name) {
			return true
		}
	}
	return false
}

// Covers reports whether a change to the file name is one to path, as Also
// takes path: the file itself, one in the folder path (at any depth), or
// one its glob matches.
func Covers(path, name string) bool {
	if path == name || strings.HasPrefix(name, path+string(filepath.Separator)) {
		return true
	}
	ok, _ := filepath.Match(path, name)
	return ok
}

// alsoCreated watches the folder dir, just created, when it holds a path of
// Also or is on the way to one, and returns the files of Also already in
// it.
func (w *Watcher) alsoCreated(dir string) []string {
	w.mu.Lock()
	also := w.also
	w.mu.Unlock()
	var found []string
	for _, p := range also {
		switch {
		case p == dir || strings.HasPrefix(dir, p+string(filepath.Separator)):
			files, _ := w.addTree(dir)
			found = append(found, files...)
		case strings.HasPrefix(p, dir+string(filepath.Separator)):
			w.watchAlso(p)
			matches, _ := filepath.Glob(p) // p itself, if not a glob
			for _, m := range matches {
				found = append(found, w.rel(m))
			}
		}
	}
	return found
}

// Close stops watching.
func (w *Watcher) Close() error { return w.w.Close() }

// Run sends a batch to out for each burst of changes until ctx ends or
// the watcher is closed. Errors of fsnotify (a queue overflow, say) go to
// errs when it is not nil.
func (w *Watcher) Run(ctx context.Context, out chan<- Batch, errs chan<- error) {
	pending := map[string]bool{}
	var first time.Time
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			paths := w.handle(ev)
			if len(paths) == 0 {
				continue
			}
			if len(pending) == 0 {
				first = time.Now()
			}
			for _, p := range paths {
				pending[p] = true
			}
			// Wait for quiet, but never over ten quiet periods from the
			// first change: a file written without pause is still seen.
			timer.Reset(min(w.quiet, max(0, 10*w.quiet-time.Since(first))))
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			if errs != nil {
				select {
				case errs <- err:
				default:
				}
			}
		case <-timer.C:
			b := Batch{First: first}
			for p := range pending {
				b.Paths = append(b.Paths, p)
			}
			sort.Strings(b.Paths)
			clear(pending)
			select {
			case out <- b:
			case <-ctx.Done():
				return
			}
		}
	}
}

// handle adds the folders an event creates and returns the files it
// changes, relative to the root; none for editors' scratch files or
// files outside the watched folders.
func (w *Watcher) handle(ev fsnotify.Event) []string {
	if ev.Op == fsnotify.Chmod {
		return nil // the write or rename that matters comes with it
	}
	if Scratch(ev.Name) || w.ignored(ev.Name) {
		return nil
	}
	rel := w.rel(ev.Name)
	top, _, nested := strings.Cut(rel, "/")
	whole := w.dirs[top] // under a folder watched whole
	created := ev.Has(fsnotify.Create) && isDir(ev.Name)
	switch {
	case created && whole:
		// A new folder: watch it, and report what is in it already.
		files, _ := w.addTree(ev.Name)
		return append(slices.DeleteFunc(files, func(f string) bool { return !w.keeps(f) }), rel)
	case whole && nested && w.keeps(rel):
		return []string{rel}
	case !nested && w.files[rel] && !created:
		return []string{rel}
	case created:
		return w.alsoCreated(ev.Name)
	case w.alsoHas(ev.Name):
		return []string{rel}
	}
	return nil // another file or folder of the root: target/, say
}

// rel is path relative to the root with forward slashes, or path itself
// outside the root (a path of Also).
func (w *Watcher) rel(path string) string {
	rel, err := filepath.Rel(w.root, path)
	if err != nil || !filepath.IsLocal(rel) {
		rel = path
	}
	return filepath.ToSlash(rel)
}

// keeps reports whether a change to rel, under a folder watched whole,
// counts: Keep keeps it, or it is a folder or a path of Also.
func (w *Watcher) keeps(rel string) bool {
	full := filepath.Join(w.root, rel)
	return w.Keep == nil || w.Keep(rel) || isDir(full) || w.alsoHas(full)
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

// addTree watches dir and the folders under it, skipping hidden and
// ignored ones, and returns the files found, relative to the root.
func (w *Watcher) addTree(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if (p != dir && strings.HasPrefix(d.Name(), ".")) || w.ignored(p) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return w.w.Add(p)
		}
		if !Scratch(p) {
			files = append(files, w.rel(p))
		}
		return nil
	})
	return files, err
}

// Scratch reports the files editors write around a save, which are not
// the project's: hidden files (vim's .x.sql.swp, emacs's .#x.sql), backups
// (x.sql~), vim's write test 4913 and temporary files (x.sql.tmp).
func Scratch(path string) bool {
	name := filepath.Base(path)
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#"), strings.HasSuffix(name, "~"):
		return true
	case name == "4913":
		return true
	}
	switch filepath.Ext(name) {
	case ".swp", ".swx", ".swo", ".tmp", ".bak":
		return true
	}
	return false
}
