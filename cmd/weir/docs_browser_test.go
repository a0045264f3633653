package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/weir-sh/weir/docs"
	"github.com/weir-sh/weir/internal/browsertest"
	"github.com/weir-sh/weir/internal/webserver"
)

// shopSite builds the example project in a temporary copy, twice (so it
// has a run history), and generates its docs site; it returns the
// project folder.
func shopSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyDir(t, "../../examples/shop", dir)
	runWeir(t, dir, "query", "--file", "setup.sql")
	runWeir(t, dir, "build")
	runWeir(t, dir, "build", "--full-refresh")
	out := runWeir(t, dir, "docs", "generate")
	if !strings.Contains(out, "2 runs") {
		t.Fatalf("docs generate did not see the two runs:\n%s", out)
	}
	return dir
}

// serveSite serves a generated site on a free loopback port as weir docs
// serve does, and returns its URL.
func serveSite(t *testing.T, dir string) string {
	t.Helper()
	ln, err := webserver.Listen(webserver.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- webserver.Serve(ctx, ln, docs.Handler(filepath.Join(dir, "target", "docs"))) }()
	t.Cleanup(func() { cancel(); <-done })
	return webserver.URL(ln)
}

// TestDocsSiteInBrowser is issue 12's acceptance: open the example's
// site, search a model, open its page, follow its lineage to an upstream
// model, check the column lineage of a computed column.
func TestDocsSiteInBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	dir := shopSite(t)
	url := serveSite(t, dir)
	do(t, ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS(`a[data-node="marts.customers"]`)),
	)
	browsertest.Screenshot(t, ctx, "1-overview")

	// Search by a column only marts.customers has.
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#search"), "lifetime_value"),
		chromedp.WaitVisible(chromedp.CSS(`#results a[data-node="marts.customers"]`)),
	)
	results := text(t, ctx, "#results")
	if strings.Contains(results, "staging.orders") {
		t.Errorf("search for lifetime_value lists staging.orders:\n%s", results)
	}
	browsertest.Screenshot(t, ctx, "2-search")

	// The model's page: columns with warehouse types and docs, tests with
	// their results, SQL, run history.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#results a[data-node="marts.customers"]`)),
		chromedp.WaitVisible(chromedp.CSS("#columns")),
	)
	cols := text(t, ctx, "#columns")
	for _, want := range []string{"lifetime_value", "DOUBLE", "Paid for fulfilled orders.", "customer_id"} {
		if !strings.Contains(cols, want) {
			t.Errorf("columns table lacks %q:\n%s", want, cols)
		}
	}
	detail := text(t, ctx, "#detail")
	for _, want := range []string{"not_null", "pass", "SQL as written", "SQL as compiled", "Run history"} {
		if !strings.Contains(detail, want) {
			t.Errorf("model page lacks %q", want)
		}
	}
	if n := count(t, ctx, "#plot circle"); n != 2 {
		t.Errorf("duration plot has %d points, want 2 (two builds)", n)
	}
	browsertest.Screenshot(t, ctx, "3-model")

	// Its lineage graph shows core.orders upstream; clicking it opens
	// that model's page.
	do(t, ctx,
		chromedp.WaitVisible(chromedp.CSS(`#lineage .node[data-key="core.orders"]`)),
		chromedp.Click(chromedp.CSS(`#lineage .node[data-key="core.orders"]`)),
		chromedp.Poll[chromedp.Void](`location.hash === "#/node/core.orders" && document.querySelector("h1").textContent.startsWith("core.orders") && document.querySelector("#columns")`),
	)
	if h1 := text(t, ctx, "h1"); !strings.HasPrefix(h1, "core.orders") {
		t.Errorf("after clicking core.orders in the graph the page is %q", h1)
	}
	// Two levels up from core.orders reach the seeds.
	if n := count(t, ctx, `#lineage .node[data-key="raw.orders"]`); n != 1 {
		t.Errorf("core.orders' lineage shows raw.orders %d times, want 1", n)
	}
	browsertest.Screenshot(t, ctx, "4-upstream")

	// Column lineage of a computed column: core.orders.paid_amount is
	// COALESCE(p.paid_amount, 0) over the ephemeral payments_per_order.
	cell := text(t, ctx, `td.lin[data-column="paid_amount"]`)
	if !strings.Contains(cell, "core.payments_per_order.paid_amount transform") {
		t.Errorf("column lineage of core.orders.paid_amount is %q, want core.payments_per_order.paid_amount (transform)", cell)
	}
	if cell := text(t, ctx, `td.lin[data-column="order_id"]`); !strings.Contains(cell, "staging.orders.order_id direct") {
		t.Errorf("column lineage of core.orders.order_id is %q", cell)
	}
	// Its column graph goes down to the seed's column, through the
	// aggregate in payments_per_order.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`td.lin[data-column="paid_amount"] a.colgraph`)),
		chromedp.WaitVisible(chromedp.CSS(`#lineage .node[data-key="raw.payments.amount_cents"]`)),
	)
	for _, want := range []string{"core.orders.paid_amount", "core.payments_per_order.paid_amount", "staging.payments.amount"} {
		if n := count(t, ctx, `#lineage .node[data-key="`+want+`"]`); n != 1 {
			t.Errorf("column graph shows %s %d times, want 1", want, n)
		}
	}
	browsertest.Screenshot(t, ctx, "5-column-graph")
	// Clicking a column opens its model.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#lineage .node[data-key="staging.payments.amount"]`)),
		chromedp.Poll[chromedp.Void](`location.hash === "#/node/staging.payments"`),
	)
}

