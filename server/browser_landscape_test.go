package server_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"descent/server"
	"descent/server/figures"
)

// recordLandscape keeps, on the page, every state that a landscape frame
// left its slice in ("l3:preview"), to check the order of the passes.
const recordLandscape = `(() => { window.landStates = [];
	window.descent.store.on((kind, s) => { if (kind === "landscape") window.landStates.push(s.id + ":" + s.state); }); return 0 })()`

// Each view's Landscape panel, and the slice it shows.
const (
	trainPanel   = `window.descent.views.train.landscape`
	comparePanel = `window.descent.views.compare.landscape`
	trainSlice   = trainPanel + `.slice`
)

// TestBrowserLandscape draws the loss landscape of a run on real MNIST
// digits while it trains: the run bar links to the panel, the picture comes
// as a preview first and is refined in place, the path grows while the run
// trains, the slice follows the epochs, hovering reads (a, b) and the loss,
// a random plane says that the path lies off it, the 1-D chart draws, and
// every ⤓ link answers. Then a comparison's three runs on one plane, each in
// its lane's colour. Every string is Korean on the Korean page, the heat map
// has the figures' colours, and screenshots at 1280×800 and 390×844 in both
// languages go to the screenshot folder.
func TestBrowserLandscape(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 3})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	b.eval(recordLandscape)
	checkHeatPalette(b)

	// A run at the pace a class can watch: an epoch in about 10 s.
	b.eval(setJS("#view-train input[name=epochs]", "3", "input"))
	b.click("#view-train form button[type=submit]")
	b.waitJS("a few steps", lastRun+`.steps.step.length > 8`)
	if !b.truth(inViewJS("#view-train [data-act=landLink]")) {
		t.Errorf("the run bar's link to the landscape is not in the first screen")
	}
	b.click("#view-train [data-act=landLink]")
	b.waitJS("Show the landscape in sight", inViewJS("#view-train [data-act=landShow]"))
	landPreviewThenFull(b)
	landGrows(b)
	landHover(b)
	landMenu(b, "#land-train .dl-head", `"200 image/png,200 image/svg+xml,200 text/csv; charset=utf-8,200 application/json"`)
	landCancel(b)
	landFollow(b)
	b.click("#view-train .runbar [data-i18n=stop]")
	b.waitJS("the run stopped", lastRun+`.info.status === "stopped"`)
	landRandom(b)
	landLine(b, "#view-train", 1)
	saveLandscapes(b, ts.URL, trainPanel, "run")
	landScreens(b, "train", "#land-train")

	landCompare(b)
	saveLandscapes(b, ts.URL, comparePanel, "sweep")
	landScreens(b, "compare", "#land-compare")
}

// saveLandscapes saves the panel's exported figures beside the screenshots,
// to compare them with the page: export-landscape-<what>.png and its 1-D chart's.
func saveLandscapes(b *browser, url, panel, what string) {
	b.t.Helper()
	saveExport(b.t, url+"/api/export/landscape/"+b.text(panel+`.slice.id`)+".png", filepath.Join(b.dir, "export-landscape-"+what+".png"))
	saveExport(b.t, url+"/api/export/landscape/"+b.text(panel+`.line.id`)+".png", filepath.Join(b.dir, "export-landscape-line-"+what+".png"))
}

// checkHeatPalette compares the heat map's colours on the page with the figures'.
func checkHeatPalette(b *browser) {
	b.t.Helper()
	page, want := b.list(trainPanel+`.map.palette`), figures.SurfaceHex()
	if strings.Join(page, ",") != strings.Join(want, ",") {
		b.t.Errorf("the page's heat map has %d colours (%v…), the figures' %d (%v…)", len(page), page[:min(3, len(page))], len(want), want[:3])
	}
}

