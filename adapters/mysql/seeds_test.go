package mysql

import (
	"context"
	"strings"
	"testing"

	"github.com/weir-sh/weir/runner"
	"github.com/weir-sh/weir/tests/conformance"
)

// TestSeedValueErrorLine: a value MySQL refuses in the middle of a batch
// of a seed's records is reported at the line it is on, taken from the
// row MySQL names, not at the batch's first line; a value of a later
// batch too.
func TestSeedValueErrorLine(t *testing.T) {
	p := conformance.NewProject(t, harness(false))
	p.SetConfig(`seed "raw.people" {
  column_types = { age = "INTEGER" }
}
seed "raw.many" {
  column_types = { n = "INTEGER" }
}
`)
	p.Write("seeds/raw/people.csv", "id,name,age\n1,ann,30\n2,\"cy,\nd\",40\n3,bob,x\n4,dee,50\n")
	p.Write("seeds/raw/many.csv", "n\n"+strings.Repeat("1\n", insertBatch+10)+"y\n")
	res, err := p.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"raw.people": "seeds/raw/people.csv:5: ",
		"raw.many":   "seeds/raw/many.csv:512: ",
	} {
		r := conformance.Result(t, res, id)
		if r.Status != runner.StatusError || !strings.HasPrefix(r.Message, want) || !strings.Contains(r.Message, "at row") {
			t.Errorf("%s: %s %q, want an error starting %q with MySQL's own", id, r.Status, r.Message, want)
		}
	}
}
