package planner

import (
	"strings"
	"testing"

	"github.com/weir-sh/weir/compiler"
	"github.com/weir-sh/weir/graph"
	"github.com/weir-sh/weir/models"
)

// stateProject is, with what changed since the baseline:
//
//	raw.ev (source) -> stg.a (body edited) -> mart.b -> rep.c
//	seed.s ------------------------------> mart.b
//	stg.e (ephemeral, edited) -> mart.d
//	stg.x (config edited, tag core)     stg.new (new, tag core)
//	stg.same (unchanged)
func stateProject() *compiler.Result {
	mk := func(id, kind, mat string, parents ...string) *compiler.Node {
		n := &compiler.Node{ID: id, Name: id[strings.IndexByte(id, '.')+1:], Kind: kind, Materialized: mat, DependsOn: parents,
			Fingerprint: "fp-" + id, CodeHash: "code-" + id, BodyHash: "body-" + id, ConfigHash: "cfg-" + id}
		switch kind {
		case models.KindModel:
			n.Model = &models.Model{}
		case models.KindSeed:
			n.Seed = &models.Seed{}
		case models.KindSource:
			n.Source = &models.Source{}
		}
		return n
	}
	nodes := []*compiler.Node{
		mk("raw.ev", models.KindSource, ""),
		mk("seed.s", models.KindSeed, models.MatTable),
		mk("stg.a", models.KindModel, models.MatTable, "raw.ev"),
		mk("mart.b", models.KindModel, models.MatTable, "seed.s", "stg.a"),
		mk("rep.c", models.KindModel, models.MatView, "mart.b"),
		mk("stg.e", models.KindModel, models.MatEphemeral),
		mk("mart.d", models.KindModel, models.MatTable, "stg.e"),
		mk("stg.x", models.KindModel, models.MatTable),
		mk("stg.new", models.KindModel, models.MatTable),
		mk("stg.same", models.KindModel, models.MatTable),
	}
	c := &compiler.Result{Nodes: map[string]*compiler.Node{}, Graph: graph.New()}
	for _, n := range nodes {
		c.Nodes[n.ID] = n
		c.Order = append(c.Order, n.ID)
		c.Graph.AddNode(n.ID)
		for _, p := range n.DependsOn {
			c.Graph.AddEdge(p, n.ID)
		}
	}
	c.Nodes["raw.ev"].Relation.Schema = "raw"
	c.Nodes["stg.x"].Model.Config.Tags = []string{"core"}
	c.Nodes["stg.new"].Model.Config.Tags = []string{"core"}
	return c
}

// stateBaseline records stateProject as it was: complete (a manifest,
// which has sources and ephemeral models) or as a warehouse's state.
func stateBaseline(c *compiler.Result, complete bool) *Baseline {
	b := &Baseline{Origin: "test", Nodes: map[string]BaselineNode{}, Complete: complete,
		Results: map[string]string{"stg.a": "success", "mart.b": "error", "rep.c": "skipped"},
		Tests:   map[string][]string{"stg.a": {"pass", "warn"}, "seed.s": {"fail"}}}
	for id, n := range c.Nodes {
		if id == "stg.new" || !complete && !b.compared(n) {
			continue
		}
		b.Nodes[id] = BaselineNode{Fingerprint: n.Fingerprint, CodeHash: n.CodeHash, BodyHash: n.BodyHash, ConfigHash: n.ConfigHash}
	}
	// What changed: fingerprints change down from each edit.
	edit := func(id string, body, config bool) {
		r := b.Nodes[id]
		if body {
			r.BodyHash, r.CodeHash = "old", "old"
		}
		if config {
			r.ConfigHash, r.CodeHash = "old", "old"
		}
		r.Fingerprint = "old"
		if _, ok := b.Nodes[id]; ok {
			b.Nodes[id] = r
		}
	}
	edit("stg.a", true, false)
	edit("mart.b", false, false)
	edit("rep.c", false, false)
	edit("stg.e", true, false) // absent from a warehouse's state
	edit("mart.d", false, false)
	edit("stg.x", false, true)
	if !complete {
		b.Tests = nil
	}
	return b
}

