// Package browsertest runs browser tests in headless Chromium (Debian's
// chromium package) driven by chromedp: the docs site's and the monitor
// page's tests use it.
//
// New starts a fresh browser for a test and returns a tab's context for
// chromedp.Run. Without Chromium the test is skipped, unless
// WEIR_REQUIRE_BROWSER=1 (set by .ci/run), which makes it fail: CI must
// not pass by skipping. `make browser` installs Chromium.
//
// Screenshot saves a PNG of the page where it outlives the test:
// $WEIR_SCREENSHOT_DIR, or target/test-screenshots/ at the repository's
// root, one folder per test; the path is logged.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv names the variable that turns a missing browser into a
// failure.
const RequireEnv = "WEIR_REQUIRE_BROWSER"

// Timeout bounds one test's whole browser session.
const Timeout = 2 * time.Minute

// Path finds the Chromium binary: $WEIR_CHROMIUM, or chromium on PATH
// (/usr/bin/chromium on Debian). It returns "" when there is none.
func Path() string {
	if p := os.Getenv("WEIR_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts headless Chromium with a fresh profile for t and returns the
// context of its first tab, for chromedp.Do and chromedp.Run. The browser
// is closed when t ends.
func New(t testing.TB) context.Context {
	t.Helper()
	if Path() == "" {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("chromium not found and %s=1: install it with `make browser` (apt-get install chromium)", RequireEnv)
		}
		t.Skip("chromium not found: `make browser` installs it; browser tests skipped")
	}
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	tctx, stop, err := Start(ctx, t.TempDir(), t.Logf)
	t.Cleanup(func() {
		stop()
		cancel()
	})
	if err != nil {
		t.Fatal(err)
	}
	return tctx
}

// Start starts headless Chromium with its profile in userDataDir (a
// fresh folder) and returns its first tab's context and a function that
// closes the browser; logf receives the browser's errors. Programs use it
// (make bench); tests use New.
func Start(parent context.Context, userDataDir string, logf func(string, ...any)) (context.Context, context.CancelFunc, error) {
	path := Path()
	if path == "" {
		return nil, func() {}, fmt.Errorf("chromium not found: `make browser` installs it")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(userDataDir),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	tctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(logf))
	stop := func() {
		cancelTab()
		cancelAlloc()
	}
	if err := chromedp.Do(tctx); err != nil {
		stop()
		return nil, func() {}, fmt.Errorf("starting %s: %w", path, err)
	}
	return tctx, stop, nil
}

// FileURL is the file:// URL of a local path.
func FileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return "file://" + filepath.ToSlash(abs)
}

// Screenshot saves a full-page PNG named name.png in ScreenshotDir(t) and
// logs its path. A failure to save is reported, not fatal.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	dir := ScreenshotDir(t)
	path := filepath.Join(dir, name+".png")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(path, png, 0o644)
		if err == nil {
			t.Logf("screenshot: %s", path)
			return
		}
	}
	t.Errorf("cannot save screenshot %s", path)
}

// ScreenshotDir is where t's screenshots go: $WEIR_SCREENSHOT_DIR/<test>
// or <repository root>/target/test-screenshots/<test>.
func ScreenshotDir(t testing.TB) string {
	name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
	if d := os.Getenv("WEIR_SCREENSHOT_DIR"); d != "" {
		return filepath.Join(d, name)
	}
	return filepath.Join(repoRoot(), "target", "test-screenshots", name)
}

// repoRoot is the nearest folder upward holding go.mod (the working
// folder when there is none).
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return wd
		}
	}
}
