package server_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"descent/optim"
	"descent/server"
)

// pointerJS sends a pointer gesture to the surface's canvas: down at the
// data point from, moves to to, up there; kind is "mouse" or "touch" and
// off shifts the first point by that many CSS pixels.
func pointerJS(kind string, from, to [2]float64, off float64) string {
	return fmt.Sprintf(`(() => { const s = window.descent.surface.stage, c = s.canvas, r = c.getBoundingClientRect();
	const at = (p) => { const q = s.px(p[0], p[1]); return [r.left + q[0], r.top + q[1]]; };
	const ev = (type, xy) => c.dispatchEvent(new PointerEvent(type, { pointerId: 7, pointerType: %q, clientX: xy[0], clientY: xy[1], bubbles: true, isPrimary: true, button: 0 }));
	const a = at([%g, %g]), b = at([%g, %g]); a[0] += %g;
	ev("pointerdown", a);
	if (Math.hypot(b[0] - a[0], b[1] - a[1]) > 0) for (let k = 1; k <= 8; k++) ev("pointermove", [a[0] + (b[0] - a[0]) * k / 8, a[1] + (b[1] - a[1]) * k / 8]);
	ev("pointerup", b); return 0 })()`, kind, from[0], from[1], to[0], to[1], off)
}

const (
	surfSet   = `window.descent.surface.set`
	surfStart = `window.descent.surface.start.join(",")`
	hasPaths  = `(window.descent.surface.set && window.descent.surface.set.trajs.every((tr) => tr.points.length > 50))`
)

// TestBrowserSurfaceTaps checks that a drawn set survives taps: while paths
// exist a tap anywhere inspects the nearest point, with a mouse or a finger;
// the start moves by dragging its marker (hit 44 px across on touch) or in
// the Move-the-start mode, and Undo brings the wiped set back. Labels of
// diverged paths never overlap, each function's rate presets diverge only
// at their largest rate, and on a phone the compact bar opens the settings.
func TestBrowserSurfaceTaps(t *testing.T) {
	needBrowser(t)
	_, ts := servePage(t, server.Config{Train: tinyData(), Test: tinyData(), Concurrent: 1})
	b := openPage(t, ts.URL+"/#surface", 1280, 800, "en")
	b.waitJS("surface image", `document.querySelector('.surf-stage').dataset.loaded`)
	b.eval(setJS("#view-surface [name=speed]", "9", "input"))
	b.eval(setJS("#view-surface [name=surfSteps]", "300", "change"))
	b.click("#view-surface [data-act=surfPlay]")
	b.waitJS("both paths", hasPaths+` && `+surfSet+`.state === "done"`)
	start := b.text(surfStart)
	for kind, at := range map[string][2]float64{"mouse": {1.8, -0.8}, "touch": {-1.8, 2.8}} {
		b.eval(pointerJS(kind, at, at, 0))
		if got := b.text(surfStart); got != start || !b.truth(hasPaths) || !b.truth(`!document.querySelector(".surf-tip").hidden`) {
			t.Errorf("a %s tap far from the paths: start %s (was %s), paths kept %v, read-out shown %v", kind, got, start,
				b.truth(hasPaths), b.truth(`!document.querySelector(".surf-tip").hidden`))
		}
	}
	b.shot("surface-tap-1280x800.png")
	sx, sy := parsePoint(t, start)
	b.eval(pointerJS("touch", [2]float64{sx, sy}, [2]float64{0, 2.5}, 20)) // 20 px off the marker: still on it for a finger
	b.waitJS("the start dragged", `Math.abs(window.descent.surface.start[0]) < 0.05 && Math.abs(window.descent.surface.start[1] - 2.5) < 0.05 && !`+surfSet)
	b.waitJS("Undo offered", `!document.querySelector("#view-surface [data-act=undo]").hidden`)
	b.click("#view-surface [data-act=undo]")
	if got := b.text(surfStart); got != start || !b.truth(hasPaths) {
		t.Errorf("Undo: start %s (want %s), paths back %v", got, start, b.truth(hasPaths))
	}
	b.click("#view-surface [data-act=surfPlace]")
	b.eval(pointerJS("mouse", [2]float64{0.5, 2.5}, [2]float64{0.5, 2.5}, 0))
	b.waitJS("the start placed", `Math.abs(window.descent.surface.start[0] - 0.5) < 0.05 && !`+surfSet)
	b.click("#view-surface [data-act=undo]")
	b.waitJS("the set back again", hasPaths+` && `+surfStart+` === "`+start+`"`)
	checkLabels(b)
	checkPresets(b)
	b.eval(setJS("#view-surface [name=fn]", "rosenbrock", "change"))
	b.eval(setJS("#view-surface [name=surfMode]", "optimizers", "change"))
	b.size(390, 844)
	b.eval(`window.descent.setLanguage("ko"), window.scrollTo(0, 0), 0`)
	b.waitJS("the settings bar", `/^로젠브록 · /.test(document.querySelector(".surf-summary").textContent) && document.querySelector("#view-surface form").offsetParent === null`)
	b.click("#view-surface .surf-summary")
	b.waitJS("the settings open", `document.querySelector("#view-surface form").offsetParent !== null`)
	b.shot("surface-settings-ko-390x844.png")
}

