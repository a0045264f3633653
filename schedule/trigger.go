package schedule

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/weir-sh/weir/models"
)

// FileEvent is a file that arrived (or changed) where a source's
// trigger_path looks.
type FileEvent struct {
	Source string // the source's ID
	File   string // relative to the project folder, slash-separated
}

// DefaultDebounce is how long a file must stay quiet after its last write
// before it counts as arrived: a copy in progress writes many times.
const DefaultDebounce = time.Second

// WatchFiles watches the folders of the sources' trigger_path globs (under
// dir, the project folder) until ctx ends, and calls fire once for each
// file created or written there that matches, after it has been quiet
// for debounce. It fails when a folder cannot be watched (it does not
// exist, say).
func WatchFiles(ctx context.Context, dir string, sources []*models.Source, debounce time.Duration, fire func(FileEvent)) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	globs := map[string][]*models.Source{} // watched folder → its sources
	for _, src := range sources {
		if src.TriggerPath == "" {
			continue
		}
		folder := filepath.Join(dir, filepath.FromSlash(path.Dir(path.Clean(src.TriggerPath))))
		if _, seen := globs[folder]; !seen {
			if err := w.Add(folder); err != nil {
				w.Close()
				return fmt.Errorf("%s: trigger_path %q of %s: cannot watch %s: %w (create the folder)", src.DeclRange, src.TriggerPath, src.ID(), folder, err)
			}
		}
		globs[folder] = append(globs[folder], src)
	}
	d := &debouncer{wait: debounce, fire: fire, timers: map[FileEvent]*time.Timer{}}
	go func() {
		defer w.Close()
		defer d.stop()
		for {
			select {
			case <-ctx.Done():
				return
			case ev, ok := <-w.Events:
				if !ok {
					return
				}
				if !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Write) {
					continue
				}
				for _, src := range globs[filepath.Dir(ev.Name)] {
					if matchTrigger(src.TriggerPath, filepath.Base(ev.Name)) {
						rel, _ := filepath.Rel(dir, ev.Name)
						d.touch(FileEvent{Source: src.ID(), File: filepath.ToSlash(rel)})
					}
				}
			case <-w.Errors:
			}
		}
	}()
	return nil
}

// matchTrigger reports whether a file name matches the name part of a
// trigger_path. Hidden files (a copy tool's temporaries) never do.
func matchTrigger(glob, name string) bool {
	if name == "" || name[0] == '.' {
		return false
	}
	ok, _ := path.Match(path.Base(path.Clean(glob)), name)
	if !ok {
		return false
	}
	return true
}

// debouncer fires an event once it has been quiet for wait.
type debouncer struct {
	wait   time.Duration
	fire   func(FileEvent)
	mu     sync.Mutex
	timers map[FileEvent]*time.Timer
	closed bool
}

func (d *debouncer) touch(ev FileEvent) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	if t, ok := d.timers[ev]; ok {
		t.Reset(d.wait)
		return
	}
	d.timers[ev] = time.AfterFunc(d.wait, func() {
		d.mu.Lock()
		delete(d.timers, ev)
		closed := d.closed
		d.mu.Unlock()
		if !closed {
			d.fire(ev)
		}
	})
}

func (d *debouncer) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
	for _, t := range d.timers {
		t.Stop()
	}
}
