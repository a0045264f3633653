package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/weir-sh/weir/internal/browsertest"
	"github.com/weir-sh/weir/monitor"
	"github.com/weir-sh/weir/schedule"
)

// TestMonitorInBrowser is issue 14's acceptance for the monitor: the page
// renders in headless Chromium, shows the runs and the models' schedules,
// and its button runs a selection, which then shows as a run.
func TestMonitorInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	dir := scheduledProject(t)
	sv := startServe(t, dir, schedule.NewManualClock(time.Date(2024, 1, 1, 10, 30, 0, 0, time.UTC)))
	doc := sv.waitFor(t, "the first scheduled run", func(d monitor.Runs) bool { return len(byTrigger(d, "schedule")) == 1 })
	first := doc.Runs[0].ID

	do(t, ctx,
		chromedp.Navigate(sv.url),
		chromedp.WaitVisible(chromedp.CSS(`#runs tr[data-run="`+first+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#models tr[data-model="s.hourly"]`)),
	)
	row := text(t, ctx, `#runs tr[data-run="`+first+`"]`)
	for _, want := range []string{"schedule", "success", "s.hourly success", "s.daily success", "s.after_hourly success"} {
		if !strings.Contains(row, want) {
			t.Errorf("the run's row lacks %q:\n%s", want, row)
		}
	}
	if m := text(t, ctx, `#models tr[data-model="s.hourly"]`); !strings.Contains(m, "0 * * * *") || !strings.Contains(m, "success") {
		t.Errorf("s.hourly's row: %q", m)
	}
	browsertest.Screenshot(t, ctx, "1-runs")

	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#trigger-select"), "s.plain"),
		chromedp.Click(chromedp.CSS("#trigger-button")),
		chromedp.Poll[chromedp.Void](`document.querySelector("#trigger-result").dataset.run !== undefined`),
	)
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#trigger-result").dataset.run`))
	if err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.Poll[chromedp.Void](`(function () {
  const s = document.querySelector('#runs tr[data-run="`+id+`"] .status');
  return s !== null && s.textContent === "success";
})()`))
	if row := text(t, ctx, `#runs tr[data-run="`+id+`"]`); !strings.Contains(row, "http") || !strings.Contains(row, "s.plain success") {
		t.Errorf("the run the button started: %q", row)
	}
	browsertest.Screenshot(t, ctx, "2-triggered")
}

// TestServeToken: with WEIR_SERVE_TOKEN set, the API answers only
// requests that carry it; the page, which holds no data, loads without.
func TestServeToken(t *testing.T) {
	t.Setenv("WEIR_SERVE_TOKEN", "s3cret")
	sv := startServe(t, scheduledProject(t), schedule.NewManualClock(time.Date(2024, 1, 1, 10, 30, 0, 0, time.UTC)))
	status := func(method, path, token string) int {
		req, _ := http.NewRequest(method, sv.url+path, strings.NewReader(`{"select": "s.plain"}`))
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct {
		method, path, token string
		want                int
	}{
		{"GET", "api/runs", "", 401},
		{"GET", "api/models", "wrong", 401},
		{"POST", "api/trigger", "", 401},
		{"GET", "", "", 200},
		{"GET", "api/runs", "s3cret", 200},
		{"POST", "api/trigger", "s3cret", 202},
	} {
		if got := status(c.method, c.path, c.token); got != c.want {
			t.Errorf("%s /%s with token %q: %d, want %d", c.method, c.path, c.token, got, c.want)
		}
	}
}