func parsePoint(t *testing.T, s string) (float64, float64) {
	t.Helper()
	p := strings.Split(s, ",")
	x, err1 := strconv.ParseFloat(p[0], 64)
	y, err2 := strconv.ParseFloat(p[1], 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("point %q", s)
	}
	return x, y
}

// checkLabels draws four diverging rates on Rosenbrock: their labels do not overlap.
func checkLabels(b *browser) {
	b.t.Helper()
	b.eval(setJS("#view-surface [name=surfMode]", "rates", "change"))
	b.eval(setJS("#view-surface [name=surfRates]", "0.01, 0.011, 0.012, 0.013", "change"))
	b.click("#view-surface [data-act=surfPlay]")
	b.waitJS("four diverged", surfSet+` && `+surfSet+`.state === "done" && window.descent.surface.stage.labels && window.descent.surface.stage.labels.length === 4`)
	b.shot("surface-labels-1280x800.png")
	if !b.truth(`(() => { const L = window.descent.surface.stage.labels;
		return L.every((a, i) => L.every((c, j) => i === j || !(a.x < c.x + c.w && c.x < a.x + a.w && a.y - a.h < c.y && c.y - c.h < a.y))) })()`) {
		b.t.Errorf("the labels of diverged paths overlap: %s", b.text(`JSON.stringify(window.descent.surface.stage.labels)`))
	}
}

// checkPresets runs, for each function, the page's learning-rate presets
// with optim's gradient descent from its first start: the largest rate
// diverges, the smallest does not (on the saddle every rate escapes).
func checkPresets(b *browser) {
	b.t.Helper()
	for _, fn := range optim.Functions() {
		b.eval(setJS("#view-surface [name=fn]", fn.Name, "change"))
		b.eval(setJS("#view-surface [name=surfMode]", "optimizers", "change"))
		b.eval(setJS("#view-surface [name=surfMode]", "rates", "change"))
		var rates []float64
		for _, r := range strings.Split(b.text(`document.querySelector("#view-surface [name=surfRates]").value`), ",") {
			v, _ := strconv.ParseFloat(strings.TrimSpace(r), 64)
			rates = append(rates, v)
		}
		steps := int(b.eval(`Number(document.querySelector("#view-surface [name=surfSteps]").value)`))
		if len(rates) != 4 {
			b.t.Errorf("%s: %d preset rates, want 4 (crawl, zig-zag, overshoot, diverge)", fn.Name, len(rates))
			continue
		}
		for i, lr := range rates {
			diverged := gdDiverges(fn, lr, steps)
			if i == 3 && !diverged || i == 0 && diverged && !fn.Unbounded {
				b.t.Errorf("%s from %v: gradient descent at the preset α = %g (%d of 4) diverged: %v", fn.Name, fn.Starts[0].X, lr, i+1, diverged)
			}
		}
		if !(rates[0] < rates[1] && rates[1] < rates[2] && rates[2] < rates[3]) || math.IsNaN(rates[0]) {
			b.t.Errorf("%s: the presets %v do not rise", fn.Name, rates)
		}
	}
}

// gdDiverges runs gradient descent at lr from fn's first start.
func gdDiverges(fn optim.Function, lr float64, steps int) bool {
	r, err := optim.NewRunner(fn, fn.Starts[0].X, []optim.Config{{Method: "gd", Params: map[string]float64{"lr": lr}}}, steps, 1e-6)
	if err != nil {
		return false
	}
	var last optim.Iterate
	r.Run(func(it optim.Iterate) { last = it })
	return last.Status == optim.Diverged
}
