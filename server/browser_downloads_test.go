package server_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"descent/server"
)

// fetchAll is JavaScript that fetches every link of the open download menus
// and records "status content-type" per link in window.fetched.
const fetchAll = `(() => { window.fetched = null;
	const links = [...document.querySelectorAll('.dl-menu:not([hidden]) a')].map(a => a.href);
	Promise.all(links.map(u => fetch(u).then(r => r.status + " " + r.headers.get("content-type"))))
		.then(v => { window.fetched = v; });
	return links.length; })()`

// TestBrowserDownloads opens the ⤓ menus of the Train, Compare and Surface
// views on a short run on real MNIST digits, and checks that every link
// answers with a figure or a data file, and that the surface's POSTed
// export arrives as a PNG. It saves one exported figure beside the
// screenshots, for the README.
func TestBrowserDownloads(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 2})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	shots := b.dir

	// Train: one run, then the loss card's menu.
	b.run(chromedp.SetValue(chromedp.CSS(`#view-train input[name=epochs]`), "2"),
		chromedp.Click(chromedp.CSS(`#view-train button[type=submit]`)))
	b.waitJS("run done", `(() => { const r = [...window.descent.store.runs.values()].pop(); return r && r.info.status === "done" })()`)
	openMenu(b, `#view-train [data-chart=loss]`)
	if n := b.eval(fetchAll); n != 4 {
		t.Errorf("the loss menu has %v links, want PNG, SVG, CSV and JSON", n)
	}
	b.waitJS("the loss card's exports", `window.fetched && window.fetched.join() ===
		"200 image/png,200 image/svg+xml,200 text/csv; charset=utf-8,200 application/json"`)
	b.shot("train-downloads-1280x800.png")
	for _, k := range []string{"testLoss", "grad", "ratio", "lr"} {
		openMenu(b, `#view-train [data-chart=`+k+`]`)
		if n := b.eval(fetchAll); n != 4 {
			t.Errorf("the %s menu has %v links, want PNG, SVG, CSV and JSON", k, n)
		}
		b.waitJS("the "+k+" card's exports", `window.fetched && window.fetched.join() ===
			"200 image/png,200 image/svg+xml,200 text/csv; charset=utf-8,200 application/json"`)
	}
	openMenu(b, `canvas.weights`)
	b.eval(fetchAll)
	b.waitJS("the weights card's exports", `window.fetched && window.fetched.join() ===
		"200 image/png,200 image/svg+xml,200 application/octet-stream"`)
	saveExport(t, ts.URL+"/api/export/run/r1/loss.png", filepath.Join(shots, "export-loss.png"))

	// Compare: a sweep of two rates, then the overlay's menu.
	b.run(chromedp.Click(chromedp.CSS(`#tab-compare`)),
		chromedp.SetValue(chromedp.CSS(`#view-compare input[name=rates]`), "0.05, 0.5, 500"),
		chromedp.SetValue(chromedp.CSS(`#view-compare input[name=epochs]`), "1"),
		chromedp.Click(chromedp.CSS(`#view-compare button[type=submit]`)))
	b.waitJS("sweep ended", `(() => { const rs = [...window.descent.store.runs.values()].filter(r => r.info.sweep);
		return rs.length === 3 && rs.every(r => ["done", "diverged"].includes(r.info.status)) })()`)
	b.run(chromedp.Click(chromedp.CSS(`#view-compare .dl-button`)))
	if n := b.eval(fetchAll); n != 5 {
		t.Errorf("the comparison menu has %v links, want 5", n)
	}
	b.waitJS("the sweep's exports", `window.fetched && window.fetched.join() ===
		"200 image/png,200 image/svg+xml,200 image/png,200 text/csv; charset=utf-8,200 application/json"`)
	saveExport(t, ts.URL+"/api/export/sweep/s1/sweep.png", filepath.Join(shots, "export-sweep.png"))
	openMenu(b, `#view-compare .multiples`)
	b.eval(fetchAll)
	b.waitJS("the small multiples' exports", `window.fetched && window.fetched.join() === "200 image/png,200 image/svg+xml"`)
	openMenu(b, `#view-compare .table-wrap`)
	b.eval(fetchAll)
	b.waitJS("the results table's CSV", `window.fetched && window.fetched.join() === "200 text/csv; charset=utf-8"`)

	surfaceDownloads(b)
}

// surfaceDownloads exports a finished set through a POST and a Blob.
func surfaceDownloads(b *browser) {
	b.t.Helper()
	b.run(chromedp.Click(chromedp.CSS(`#tab-surface`)))
	b.waitJS("surface image", `document.querySelector('.surf-stage').dataset.loaded`)
	b.eval(`window.blobs = []; const make = URL.createObjectURL;
		URL.createObjectURL = (blob) => { window.blobs.push(blob.type + " " + blob.size); return make(blob); }, 0`)
	b.run(chromedp.SetValue(chromedp.CSS(`#view-surface input[name=surfSteps]`), "300"),
		chromedp.Click(chromedp.CSS(`#view-surface [data-act=surfPlay]`)))
	b.waitJS("set done", `window.descent.surface.set && window.descent.surface.set.state === "done"`)
	b.run(chromedp.Click(chromedp.CSS(`#view-surface .surf-controls .dl-button`)),
		chromedp.Click(chromedp.CSS(`#view-surface .surf-controls .dl-menu button`)))
	b.waitJS("the surface figure", `window.blobs.length === 1 && /^image\/png [0-9]{5,}$/.test(window.blobs[0])`)
	b.eval(`window.descent.surface.gBox.closest(".card").querySelector(".dl-button").click(), 0`)
	b.eval(`document.querySelector("#view-surface .dl-menu:not([hidden]) button").click(), 0`)
	b.waitJS("the gradient norm figure", `window.blobs.length === 2 && /^image\/png [0-9]{4,}$/.test(window.blobs[1])`)
	b.shot("surface-downloads-1280x800.png")
}

// openMenu opens the download menu of the card that holds the element sel.
func openMenu(b *browser, sel string) {
	b.t.Helper()
	b.eval(`document.querySelector("` + sel + `").closest(".card").querySelector(".dl-button").click(), 0`)
}

// saveExport writes the answer to a GET of url into path.
func saveExport(t *testing.T, url, path string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, res.StatusCode, err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