// TestDocsSitePages checks the pages besides the acceptance path: a
// source's freshness, a test's last result, the runs and one run's node
// durations, and pan and zoom of the whole project's graph.
func TestDocsSitePages(t *testing.T) {
	ctx := browsertest.New(t)
	dir := shopSite(t)
	url := serveSite(t, dir)
	do(t, ctx,
		chromedp.Navigate(url+"#/node/app.web_events"),
		chromedp.WaitVisible(chromedp.CSS("#columns")),
	)
	if head := text(t, ctx, "#head"); !strings.Contains(head, "newest occurred_at: 20") {
		t.Errorf("source page lacks its freshness:\n%s", head)
	}
	// A test's page, from the tests table of the source.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`table.tests a[href^="#/test/"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("h1").textContent.includes("web_events_id")`),
	)
	if page := text(t, ctx, "main"); !strings.Contains(page, "last result") || !strings.Contains(page, "pass") {
		t.Errorf("test page:\n%s", page)
	}
	browsertest.Screenshot(t, ctx, "test")
	do(t, ctx,
		chromedp.Navigate(url+"#/runs"),
		chromedp.WaitVisible(chromedp.CSS("table.runs")),
	)
	if n := count(t, ctx, "table.runs tr"); n != 3 {
		t.Errorf("runs table has %d rows, want a header and 2 runs", n)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`table.runs a[href="#/run/0"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#run a[data-node="marts.customers"]`)),
	)
	browsertest.Screenshot(t, ctx, "run")
	// The whole graph pans and zooms.
	do(t, ctx,
		chromedp.Navigate(url+"#/graph"),
		chromedp.WaitVisible(chromedp.CSS(`#lineage .node[data-key="marts.customers"]`)),
	)
	before := transform(t, ctx)
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("svg.graph").dispatchEvent(new WheelEvent("wheel", {deltaY: -300, clientX: 300, clientY: 300, bubbles: true, cancelable: true}))`))
	zoomed := transform(t, ctx)
	if zoomed == before {
		t.Errorf("the wheel did not zoom: transform stays %q", before)
	}
	browsertest.Screenshot(t, ctx, "graph")
}

func transform(t *testing.T, ctx context.Context) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("svg.graph g.vp").getAttribute("transform")`))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDocsSiteFromFile opens the site from disk: data scripts load
// without a server, search works and a node's page loads its script.
func TestDocsSiteFromFile(t *testing.T) {
	ctx := browsertest.New(t)
	dir := shopSite(t)
	do(t, ctx,
		chromedp.Navigate(browsertest.FileURL(filepath.Join(dir, "target", "docs", "index.html"))+"#/search?q=daily"),
		chromedp.WaitVisible(chromedp.CSS(`#results a[data-node="marts.daily_revenue"]`)),
		chromedp.Click(chromedp.CSS(`#results a[data-node="marts.daily_revenue"]`)),
		chromedp.WaitVisible(chromedp.CSS("#columns")),
	)
	if cols := text(t, ctx, "#columns"); !strings.Contains(cols, "running_revenue") {
		t.Errorf("columns of marts.daily_revenue from file:// lack running_revenue:\n%s", cols)
	}
	browsertest.Screenshot(t, ctx, "file")
}

// TestDocsServeNeedsToken: a site served with a token refuses requests
// without it.
func TestDocsServeNeedsToken(t *testing.T) {
	dir := t.TempDir()
	h := webserver.Handler(webserver.Config{Token: "t0k"}, docs.Handler(dir))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusUnauthorized {
		t.Errorf("status %d without a token", rec.Code)
	}
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		browsertest.Screenshot(t, ctx, "failure")
		t.Fatal(err)
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
