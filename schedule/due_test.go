package schedule

import (
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, expr string, loc *time.Location) *Cron {
	t.Helper()
	c, err := Parse(expr, loc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestDueAt: a model is due once per tick passed since it was processed,
// never before; one never processed is due at once.
func TestDueAt(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	crons := map[string]*Cron{
		"s.hourly": mustParse(t, "0 * * * *", nil),
		"s.daily":  mustParse(t, "0 6 * * *", berlin), // 05:00 UTC in winter
	}
	at := func(s string) time.Time { v, _ := time.Parse(time.DateTime, s); return v }
	last := map[string]time.Time{"s.hourly": at("2024-01-01 10:30:00"), "s.daily": at("2024-01-01 10:30:00")}
	cases := []struct {
		now  string
		want string
	}{
		{"2024-01-01 10:59:59", ""},
		{"2024-01-01 11:00:00", "s.hourly"},
		{"2024-01-02 04:59:00", "s.hourly"},
		{"2024-01-02 05:00:00", "s.daily s.hourly"},
	}
	for _, c := range cases {
		var ids []string
		for _, d := range DueAt(crons, last, at(c.now)) {
			ids = append(ids, d.ID)
		}
		if got := strings.Join(ids, " "); got != c.want {
			t.Errorf("at %s: due %q, want %q", c.now, got, c.want)
		}
	}
	if next, _ := NextDue(crons, last, at("2024-01-01 10:45:00")); !next.Equal(at("2024-01-01 11:00:00")) {
		t.Errorf("next due %v, want 11:00", next)
	}
	due := DueAt(crons, map[string]time.Time{"s.daily": last["s.daily"]}, at("2024-01-01 10:45:00"))
	if len(due) != 1 || due[0].ID != "s.hourly" || !strings.Contains(due[0].Reason(), "first scheduled run") {
		t.Errorf("a model never processed is due at once: %+v", due)
	}
}

// TestParseRefuses: what is not a five-field schedule is refused.
func TestParseRefuses(t *testing.T) {
	for _, expr := range []string{"0 * * *", "0 0 * * * *", "@every 1m", "CRON_TZ=UTC 0 * * * *", "61 * * * *"} {
		if _, err := Parse(expr, nil); err == nil {
			t.Errorf("%q was accepted", expr)
		}
	}
	if _, err := Parse("@hourly", nil); err != nil {
		t.Errorf("@hourly: %v", err)
	}
}
