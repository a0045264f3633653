package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/weir-sh/weir/models"
)

// Timeout bounds one delivery: a webhook request or a command's run.
var Timeout = 15 * time.Second

// Logf reports a delivery that failed; Send never returns an error.
type Logf func(format string, args ...any)

// Send delivers each message to every notifier of p listening for its
// event. A delivery that fails (unreachable, a status other than 2xx, a
// command exiting non-zero) is reported through logf and does not stop
// the others.
func Send(ctx context.Context, p *models.Project, msgs []Message, logf Logf) {
	for _, m := range msgs {
		for _, n := range p.Notifiers {
			if !n.Wants(m.Event) {
				continue
			}
			if err := deliver(ctx, p.Dir, n, m); err != nil {
				logf("notify %q (%s): %v", n.Name, m.Event, err)
			}
		}
	}
}

// deliver sends m to n's webhook and command.
func deliver(ctx context.Context, dir string, n *models.Notifier, m Message) error {
	if n.Err != nil {
		return n.Err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	var errs []string
	if n.Webhook != "" {
		hook := body
		if n.Format == models.NotifySlack {
			hook, _ = json.Marshal(slackBody(m))
		}
		if err := post(ctx, n.Webhook, hook); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(n.Command) > 0 {
		if err := run(ctx, dir, n.Command, m, body); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// post sends body to a webhook. Errors name only the URL's host: its path
// or query often holds a token.
func post(ctx context.Context, hook string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	host := "webhook"
	if u, err := url.Parse(hook); err == nil {
		host = "webhook at " + u.Host
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%s: bad URL", host)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "weir")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message quotes the whole URL
		}
		return fmt.Errorf("%s: %v", host, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s answered %s", host, resp.Status)
	}
	return nil
}

// run starts a notify command in the project folder with the message as
// JSON on its standard input and WEIR_EVENT, WEIR_RUN_ID and WEIR_TARGET
// in its environment.
func run(ctx context.Context, dir string, argv []string, m Message, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(body)
	cmd.Env = append(os.Environ(), "WEIR_EVENT="+m.Event, "WEIR_RUN_ID="+m.RunID, "WEIR_TARGET="+m.Target)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = msg[:500] + "…"
		}
		if msg != "" {
			return fmt.Errorf("command %s: %v: %s", argv[0], err, msg)
		}
		return fmt.Errorf("command %s: %v", argv[0], err)
	}
	return nil
}
