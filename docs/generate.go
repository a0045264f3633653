package docs

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
)

//go:embed assets
var assets embed.FS

// NodesPerScript is how many nodes' pages one data script holds: node N
// is in data/nodes/(N/NodesPerScript).js. Fewer, larger files write
// faster than one per node, and one still loads in a moment.
const NodesPerScript = 64

// Stats describe a generated site.
type Stats struct {
	Nodes, Runs int
	// Files and Bytes count everything written; IndexBytes is
	// data/index.js alone (what the first screen loads).
	Files      int
	Bytes      int64
	IndexBytes int64
}

// Generate writes the site for in to dir (target/docs): index.html, the
// assets and the data scripts. The new site replaces the old one at once,
// so a server showing dir never serves half of each.
func Generate(dir string, in Input) (Stats, error) {
	s := build(in)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return Stats{}, err
	}
	tmp, err := os.MkdirTemp(parent, ".docs-")
	if err != nil {
		return Stats{}, err
	}
	defer os.RemoveAll(tmp)
	st, err := s.write(tmp)
	if err != nil {
		return st, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return st, err
	}
	return st, swap(tmp, dir)
}

// swap puts the folder fresh in place of dir.
func swap(fresh, dir string) error {
	old := dir + ".old"
	os.RemoveAll(old)
	if err := os.Rename(dir, old); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := os.Rename(fresh, dir); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// write writes the whole site under dir.
func (s *site) write(dir string) (Stats, error) {
	w := &writer{dir: dir}
	for _, sub := range []string{"assets", "data/nodes", "data/runs"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return Stats{}, err
		}
	}
	err := fs.WalkDir(assets, "assets", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := assets.ReadFile(path)
		if err != nil {
			return err
		}
		if path == "assets/index.html" {
			path = "index.html"
		}
		return w.file(path, data)
	})
	if err != nil {
		return Stats{}, err
	}
	before := w.bytes
	if err := w.script("data/index.js", "index", s.index); err != nil {
		return Stats{}, err
	}
	st := Stats{Nodes: len(s.nodes), Runs: len(s.runs), IndexBytes: w.bytes - before}
	jobs := make(chan func() error)
	var wg sync.WaitGroup
	var once sync.Once
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				if err2 := job(); err2 != nil {
					once.Do(func() { err = err2 })
				}
			}
		}()
	}
	for c := 0; c*NodesPerScript < len(s.nodes); c++ {
		chunk := s.nodes[c*NodesPerScript : min((c+1)*NodesPerScript, len(s.nodes))]
		jobs <- func() error { return w.script("data/nodes/"+strconv.Itoa(c)+".js", "nodes", chunk) }
	}
	for i := range s.runs {
		jobs <- func() error { return w.script("data/runs/"+strconv.Itoa(i)+".js", "run", s.runs[i]) }
	}
	close(jobs)
	wg.Wait()
	st.Files, st.Bytes = w.files, w.bytes
	return st, err
}

// writer writes files and counts them.
type writer struct {
	dir   string
	mu    sync.Mutex
	files int
	bytes int64
}

// script writes v as the data script "weir.FN(JSON);". JSON escapes <, >
// and &, so no text of the project can end the script.
func (w *writer) script(path, fn string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	out := make([]byte, 0, len(data)+len(fn)+10)
	out = append(out, "weir."+fn+"("...)
	out = append(out, data...)
	out = append(out, ");\n"...)
	return w.file(path, out)
}

func (w *writer) file(path string, data []byte) error {
	if err := os.WriteFile(filepath.Join(w.dir, filepath.FromSlash(path)), data, 0o644); err != nil {
		return err
	}
	w.mu.Lock()
	w.files++
	w.bytes += int64(len(data))
	w.mu.Unlock()
	return nil
}
