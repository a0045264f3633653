package models

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// DefaultHistoryDays is how many days of run history weir keeps when
// weir.hcl has no history block: a month of a schedule's runs for the
// monitor, the docs site and a post-mortem, while a serve that builds
// every minute stays at a bounded size.
const DefaultHistoryDays = 30

// maxHistoryDays bounds keep_days (a hundred years), so that it stays a
// time.Duration.
const maxHistoryDays = 36500

// historyBlock mirrors weir.hcl's history block.
type historyBlock struct {
	KeepDays  *int      `hcl:"keep_days,optional"`
	KeepRange hcl.Range `hcl:"keep_days,attr_range"`
}

// setHistory reads weir.hcl's history block: the days of run history
// kept (DefaultHistoryDays without the block, 0 for all of it).
func (p *Project) setHistory(h *historyBlock) hcl.Diagnostics {
	p.HistoryDays = DefaultHistoryDays
	if h == nil || h.KeepDays == nil {
		return nil
	}
	if *h.KeepDays < 0 || *h.KeepDays > maxHistoryDays {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError, Summary: "Invalid keep_days",
			Detail:  fmt.Sprintf("keep_days = %d: write the number of days of run history to keep, up to %d, or 0 to keep all of it.", *h.KeepDays, maxHistoryDays),
			Subject: h.KeepRange.Ptr(),
		}}
	}
	p.HistoryDays = *h.KeepDays
	return nil
}
