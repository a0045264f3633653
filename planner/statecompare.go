package planner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/models"
	"github.com/weir-sh/weir/state"
)

// Baseline is the state a selection compares the project with, for the
// state: and result: selector methods: another target's recorded state
// (--state-from) or the artifacts of an earlier run (--state DIR).
type Baseline struct {
	// Origin names where the baseline comes from, for messages
	// ("target prod", "state folder ci/prod").
	Origin string
	// Nodes are the nodes the baseline knows, by ID.
	Nodes map[string]BaselineNode
	// Complete is set when the baseline lists every node (a manifest);
	// a warehouse's state records only the nodes a build builds, so there
	// sources and ephemeral models are not compared.
	Complete bool
	// Results are each node's last outcome (success, error, skipped).
	Results map[string]string
	// Tests are, by node, the outcomes of its data tests in the last run
	// (pass, warn, fail, error); nil when the baseline does not keep them.
	Tests map[string][]string
}

// BaselineNode is what a baseline records of one node.
type BaselineNode struct {
	Fingerprint, CodeHash, BodyHash, ConfigHash string
}

// BaselineFromDir reads a folder of artifacts as weir writes them to
// target/: manifest.json (required), and for result: selectors
// run_results.json (weir build) and test_results.json (weir test), both
// optional.
func BaselineFromDir(dir string) (*Baseline, error) {
	b := &Baseline{Origin: "state folder " + dir, Nodes: map[string]BaselineNode{}, Complete: true}
	var m compiler.Manifest
	if err := readJSON(filepath.Join(dir, "manifest.json"), &m); err != nil {
		return nil, fmt.Errorf("--state %s: %w (point --state at a copy of a target/ folder weir wrote)", dir, err)
	}
	for _, e := range m.Nodes {
		b.Nodes[e.Name] = BaselineNode{Fingerprint: e.Fingerprint, CodeHash: e.CodeHash, BodyHash: e.BodyHash, ConfigHash: e.ConfigHash}
	}
	var rr struct {
		Results []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
			Tests  []struct {
				Status string `json:"status"`
			} `json:"tests"`
		} `json:"results"`
	}
	err := readJSON(filepath.Join(dir, "run_results.json"), &rr)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("--state %s: %w", dir, err)
	}
	b.Results, b.Tests = map[string]string{}, map[string][]string{}
	for _, r := range rr.Results {
		b.Results[r.Name] = r.Status
		for _, t := range r.Tests {
			b.Tests[r.Name] = append(b.Tests[r.Name], t.Status)
		}
	}
	// weir test writes its outcomes apart, each naming its node.
	var tests []struct {
		Node   string `json:"node"`
		Status string `json:"status"`
	}
	err = readJSON(filepath.Join(dir, "test_results.json"), &tests)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("--state %s: %w", dir, err)
	}
	for _, t := range tests {
		if t.Node != "" {
			b.Tests[t.Node] = append(b.Tests[t.Node], t.Status)
		}
	}
	return b, nil
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// BaselineFromStore reads a target's recorded state: each node's last
// good build (a node never built is new) and its last outcome. Test
// outcomes are not kept in the warehouse, so result:fail and result:warn
// need --state DIR.
func BaselineFromStore(ctx context.Context, target string, st *state.Store) (*Baseline, error) {
	recs, err := st.Nodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the state of target %s: %w", target, err)
	}
	b := &Baseline{Origin: "target " + target, Nodes: map[string]BaselineNode{}, Results: map[string]string{}}
	for name, r := range recs {
		b.Results[name] = r.LastStatus
		if r.Fingerprint != "" {
			b.Nodes[name] = BaselineNode{Fingerprint: r.Fingerprint, CodeHash: r.CodeHash, BodyHash: r.BodyHash, ConfigHash: r.ConfigHash}
		}
	}
	return b, nil
}

// compared reports whether the baseline can say anything about n: a
// warehouse's state has no record of sources and ephemeral models.
func (b *Baseline) compared(n *compiler.Node) bool {
	return b.Complete || n.Kind == models.KindSeed || n.Kind == models.KindModel && n.Materialized != models.MatEphemeral
}

// isNew reports a node the baseline does not have.
func (b *Baseline) isNew(n *compiler.Node) bool {
	_, ok := b.Nodes[n.ID]
	return b.compared(n) && !ok
}

// bodyChanged reports a node whose own SQL (or data, for a seed) differs.
func (b *Baseline) bodyChanged(n *compiler.Node) bool {
	r, ok := b.Nodes[n.ID]
	return ok && differs(r.BodyHash, n.BodyHash, r.CodeHash, n.CodeHash)
}

