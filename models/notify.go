package models

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Notification events a notify block may listen for.
const (
	// EventFailure: a run in which a node failed.
	EventFailure = "failure"
	// EventRecovery: a node that failed in its last run built again.
	EventRecovery = "recovery"
	// EventWarn: a node built with warnings, or a warn-severity test failed.
	EventWarn = "warn"
	// EventStale: scheduled models are late (sent by the scheduler of weir serve).
	EventStale = "stale"
)

// NotifyEvents lists the events in the order messages are sent.
var NotifyEvents = []string{EventFailure, EventRecovery, EventWarn, EventStale}

// Notify formats of a webhook body.
const (
	NotifyJSON  = "json"
	NotifySlack = "slack"
)

// Notifier is a notify block of weir.hcl: where to tell whom about which
// events of a run.
type Notifier struct {
	Name string
	// On lists the events it is sent (default: failure and recovery).
	On []string
	// Webhook is a URL that gets each message as a POST; it may hold a
	// token, so print it only through adapters.RedactText or its host.
	Webhook string
	// Format of the webhook body: json (the message) or slack.
	Format string
	// Command runs with the message as JSON on its standard input.
	Command []string
	// Err is the error evaluating webhook (env("X") with X unset):
	// reported when a message would go out, so other commands still work.
	Err       error
	DeclRange hcl.Range
}

// Wants reports whether the notifier listens for event.
func (n *Notifier) Wants(event string) bool { return slices.Contains(n.On, event) }

type notifyBlock struct {
	Name     string         `hcl:"name,label"`
	On       []string       `hcl:"on,optional"`
	Webhook  hcl.Expression `hcl:"webhook,optional"`
	Format   string         `hcl:"format,optional"`
	Command  []string       `hcl:"command,optional"`
	DefRange hcl.Range      `hcl:",def_range"`
	OnRange  hcl.Range      `hcl:"on,attr_range"`
	FmtRange hcl.Range      `hcl:"format,attr_range"`
}

// addNotifiers decodes the notify blocks into p.Notifiers.
func addNotifiers(p *Project, blocks []notifyBlock) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, b := range blocks {
		bad := func(summary, detail string, rng hcl.Range) {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: rng.Ptr()})
		}
		if seen[b.Name] {
			bad("Duplicate notify", fmt.Sprintf("A notify block named %q is declared twice; rename one of them.", b.Name), b.DefRange)
			continue
		}
		seen[b.Name] = true
		n := &Notifier{Name: b.Name, On: b.On, Format: b.Format, Command: b.Command, DeclRange: b.DefRange}
		if n.On == nil {
			n.On = []string{EventFailure, EventRecovery}
		}
		for _, e := range n.On {
			if !slices.Contains(NotifyEvents, e) {
				bad("Unknown notify event", fmt.Sprintf("on = [%q] is not an event; use %s.", e, strings.Join(NotifyEvents, ", ")), b.OnRange)
			}
		}
		switch n.Format {
		case "":
			n.Format = NotifyJSON
		case NotifyJSON, NotifySlack:
		default:
			bad("Unknown notify format", fmt.Sprintf("format = %q; use \"json\" (the default) or \"slack\".", n.Format), b.FmtRange)
		}
		if d := decodeOptional(b.Webhook, &n.Webhook); d.HasErrors() {
			n.Err = fmt.Errorf("webhook (%s:%d): %s", b.Webhook.Range().Filename, b.Webhook.Range().Start.Line, d[0].Detail)
		}
		if n.Webhook != "" && !strings.HasPrefix(n.Webhook, "http://") && !strings.HasPrefix(n.Webhook, "https://") {
			bad("Bad webhook", "webhook must be an http:// or https:// URL.", b.Webhook.Range())
		}
		if n.Webhook == "" && len(n.Command) == 0 && n.Err == nil {
			bad("Notify without a destination", fmt.Sprintf("notify %q needs webhook = \"https://…\" or command = [\"…\"].", n.Name), b.DefRange)
		}
		p.Notifiers = append(p.Notifiers, n)
	}
	return diags
}