func TestChooseState(t *testing.T) {
	c := stateProject()
	cases := []struct {
		include, exclude []string
		complete         bool // the baseline is a manifest (--state), not a warehouse's state
		want             string
	}{
		{[]string{"state:new"}, nil, true, "stg.new"},
		{[]string{"state:modified"}, nil, true, "stg.a stg.e stg.new stg.x"},
		{[]string{"state:modified"}, nil, false, "mart.d stg.a stg.new stg.x"}, // the ephemeral shows on its reader
		{[]string{"state:modified.body"}, nil, true, "stg.a stg.e"},
		{[]string{"state:modified.body"}, nil, false, "stg.a"},
		{[]string{"state:modified.config"}, nil, true, "stg.x"},
		{[]string{"state:modified.upstream"}, nil, true, "mart.b mart.d rep.c"},
		{[]string{"state:modified.upstream"}, nil, false, "mart.b mart.d rep.c"},
		{[]string{"state:modified.body+"}, nil, true, "mart.b mart.d rep.c stg.a stg.e"},
		{[]string{"state:modified.body+1"}, nil, true, "mart.b mart.d stg.a stg.e"},
		{[]string{"+state:modified.body"}, nil, true, "raw.ev stg.a stg.e"},
		{[]string{"@state:modified.config"}, nil, true, "stg.x"},
		{[]string{"state:modified,tag:core"}, nil, true, "stg.new stg.x"},
		{[]string{"state:modified tag:core"}, nil, false, "mart.d stg.a stg.new stg.x"},
		{[]string{"state:modified+"}, []string{"state:new"}, true, "mart.b mart.d rep.c stg.a stg.e stg.x"},
		{[]string{"state:modified+"}, []string{"kind:model,materialized:view"}, false, "mart.b mart.d stg.a stg.new stg.x"},
		{[]string{"state:modified,stg.same"}, nil, true, ""}, // a state selection may be empty
		{[]string{"source:raw+"}, nil, false, "mart.b raw.ev rep.c stg.a"},
		{[]string{"source:raw.ev+,state:modified.upstream"}, nil, false, "mart.b rep.c"},
		{[]string{"result:error+"}, nil, true, "mart.b rep.c"},
		{[]string{"result:skipped", "result:success"}, nil, false, "rep.c stg.a"},
		{[]string{"result:warn"}, nil, true, "stg.a"},
		{[]string{"result:fail+"}, nil, true, "mart.b rep.c seed.s"},
		{[]string{"STATE:Modified.Config"}, nil, true, ""}, // methods are case-sensitive: "STATE" is unknown
	}
	for _, tc := range cases {
		sel, err := ChooseWith(c, Criteria{Include: tc.include, Exclude: tc.exclude, State: stateBaseline(c, tc.complete)})
		if strings.HasPrefix(tc.include[0], "STATE") {
			if err == nil {
				t.Errorf("%v: want an unknown method error", tc.include)
			}
			continue
		}
		if err != nil {
			t.Errorf("%v -%v (complete %v): %v", tc.include, tc.exclude, tc.complete, err)
			continue
		}
		if got := strings.Join(sel.IDs, " "); got != tc.want {
			t.Errorf("%v -%v (complete %v) = %q, want %q", tc.include, tc.exclude, tc.complete, got, tc.want)
		}
	}
}

func TestChooseStateErrors(t *testing.T) {
	c := stateProject()
	cases := []struct {
		include []string
		state   *Baseline
		want    string
	}{
		{[]string{"state:modified"}, nil, "add --state-from TARGET"},
		{[]string{"result:error"}, nil, "add --state DIR"},
		{[]string{"state:changed"}, stateBaseline(c, true), `unknown state "changed"; use new, modified, modified.body, modified.config or modified.upstream`},
		{[]string{"result:broken"}, stateBaseline(c, true), `unknown result "broken"`},
		{[]string{"result:fail"}, stateBaseline(c, false), "use --state DIR with the run_results.json"},
		{[]string{"stg.nope,state:modified"}, stateBaseline(c, true), `--select "stg.nope,state:modified": stg.nope matches no node; nearest: stg.e`},
		{[]string{"state:modified+,"}, stateBaseline(c, true), "missing value"},
	}
	for _, tc := range cases {
		_, err := ChooseWith(c, Criteria{Include: tc.include, State: tc.state})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want one containing %q", tc.include, err, tc.want)
		}
	}
}

func TestNamedSelector(t *testing.T) {
	p := &models.Project{Selectors: map[string]*models.Selector{"nightly": {Name: "nightly"}, "hourly": {Name: "hourly"}}}
	if s, err := NamedSelector(p, "nightly"); err != nil || s.Name != "nightly" {
		t.Fatalf("NamedSelector(nightly) = %v, %v", s, err)
	}
	_, err := NamedSelector(p, "nighty")
	if err == nil || !strings.Contains(err.Error(), "nearest: nightly, hourly") {
		t.Errorf("unknown selector: %v", err)
	}
	if _, err := NamedSelector(&models.Project{}, "x"); err == nil || !strings.Contains(err.Error(), "declares no selector") {
		t.Errorf("no selectors: %v", err)
	}
}
