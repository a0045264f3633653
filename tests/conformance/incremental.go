package conformance

import (
	"strings"
	"testing"
	"time"

	"github.com/weir-sh/weir/planner"
	"github.com/weir-sh/weir/runner"
)

const ordersV1 = "id,amount,updated_at\n1,10,2024-01-01 00:00:00\n2,20,2024-01-02 00:00:00\n3,30,2024-01-03 00:00:00\n"
const ordersV2 = "id,amount,updated_at\n1,10,2024-01-01 00:00:00\n2,25,2024-02-01 00:00:00\n3,35,2024-02-01 00:00:00\n4,40,2024-02-02 00:00:00\n"

// testIncremental builds each strategy, changes the upstream seed and
// checks the rows each strategy leaves; a NULL unique key fails the model
// by name and leaves its table as it was.
func testIncremental(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("seeds/raw/orders.csv", ordersV1)
	p.Write("models/inc/appended.sql", `/* config
materialized = "incremental"
strategy     = "append"
*/
SELECT id, amount FROM raw.orders
{{ if is_incremental }}WHERE id > (SELECT max(id) FROM {{ this }}){{ end }}
`)
	p.Write("models/inc/merged.sql", `/* config
materialized = "incremental"
unique_key   = "id"
*/
SELECT id, amount, updated_at FROM raw.orders
{{ if is_incremental }}WHERE updated_at > (SELECT max(updated_at) FROM {{ this }}){{ end }}
`)
	p.Write("models/inc/replaced.sql", `/* config
materialized = "incremental"
strategy     = "delete+insert"
unique_key   = ["id"]
*/
SELECT id, amount FROM raw.orders
`)
	if res, _ := p.BuildPlanned(planner.Input{}); !res.OK() {
		t.Fatalf("first build failed: %+v", res.Results)
	}
	p.Write("seeds/raw/orders.csv", ordersV2)
	res, plan := p.BuildPlanned(planner.Input{})
	for _, id := range []string{"inc.appended", "inc.merged", "inc.replaced"} {
		if st := plan.Steps[id]; st.Mode != planner.Incremental {
			t.Errorf("%s planned as %s (%s), want incremental", id, st.Mode, st.Reason)
		}
		if r := Result(t, res, id); r.Status != runner.StatusSuccess {
			t.Fatalf("%s: %s", id, r.Message)
		}
	}
	want := Rows("1|10", "2|25", "3|35", "4|40")
	EqualRows(t, "append", p.Strings("SELECT id, amount FROM "+p.Rel("inc.appended")+" ORDER BY id"), Rows("1|10", "2|20", "3|30", "4|40"))
	EqualRows(t, "merge", p.Strings("SELECT id, amount FROM "+p.Rel("inc.merged")+" ORDER BY id"), want)
	EqualRows(t, "delete+insert", p.Strings("SELECT id, amount FROM "+p.Rel("inc.replaced")+" ORDER BY id"), want)

	p.Write("seeds/raw/orders.csv", "id,amount,updated_at\n1,10,2024-01-01 00:00:00\n,99,2024-03-01 00:00:00\n")
	res, _ = p.BuildPlanned(planner.Input{})
	r := Result(t, res, "inc.merged")
	if r.Status != runner.StatusError || !strings.Contains(r.Message, "inc.merged: 1 new row(s) have a NULL unique_key (id)") {
		t.Fatalf("a NULL key gave %s: %s", r.Status, r.Message)
	}
	EqualRows(t, "merge after the NULL key", p.Strings("SELECT id, amount FROM "+p.Rel("inc.merged")+" ORDER BY id"), want)
}

// testTimeRange processes exactly the missing intervals of a time_range
// model, then a backfill of one day redoes only that day.
func testTimeRange(t *testing.T, h Harness) {
	p := NewProject(t, h)
	p.Write("seeds/raw/events.csv", "id,ts\n1,2024-01-01 10:00:00\n2,2024-01-02 11:00:00\n3,2024-01-02 12:00:00\n4,2024-01-03 09:00:00\n5,2024-01-04 09:00:00\n")
	p.Write("models/ev/daily.sql", `/* config
materialized = "incremental"
strategy     = "time_range"
time_column  = "day"
interval     = "day"
start        = "2024-01-01"
*/
SELECT `+h.day("ts")+` AS day, count(*) AS n
FROM raw.events
WHERE ts >= {{ .Start }} AND ts < {{ .End }}
GROUP BY 1
`)
	at := func(s string) time.Time { v, _ := time.Parse("2006-01-02 15:04", s); return v }
	res, plan := p.BuildPlanned(planner.Input{Now: at("2024-01-03 06:00")})
	// Jan 1 and Jan 2 are complete; Jan 3 is not over yet.
	if n := len(plan.Steps["ev.daily"].Intervals); n != 2 || Result(t, res, "ev.daily").Rows != 2 {
		t.Fatalf("first build: %d batches, %d rows", n, Result(t, res, "ev.daily").Rows)
	}
	_, plan = p.BuildPlanned(planner.Input{Now: at("2024-01-05 00:00")})
	if got := plan.Steps["ev.daily"].Reason; !strings.HasPrefix(got, "2 day interval(s) due") {
		t.Fatalf("two days later the reason is %q", got)
	}
	EqualRows(t, "ev.daily", p.Strings("SELECT n FROM "+p.Rel("ev.daily")+" ORDER BY day"), Rows("1", "2", "1", "1"))

	p.Write("seeds/raw/events.csv", "id,ts\n1,2024-01-01 10:00:00\n2,2024-01-02 11:00:00\n3,2024-01-02 12:00:00\n4,2024-01-03 09:00:00\n5,2024-01-04 09:00:00\n6,2024-01-02 23:00:00\n7,2024-01-03 23:00:00\n")
	p.BuildPlanned(planner.Input{Selected: []string{"raw.events"}, Now: at("2024-01-05 00:00")})
	_, plan = p.BuildPlanned(planner.Input{Selected: []string{"ev.daily"}, Start: at("2024-01-02 00:00"), End: at("2024-01-03 00:00"), Now: at("2024-01-05 00:00")})
	if n := len(plan.Steps["ev.daily"].Intervals); n != 1 {
		t.Fatalf("the backfill planned %d batches, want 1", n)
	}
	// Jan 2 picked up its late row; Jan 3's late row waits for its own backfill.
	EqualRows(t, "ev.daily after the backfill", p.Strings("SELECT n FROM "+p.Rel("ev.daily")+" ORDER BY day"), Rows("1", "3", "1", "1"))
}
