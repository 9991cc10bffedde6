package server_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"descent/mnist"
	"descent/server"
	"descent/web"
)

const chromium = "/usr/bin/chromium"

// TestBrowser drives Debian's chromium through the page on real MNIST: a run
// draws its loss and accuracy, a 3-rate comparison draws 3 curves, the page
// switches to Korean, and it fits a phone. Screenshots go to
// $DESCENT_SCREENSHOTS, or screenshots/ at the repository's root.
func TestBrowser(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	srv, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 2})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	abs, _ := filepath.Abs(b.dir)
	t.Logf("screenshots in %s", abs)

	// View 1: a real run on MNIST, 2 epochs, watched live.
	b.run(chromedp.SetValue(chromedp.CSS(`#view-train input[name=epochs]`), "3"),
		chromedp.Click(chromedp.CSS(`#view-train button[type=submit]`)))
	b.waitJS("loss points while running, with steps/s and time left", `(() => { const r = [...window.descent.store.runs.values()].pop();
		return r && r.steps.step.length > 20 && document.querySelector('[data-chart=loss] canvas') !== null &&
			/steps\/s · [0-9:]+ left/.test(document.querySelector('#view-train .progress .muted').textContent) })()`)
	b.shot("train-running-1280x800.png")
	b.waitJS("weights drawn", `[...window.descent.store.runs.values()].pop().weights !== null`)
	b.waitJS("test accuracy", `(() => { const r = [...window.descent.store.runs.values()].pop();
		return r.epochs.length >= 1 && r.epochs[0].testAccuracy > 0.8 && document.querySelector('table.cm') !== null })()`)
	b.waitJS("predictions", `document.querySelectorAll('#view-train .sample .sample-text b').length === 10`)
	b.waitJS("run done", `[...window.descent.store.runs.values()].pop().info.status === "done"`)
	b.shot("train-1280x800.png")

	// The socket drops: the page says so, reconnects, and gets the history back.
	b.eval(`window.before = { h: window.descent.store.histories, n: [...window.descent.store.runs.values()].pop().steps.step.length }, 0`)
	srv.DropSockets()
	b.waitJS("disconnected notice", `document.querySelector('#conn').classList.contains('conn-closed')`)
	b.waitJS("reconnected with history", `document.querySelector('#conn').classList.contains('conn-open') &&
		window.descent.store.histories > window.before.h &&
		[...window.descent.store.runs.values()].pop().steps.step.length === window.before.n`)
	b.fullShot("train-full-1280.png", 1280)

	// View 2: three rates side by side, one of them too large.
	b.run(chromedp.Click(chromedp.CSS(`#tab-compare`)),
		chromedp.SetValue(chromedp.CSS(`#view-compare input[name=rates]`), "0.05, 0.5, 500"),
		chromedp.SetValue(chromedp.CSS(`#view-compare input[name=epochs]`), "1"),
		chromedp.Click(chromedp.CSS(`#view-compare button[type=submit]`)))
	b.waitJS("3 curves", `document.querySelectorAll('#view-compare .multiple').length === 3 &&
		document.querySelectorAll('#view-compare table.results tbody tr').length === 3 &&
		document.querySelectorAll('#view-compare .u-legend .u-series').length >= 4`)
	b.waitJS("3 runs ended", `(() => { const rs = [...window.descent.store.runs.values()].filter(r => r.info.sweep);
		return rs.length === 3 && rs.every(r => ["done", "diverged"].includes(r.info.status)) })()`)
	// The LR range test marks a suggested rate.
	b.run(chromedp.Click(chromedp.CSS(`#view-compare .chart-head button`)))
	b.waitJS("suggested rate", `/α ≈ [0-9.e-]+/.test(document.querySelector('#view-compare .suggest').textContent)`)
	b.shot("compare-1280x800.png")
	b.fullShot("compare-full-1280.png", 1280)

	// The same view compares optimizers, each at its own rate.
	b.run(chromedp.Click(chromedp.CSS(`#mode-optimizers`)),
		chromedp.Click(chromedp.CSS(`#view-compare button[type=submit]`)))
	b.waitJS("3 optimizers", `(() => { const rs = [...window.descent.store.runs.values()].filter(r => r.info.sweep === "s2");
		return rs.length === 3 && rs.every(r => r.info.status === "done") &&
			document.querySelectorAll('#view-compare .multiple').length === 3 &&
			/Adam/.test(document.querySelector('#view-compare table.results').textContent) })()`)
	b.shot("compare-optimizers-1280x800.png")

	// Korean, from the switch on the page.
	b.run(chromedp.Click(chromedp.CSS(`#lang`)))
	b.waitJS("Korean", `document.querySelector('#tab-train').textContent === "학습" && document.documentElement.lang === "ko"`)
	b.shot("compare-ko-1280x800.png")

	// A phone: no horizontal scrolling in either view.
	b.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, view := range []string{"train", "compare"} {
		b.run(chromedp.Click(chromedp.CSS("#tab-"+view)), chromedp.Sleep(400*time.Millisecond))
		sw := b.eval(`document.documentElement.scrollWidth - window.innerWidth`)
		if sw > 1 {
			t.Errorf("%s view scrolls horizontally at 390 px: %g px too wide", view, sw)
		}
		b.shot(fmt.Sprintf("%s-ko-390x844.png", view))
		b.fullShot(fmt.Sprintf("%s-ko-full-390.png", view), 390)
	}
	if errs, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.descentErrors`)); len(errs) > 0 {
		t.Errorf("errors on the page: %q", errs)
	}
}

// servePage starts a server with cfg (its log dropped) behind httptest; both
// close at the end of the test, after its browser.
func servePage(t *testing.T, cfg server.Config) (*server.Server, *httptest.Server) {
	t.Helper()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(cfg)
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts
}

// openPage opens url in a new chromium at w × h (a phone below 500 px),
// waits until the page is built, and switches it to lang unless lang is "".
// Its screenshots go to screenshotDir.
func openPage(t *testing.T, url string, w, h int64, lang string) *browser {
	t.Helper()
	b := &browser{t: t, ctx: newBrowser(t), dir: screenshotDir(t)}
	b.size(w, h)
	b.run(chromedp.Navigate(url))
	b.waitJS("page ready", `document.body.dataset.ready === "1"`)
	if lang != "" {
		b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
	}
	return b
}

// size sets the viewport, as a phone below 500 px wide.
func (b *browser) size(w, h int64) {
	b.t.Helper()
	var opts []chromedp.EmulateViewportOption
	if w < 500 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	b.run(chromedp.EmulateViewport(w, h, opts...))
}

// skipOrFail skips on a developer's machine and fails in CI.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why)
	}
	t.Skip(why)
}

// needBrowser skips the test, or fails it under CI, unless Debian's chromium
// and the built page are there.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		skipOrFail(t, chromium+" is missing: apt-get install chromium (.ci/run does)")
	}
	for _, name := range []string{"index.html", "assets/app.js"} {
		if _, err := fs.Stat(web.Dist(), name); err != nil {
			skipOrFail(t, "the page is not built: run `make web` (make test does)")
		}
	}
}

// realMNIST loads the real data, or skips the test (fails it under CI).
func realMNIST(t *testing.T) (train, test *mnist.Dataset) {
	t.Helper()
	train, test, err := mnist.Load("../data/mnist")
	if err != nil {
		skipOrFail(t, fmt.Sprintf("%v (run `make data`)", err))
	}
	return train, test
}

// screenshotDir is $DESCENT_SCREENSHOTS, or screenshots/ at the repository's
// root, made if needed.
func screenshotDir(t *testing.T) string {
	t.Helper()
	shots := os.Getenv("DESCENT_SCREENSHOTS")
	if shots == "" {
		shots = filepath.Join("..", "screenshots")
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	return shots
}

// newBrowser starts one headless chromium for the whole test. The test fails
// at its end on any console error, uncaught exception or failed request of
// the page (the browser logs a failed request as an error), unless
// allowPageErrors lets it through.
func newBrowser(t *testing.T) context.Context {
	dir := t.TempDir()
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromium), chromedp.UserDataDir(dir),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"), chromedp.WindowSize(1280, 800)}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	watchConsole(t, ctx)
	return ctx
}

type browser struct {
	t       *testing.T
	ctx     context.Context
	dir     string
	longest int // the longest link seen (browser_lessons_test.go)
}

func (b *browser) run(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// evalAs evaluates JavaScript on the page and returns its value as a T.
func evalAs[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("browser: %s: %v", expr, err)
	}
	return v
}

// eval returns a JavaScript number.
func (b *browser) eval(expr string) float64 { b.t.Helper(); return evalAs[float64](b, expr) }

// waitJS polls a JavaScript condition for up to 90 s.
func (b *browser) waitJS(what, cond string) { b.t.Helper(); b.waitJSFor(what, 90*time.Second, cond) }

// waitJSFor polls a JavaScript condition for up to d.
func (b *browser) waitJSFor(what string, d time.Duration, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!!(`+cond+`)`)); err == nil && ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.shot("failed-" + filepath.Base(what) + ".png")
	errs, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.descentErrors || []`))
	b.t.Fatalf("browser: no %s within %v; errors on the page: %q", what, d, errs)
}

func (b *browser) shot(name string) {
	b.t.Helper()
	time.Sleep(300 * time.Millisecond)
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(b.dir, name), png, 0o644); err != nil {
		b.t.Error(err)
	}
}

// fullShot captures the whole page at the given width, then restores the
// viewport's height.
func (b *browser) fullShot(name string, width int64) {
	b.t.Helper()
	var height float64 = 800
	if width < 500 {
		height = 844
	}
	full := b.eval(`document.documentElement.scrollHeight`)
	opts := []chromedp.EmulateViewportOption{}
	if width < 500 {
		opts = append(opts, chromedp.EmulateMobile)
	}
	b.run(chromedp.EmulateViewport(width, int64(full), opts...))
	b.shot(name)
	b.run(chromedp.EmulateViewport(width, int64(height), opts...))
}
