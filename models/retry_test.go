package models

import (
	"testing"
	"time"
)

// TestRetryDelay: the wait doubles with each retry, stays within half and
// all of the doubled backoff, and never passes the cap.
func TestRetryDelay(t *testing.T) {
	p := RetryPolicy{Retries: 20, Backoff: time.Second}
	for n, full := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 20: RetryBackoffCap} {
		lo, hi := p.Delay(n, 0), p.Delay(n, 0.999999)
		if lo != full/2 || hi > full || hi < full*99/100 {
			t.Errorf("retry %d: delay from %v to %v, want from %v to %v", n, lo, hi, full/2, full)
		}
	}
}
