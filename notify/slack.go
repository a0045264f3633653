package notify

import (
	"fmt"
	"strings"

	"github.com/weir-sh/weir/models"
)

// slackMessage is the body of a Slack incoming webhook.
type slackMessage struct {
	Text string `json:"text"`
}

// maxSlackNodes is how many nodes a Slack message lists by name.
const maxSlackNodes = 10

// slackBody writes m as a Slack message: a headline, then one bullet per
// node with its status and first line of message.
func slackBody(m Message) slackMessage {
	var b strings.Builder
	fmt.Fprintf(&b, "%s *weir %s* on `%s`: %s (run `%s`, %s)", icon(m.Event), m.Event, m.Target, headline(m), m.RunID, m.Summary)
	for i, n := range m.Nodes {
		if i == maxSlackNodes {
			fmt.Fprintf(&b, "\n…and %d more", len(m.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n• `%s` %s", n.Name, n.Status)
		if n.Message != "" {
			fmt.Fprintf(&b, ": %s", n.Message)
		}
	}
	return slackMessage{Text: b.String()}
}

func icon(event string) string {
	switch event {
	case models.EventFailure:
		return ":red_circle:"
	case models.EventRecovery:
		return ":large_green_circle:"
	}
	return ":warning:"
}

func headline(m Message) string {
	n := len(m.Nodes)
	switch m.Event {
	case models.EventFailure:
		return plural(n, "node") + " failed or skipped"
	case models.EventRecovery:
		return plural(n, "node") + " recovered"
	case models.EventWarn:
		return plural(n, "node") + " with warnings"
	}
	return plural(n, "node") + " late"
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