// landPreviewThenFull asks for a 101 × 101 slice: its frames come as the
// preview, then the full pass, then done; the picture was drawn while the
// preview alone held most of it, and at the end from the full pass alone.
func landPreviewThenFull(b *browser) {
	b.t.Helper()
	b.eval(setJS("#view-train select[name=landGrid]", "101", "change"))
	b.click("#view-train [data-act=landShow]")
	b.waitJS("the slice done and drawn", trainSlice+` && `+trainSlice+`.state === "done" && `+trainPanel+`.map.painted.at(-1).state === "done"`)
	id := b.text(trainSlice + `.id`)
	states := regexp.MustCompile(`(?:^|,)`+id+`:(\w+)`).FindAllStringSubmatch(strings.Join(b.list(`window.landStates`), ","), -1)
	order := []string{}
	for _, s := range states {
		if len(order) == 0 || order[len(order)-1] != s[1] {
			order = append(order, s[1])
		}
	}
	if strings.Join(order, ",") != "queued,preview,full,done" {
		b.t.Errorf("the slice's frames left it %v, want queued, preview, full, done in that order", order)
	}
	coarse := b.truth(trainPanel + `.map.painted.some((p) => p.preview > p.full)`)
	last := b.text(`JSON.stringify(` + trainPanel + `.map.painted.at(-1))`)
	if !coarse || last != `{"state":"done","full":10201,"preview":0}` {
		b.t.Errorf("no picture drawn from the preview (%v), or the last one is %s, not the whole grid's full pass; %s", coarse, last, b.text(`JSON.stringify(`+trainPanel+`.map.painted)`))
	}
	if got := b.text(`document.querySelector("#land-train .land-explained").textContent`); !regexp.MustCompile(`^This plane holds \d+ % of the path`).MatchString(got) {
		b.t.Errorf("the PCA plane's share reads %q", got)
	}
	if n := b.eval(`new Set(Array.from(document.querySelector("#land-train .land-base").getContext("2d").getImageData(100, 50, 300, 200).data.filter((_, i) => i % 4 === 1))).size`); n < 20 {
		b.t.Errorf("the heat map has only %g shades of green: not drawn", n)
	}
}

// landGrows waits for the path to grow while the run trains, after the slice is done.
func landGrows(b *browser) {
	b.t.Helper()
	n := b.eval(trainSlice + `.tracks[0].step.length`)
	b.waitJS("the path grows", fmt.Sprintf(`%s.tracks[0].step.length > %g && %s.info.status === "running"`, trainSlice, n, lastRun))
	if !b.truth(`/The path grows while the run trains/.test(document.querySelector("#land-train .land-status").textContent)`) {
		b.t.Errorf("the status does not say that the path grows: %q", b.text(`document.querySelector("#land-train .land-status").textContent`))
	}
}

// pointAt is JavaScript that sends a pointer event of kind (mouse or touch)
// at (a, b) of the Train panel's map, or at its data area's centre when at is "".
func pointAt(event, kind, at string) string {
	if at == "" {
		at = `[(f.l + f.r) / 2, (f.t + f.bt) / 2]`
	} else {
		at = `f.px(` + at + `)`
	}
	return `(() => { const m = ` + trainPanel + `.map, f = m.f, c = m.over, r = c.getBoundingClientRect(), [x, y] = ` + at + `;
		c.dispatchEvent(new PointerEvent("` + event + `", { clientX: r.left + x, clientY: r.top + y, pointerType: "` + kind + `", bubbles: true })); return 0 })()`
}

// landHover reads a grid point under the mouse, and a path point with a tap.
func landHover(b *browser) {
	b.t.Helper()
	b.eval(`document.querySelector("#land-train .land-stage").scrollIntoView({ block: "center" }), 0`)
	b.eval(pointAt("pointermove", "mouse", ""))
	b.waitJS("the tip of a grid point", `(() => { const t = document.querySelector("#land-train .land-tip"); return !t.hidden &&
		/\(a, b\)\(-?[0-9.]+, -?[0-9.]+\)/.test(t.textContent) && /Loss J[0-9.]+Accuracy[0-9.]+ %/.test(t.textContent) })()`)
	first := trainSlice + `.tracks[0].a[0], ` + trainSlice + `.tracks[0].b[0]`
	b.eval(pointAt("pointerdown", "touch", first))
	b.eval(pointAt("pointerup", "touch", first))
	b.waitJS("the tip of the path's first step", `/Step0\(a, b\).*Off the plane[0-9]+ %/.test(document.querySelector("#land-train .land-tip").textContent)`)
	b.shot("landscape-tip-1280x800.png")
	b.eval(pointAt("pointerdown", "touch", first))
	b.eval(pointAt("pointerup", "touch", first))
	b.waitJS("the tip gone after a second tap", `document.querySelector("#land-train .land-tip").hidden`)
}

// landMenu opens the ⤓ menu in sel and fetches each of its links.
func landMenu(b *browser, sel, want string) {
	b.t.Helper()
	b.eval(`document.querySelector("` + sel + ` .dl-button").click(), 0`)
	b.eval(fetchAll)
	b.waitJS("the exports of "+sel, `window.fetched && window.fetched.join() === `+want)
	b.eval(`document.body.click(), 0`)
}