// configChanged reports a node whose settings differ.
func (b *Baseline) configChanged(n *compiler.Node) bool {
	r, ok := b.Nodes[n.ID]
	return ok && differs(r.ConfigHash, n.ConfigHash, r.CodeHash, n.CodeHash)
}

// differs compares a recorded hash with the current one; a record from
// before that hash was kept falls back to comparing code hashes.
func differs(recorded, current, recordedCode, currentCode string) bool {
	if recorded == "" {
		return recordedCode != currentCode
	}
	return recorded != current
}

// fingerprintChanged reports a node that is new or whose fingerprint (its
// code and everything upstream) differs.
func (b *Baseline) fingerprintChanged(n *compiler.Node) bool {
	r, ok := b.Nodes[n.ID]
	return b.compared(n) && (!ok || r.Fingerprint != n.Fingerprint)
}

// upstreamChanged reports a node with a parent that is new or changed
// (its fingerprint differs), or one whose own fingerprint changed while
// its SQL and config did not, through a parent the baseline does not
// record (an ephemeral model, a source).
func (b *Baseline) upstreamChanged(c *compiler.Result, n *compiler.Node) bool {
	return b.recordedParentChanged(c, n) || b.changedUnrecorded(c, n) && !b.bodyChanged(n) && !b.configChanged(n)
}

// changedUnrecorded reports a node whose recorded fingerprint differs
// while no parent the baseline records changed: the change came through
// a parent it does not record.
func (b *Baseline) changedUnrecorded(c *compiler.Result, n *compiler.Node) bool {
	r, ok := b.Nodes[n.ID]
	return ok && r.Fingerprint != n.Fingerprint && b.hasUncomparedParent(c, n) && !b.recordedParentChanged(c, n)
}

// hasUncomparedParent reports a node with a parent the baseline does not
// record.
func (b *Baseline) hasUncomparedParent(c *compiler.Result, n *compiler.Node) bool {
	for _, id := range n.DependsOn {
		if p := c.Nodes[id]; p != nil && !b.compared(p) {
			return true
		}
	}
	return false
}

// stateValues are the values of the state: method.
var stateValues = []string{"new", "modified", "modified.body", "modified.config", "modified.upstream"}

// matchState evaluates state:VALUE on n. "modified" is new, body or
// config changed, or changed through a parent the baseline does not
// record (an edited ephemeral model shows on the models inlining it).
func (b *Baseline) matchState(c *compiler.Result, n *compiler.Node, value string) (bool, error) {
	if b == nil {
		return false, errors.New("state:" + value + " compares with a recorded state: add --state-from TARGET (another target's warehouse) or --state DIR (a copied target/ folder)")
	}
	switch value {
	case "new":
		return b.isNew(n), nil
	case "modified":
		return b.isNew(n) || b.bodyChanged(n) || b.configChanged(n) || b.changedUnrecorded(c, n), nil
	case "modified.body":
		return b.bodyChanged(n), nil
	case "modified.config":
		return b.configChanged(n), nil
	case "modified.upstream":
		return b.upstreamChanged(c, n), nil
	}
	return false, fmt.Errorf("unknown state %q; use %s", value, joinOr(stateValues))
}

// recordedParentChanged reports a node with a recorded parent that is new
// or changed.
func (b *Baseline) recordedParentChanged(c *compiler.Result, n *compiler.Node) bool {
	for _, id := range n.DependsOn {
		if p := c.Nodes[id]; p != nil && b.compared(p) && b.fingerprintChanged(p) {
			return true
		}
	}
	return false
}

// resultValues are the values of the result: method.
var resultValues = []string{"success", "error", "skipped", "fail", "warn"}

// matchResult evaluates result:VALUE on n: the node's last outcome
// (success, error, skipped) or that of its data tests (fail, warn).
func (b *Baseline) matchResult(n *compiler.Node, value string) (bool, error) {
	if b == nil {
		return false, errors.New("result:" + value + " reads the outcomes of an earlier run: add --state DIR (a copied target/ folder) or --state-from TARGET")
	}
	switch value {
	case "success", "error", "skipped":
		return b.Results[n.ID] == value, nil
	case "fail", "warn":
		if b.Tests == nil {
			return false, fmt.Errorf("result:%s reads data tests' outcomes, which %s does not keep; use --state DIR with the run_results.json of that run", value, b.Origin)
		}
		for _, s := range b.Tests[n.ID] {
			if s == value {
				return true, nil
			}
		}
		return false, nil
	}
	return false, fmt.Errorf("unknown result %q; use %s", value, joinOr(resultValues))
}

// joinOr writes "a, b or c".
func joinOr(vals []string) string {
	out := ""
	for i, v := range vals {
		switch {
		case i == 0:
		case i == len(vals)-1:
			out += " or "
		default:
			out += ", "
		}
		out += v
	}
	return out
}
