package postgres

import (
	"strings"

	"github.com/lib/pq"

	"github.com/weir-sh/weir/adapters"
)

// noticePrefix starts the warnings weir's own SQL raises (see swap.go).
const noticePrefix = "weir: "

// notice keeps the server's warnings that weir raised itself; other
// notices (a CREATE SCHEMA IF NOT EXISTS that skipped, say) are noise.
func (a *Adapter) notice(n *pq.Error) {
	if n.Severity != pq.Ewarning || !strings.HasPrefix(n.Message, noticePrefix) {
		return
	}
	a.mu.Lock()
	a.warnings = append(a.warnings, strings.TrimPrefix(n.Message, noticePrefix))
	a.mu.Unlock()
	if strings.HasPrefix(n.Detail, parkedPrefix) {
		a.park(n.Detail)
	}
}

// Warnings returns and forgets the warnings raised about rel: they name
// it quoted, as the swap writes it.
func (a *Adapter) Warnings(rel adapters.Relation) []string {
	name := adapters.QuoteRelation(Dialect{}, rel)
	a.mu.Lock()
	defer a.mu.Unlock()
	var mine, rest []string
	for _, w := range a.warnings {
		if strings.Contains(w, name) {
			mine = append(mine, w)
		} else {
			rest = append(rest, w)
		}
	}
	a.warnings = rest
	return mine
}
