package schedule

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/robfig/cron/v3"

	"github.com/weir-sh/weir/models"
)

// parser reads standard five-field expressions (minute hour day-of-month
// month day-of-week) and the @hourly, @daily… descriptors.
var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Cron is a parsed schedule in a time zone.
type Cron struct {
	Expr  string
	sched cron.Schedule
	loc   *time.Location
}

// Parse reads a cron expression whose times are in loc (UTC when nil).
func Parse(expr string, loc *time.Location) (*Cron, error) {
	if loc == nil {
		loc = time.UTC
	}
	if strings.Contains(expr, "TZ=") {
		return nil, fmt.Errorf("set the time zone once for the project (timezone = \"Europe/Berlin\" in weir.hcl), not in the expression")
	}
	s, err := parser.Parse(expr)
	if err != nil {
		return nil, err
	}
	if _, every := s.(cron.ConstantDelaySchedule); every {
		return nil, fmt.Errorf("@every is not a cron schedule")
	}
	return &Cron{Expr: expr, sched: s, loc: loc}, nil
}

// Next is the first tick strictly after t.
func (c *Cron) Next(t time.Time) time.Time { return c.sched.Next(t.In(c.loc)).UTC() }

// Check parses every model's cron expression and reports the bad ones at
// the line they were written on (the model's header, or its folder block
// in weir.hcl). A model's own error marks it, so it fails alone.
func Check(p *models.Project) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[hcl.Range]bool{} // a folder's bad cron is reported once
	for _, m := range p.Models {
		cfg := m.Config
		if cfg.Cron == "" {
			continue
		}
		if _, err := Parse(cfg.Cron, p.Timezone); err != nil {
			d := &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Bad cron schedule",
				Detail:  fmt.Sprintf("cron = %q: %v; write five fields, minute hour day-of-month month day-of-week, like \"0 6 * * *\" (06:00 every day).", cfg.Cron, err),
				Subject: cfg.CronRange.Ptr(),
			}
			if cfg.CronRange.Filename == m.Path {
				m.Diags = append(m.Diags, models.MarkNode(hcl.Diagnostics{d}, m.ID())...)
			} else if seen[cfg.CronRange] {
				continue
			}
			seen[cfg.CronRange] = true
			diags = append(diags, d)
		}
	}
	return diags
}

// In is t in the schedule's time zone.
func (c *Cron) In(t time.Time) time.Time { return t.In(c.loc) }

// FromProject reads the schedules of a project's models, by ID, without
// compiling it; models whose expression does not parse are left out
// (Check reports them).
func FromProject(p *models.Project) map[string]*Cron {
	out := map[string]*Cron{}
	for _, m := range p.Models {
		if m.Config.Cron == "" || m.Diags.HasErrors() {
			continue
		}
		if cr, err := Parse(m.Config.Cron, p.Timezone); err == nil {
			out[m.ID()] = cr
		}
	}
	return out
}