// landCancel asks for the largest grid the server allows over ±2 and
// cancels it while it is being refined: the grid spans the range, and the
// panel says that it was cancelled.
func landCancel(b *browser) {
	b.t.Helper()
	most := b.eval(`window.descent.store.hello.limits.maxLandscapeGrid`)
	if got := b.eval(`Number([...document.querySelectorAll("#view-train select[name=landGrid] option")].at(-1).value)`); got != most {
		b.t.Errorf("the largest grid offered is %g, the server's limit %g", got, most)
	}
	b.eval(setJS("#view-train select[name=landGrid]", fmt.Sprint(most), "change"))
	b.eval(setJS("#view-train select[name=landRange]", "2", "change"))
	b.click("#view-train [data-act=landShow]")
	b.waitJS("the full pass begun", trainSlice+`.state === "full" && `+trainSlice+`.rowsDone > 2`)
	if a := b.list(`[` + trainSlice + `.a[0], ` + trainSlice + `.a.at(-1), ` + trainSlice + `.b[0]].map(String)`); fmt.Sprint(a) != "[-2 2 -2]" {
		b.t.Errorf("a slice of range ±2 spans a %v…, b from %v", a[:2], a[2])
	}
	b.click("#view-train [data-act=landCancel]")
	b.waitJS("cancelled", trainSlice+`.state === "cancelled" && document.querySelector("#land-train .land-status").textContent === "Cancelled."`)
	b.eval(setJS("#view-train select[name=landRange]", "", "change"))
}

// landFollow asks for a small slice that follows the epochs: after the
// run's next epoch, another slice comes for the same request, centred on
// later weights.
func landFollow(b *browser) {
	b.t.Helper()
	b.eval(setJS("#view-train select[name=landGrid]", "21", "change"))
	b.eval(`document.querySelector("#view-train input[name=landFollow]").click(), 0`)
	b.click("#view-train [data-act=landShow]")
	b.waitJS("the followed slice", trainSlice+`.state === "done" && `+trainSlice+`.start.follow`)
	first, step := b.text(trainSlice+`.id`), b.eval(trainSlice+`.start.step`)
	b.waitJS("the next epoch's slice", fmt.Sprintf(`%s.id !== %q && %s.state === "done" && %s.start.step > %g`, trainSlice, first, trainSlice, trainSlice, step))
}

// landRandom slices the stopped run on a random plane: it holds almost
// none of the path, and the panel says so; then again on the PCA plane.
func landRandom(b *browser) {
	b.t.Helper()
	b.eval(setJS("#view-train select[name=landPlane]", "random", "change"))
	b.click("#view-train [data-act=landShow]")
	b.waitJS("the random plane", trainSlice+`.state === "done" && `+trainSlice+`.start.plane === "random"`)
	got := b.text(`document.querySelector("#land-train .land-explained").textContent`)
	if !regexp.MustCompile(`^This plane holds only [0-4](\.\d)? % of the path: the path lies almost wholly off it`).MatchString(got) {
		b.t.Errorf("on a random plane the panel says %q", got)
	}
	b.shot("landscape-random-1280x800.png")
	// Back to the PCA plane of the whole path, 51 × 51, for the screenshots.
	b.eval(setJS("#view-train select[name=landPlane]", "pca", "change"))
	b.eval(setJS("#view-train select[name=landGrid]", "51", "change"))
	b.eval(`document.querySelector("#view-train input[name=landFollow]").click(), 0`)
	b.click("#view-train [data-act=landShow]")
	b.waitJS("the whole path's plane", trainSlice+`.state === "done" && `+trainSlice+`.start.plane === "pca" && `+trainSlice+`.n === 51`)
}

// landLine draws the 1-D chart of the view's run or comparison: one line per run, on training and test images.
func landLine(b *browser, view string, runs int) {
	b.t.Helper()
	b.click(view + " [data-act=landLine]")
	panel := trainPanel
	if view == "#view-compare" {
		panel = comparePanel
	}
	b.waitJS("the 1-D chart", fmt.Sprintf(`%s.line && %s.line.lines.length === %d && %s.line.t.length === 41 &&
		document.querySelectorAll("%s [data-chart=landLineLoss] canvas").length > 0`, panel, panel, runs, panel, view))
	menu := view + " .land-line .dl-head"
	landMenu(b, menu, `"200 image/png,200 image/svg+xml,200 text/csv; charset=utf-8,200 application/json"`)
}
