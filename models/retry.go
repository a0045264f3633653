package models

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Defaults and bounds of the retry settings.
const (
	// DefaultRetries is how many times a node is tried again after a
	// transient error when neither it nor its folder says.
	DefaultRetries = 2
	// DefaultRetryBackoff is the wait before the first retry.
	DefaultRetryBackoff = time.Second
	// MaxRetries bounds retries.
	MaxRetries = 10
	// RetryBackoffCap bounds the wait before any retry, however many
	// doublings came before it.
	RetryBackoffCap = 2 * time.Minute
)

// RetryPolicy says how often a node is tried and how long one try may
// take. Only an error the adapter calls transient (a lost connection, a
// serialization failure, a deadlock) is retried; an error in the SQL never.
type RetryPolicy struct {
	// Retries is the number of attempts after the first (retries = 2).
	Retries int
	// Backoff is the wait before the first retry (retry_backoff = "1s");
	// each later one waits twice the one before, with jitter, up to
	// RetryBackoffCap.
	Backoff time.Duration
	// Timeout bounds one attempt (timeout = "10m"); 0 means none. A
	// timed-out attempt is canceled in the warehouse and not retried.
	Timeout time.Duration
}

// DefaultRetryPolicy is the policy of a node nothing configures.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{Retries: DefaultRetries, Backoff: DefaultRetryBackoff}
}

// Delay is the wait before retry number n (1 for the first): Backoff
// doubled n-1 times, capped, then scaled by jitter, a number in [0, 1)
// (the wait is between half and all of the capped value).
func (p RetryPolicy) Delay(n int, jitter float64) time.Duration {
	d := p.Backoff
	for i := 1; i < n && d < RetryBackoffCap; i++ {
		d *= 2
	}
	d = min(d, RetryBackoffCap)
	return d/2 + time.Duration(float64(d/2)*jitter)
}

// retryAttrs are the retry settings as written in a model header, a
// folder block or a script file, with their ranges for diagnostics.
type retryAttrs struct {
	Retries      *int      `hcl:"retries,optional"`
	Backoff      string    `hcl:"retry_backoff,optional"`
	Timeout      string    `hcl:"timeout,optional"`
	RetriesRange hcl.Range `hcl:"retries,attr_range"`
	BackoffRange hcl.Range `hcl:"retry_backoff,attr_range"`
	TimeoutRange hcl.Range `hcl:"timeout,attr_range"`
}

// retrySet is the retry settings one place writes; nil or 0 where it is
// silent.
type retrySet struct {
	retries          *int
	backoff, timeout time.Duration
}

// over sets on p what s writes.
func (s retrySet) over(p *RetryPolicy) {
	if s.retries != nil {
		p.Retries = *s.retries
	}
	if s.backoff > 0 {
		p.Backoff = s.backoff
	}
	if s.timeout > 0 {
		p.Timeout = s.timeout
	}
}

// decodeRetry reads the retry settings of body: the rest of a model
// header, folder block or script file (outer, the struct that took its own
// attributes). Any other attribute left in body is reported as unexpected,
// suggesting the nearest setting.
func decodeRetry(body hcl.Body, outer any) (retrySet, hcl.Diagnostics) {
	var a retryAttrs
	var s retrySet
	diags := decodeRest(body, outer, &a)
	if diags.HasErrors() {
		return s, diags
	}
	if a.Retries != nil {
		if *a.Retries < 0 || *a.Retries > MaxRetries {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError, Summary: "Bad retries",
				Detail:  fmt.Sprintf("retries = %d; give the attempts after the first, from 0 to %d.", *a.Retries, MaxRetries),
				Subject: a.RetriesRange.Ptr(),
			})
		} else {
			s.retries = a.Retries
		}
	}
	var bad *hcl.Diagnostic
	if s.backoff, bad = parseDuration("retry_backoff", a.Backoff, a.BackoffRange); bad != nil {
		diags = append(diags, bad)
	}
	if s.timeout, bad = parseDuration("timeout", a.Timeout, a.TimeoutRange); bad != nil {
		diags = append(diags, bad)
	}
	return s, diags
}

// parseDuration reads a positive duration setting; "" is 0.
func parseDuration(name, s string, rng hcl.Range) (time.Duration, *hcl.Diagnostic) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Bad " + name,
			Detail:  fmt.Sprintf("%s = %q is not a duration; write it like \"90s\", \"5m\" or \"1h\".", name, s),
			Subject: rng.Ptr(),
		}
	}
	return d, nil
}
