package server_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"descent/optim"
	"descent/server"
	"descent/server/figures"
)

// TestBrowserSurface drives the surface explorer in chromium: Rosenbrock is
// drawn, the page's pixel mapping agrees with figures.Domain.ToPixel, a
// click sets the start, Adam and SGD both draw their trajectories and fill
// the table, a point shows its numbers, and in learning-rate mode a too
// large rate ends with "diverged at step k". No MNIST is needed.
func TestBrowserSurface(t *testing.T) {
	needBrowser(t)
	_, ts := servePage(t, server.Config{Train: tinyData(), Test: tinyData(), Concurrent: 1})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	b.run(chromedp.Click(chromedp.CSS(`#tab-surface`))) // the stage was hidden until now
	b.waitJS("surface image", `document.querySelector('.surf-stage').dataset.loaded`)

	checkMapping(b)

	// A click on the canvas at (−1.5, 2.5) sets the start there.
	x, y := b.eval(`(() => { const s = window.descent.surface.stage, r = s.canvas.getBoundingClientRect();
		return r.left + s.px(-1.5, 2.5)[0] })()`), b.eval(`(() => { const s = window.descent.surface.stage, r = s.canvas.getBoundingClientRect();
		return r.top + s.px(-1.5, 2.5)[1] })()`)
	b.run(chromedp.MouseClickXY(x, y))
	b.waitJS("start from the click", `Math.abs(Number(document.querySelector('[name=sx]').value) + 1.5) < 0.02 &&
		Math.abs(Number(document.querySelector('[name=sy]').value) - 2.5) < 0.02`)

	// SGD (the first row) and Adam, as fast as possible.
	b.eval(`(() => { const s = document.querySelectorAll('#view-surface select[name=method]')[0];
		s.value = "sgd"; s.dispatchEvent(new Event("change", { bubbles: true }));
		const v = document.querySelector('#view-surface [name=speed]'); v.value = v.max; v.dispatchEvent(new Event("input"));
		return 0 })()`)
	b.run(chromedp.Click(chromedp.CSS(`#view-surface [data-act=surfPlay]`)))
	b.waitJS("both trajectories drawn", `(() => { const s = window.descent.surface.set;
		return s && s.trajs.length === 2 && s.trajs.every(tr => tr.points.length > 50) })()`)
	b.waitJS("done, table filled", `window.descent.surface.set.state === "done" &&
		document.querySelectorAll('#view-surface table.surf-results tbody tr').length === 2 &&
		/step limit|converged/.test(document.querySelector('#view-surface table.surf-results tbody').textContent)`)

	// Hovering step 30 of Adam shows its numbers and Adam's moments.
	hx := b.eval(`(() => { const s = window.descent.surface.stage, it = s.trajs[1].points[30];
		return s.canvas.getBoundingClientRect().left + s.px(it.x[0], it.x[1])[0] })()`)
	hy := b.eval(`(() => { const s = window.descent.surface.stage, it = s.trajs[1].points[30];
		return s.canvas.getBoundingClientRect().top + s.px(it.x[0], it.x[1])[1] })()`)
	b.run(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, hx, hy))
	b.waitJS("tooltip", `(() => { const tip = document.querySelector('.surf-tip');
		return !tip.hidden && /∇J/.test(tip.textContent) && /m̂/.test(tip.textContent) })()`)
	b.shot("surface-1280x800.png")

	surfaceZoom(b, hx, hy)
	surfaceRates(b)
	surfaceNewton(b)
	surfacePhone(b)
}

// surfaceZoom zooms with the wheel at (hx, hy), two fingers and the keyboard.
func surfaceZoom(b *browser, hx, hy float64) {
	t := b.t
	t.Helper()
	// The wheel zooms in around the pointer and the image is drawn again for
	// the smaller domain; Reset view goes back.
	loaded := b.eval(`Number(document.querySelector('.surf-stage').dataset.loaded)`)
	b.run(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseWheel, hx, hy, func(p *input.DispatchMouseEventParams) {
		p.DeltaX, p.DeltaY = 0.01, -200 // a zero deltaX would be left out, and chromium wants both
	}))
	b.waitJS("zoomed image", fmt.Sprintf(`(() => { const s = window.descent.surface.stage;
		return s.view.xMax - s.view.xMin < 3.5 && Number(s.el.dataset.loaded) > %g && s.shown.xMax === s.view.xMax })()`, loaded))
	b.shot("surface-zoomed-1280x800.png")
	b.run(chromedp.Click(chromedp.CSS(`#view-surface [data-act=surfResetView]`)))
	b.waitJS("view reset", `window.descent.surface.stage.shown.xMin === -2`)

	// Two fingers moving apart zoom in by their ratio, and set no start.
	b.eval(`(() => { const c = window.descent.surface.stage.canvas, r = c.getBoundingClientRect();
		const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
		const ev = (type, id, dx) => c.dispatchEvent(new PointerEvent(type, { pointerId: id, pointerType: "touch",
			clientX: cx + dx, clientY: cy, bubbles: true, isPrimary: id === 1 }));
		ev("pointerdown", 1, -40); ev("pointerdown", 2, 40);
		ev("pointermove", 1, -60); ev("pointermove", 2, 60); ev("pointermove", 1, -80); ev("pointermove", 2, 80);
		ev("pointerup", 1, -80); ev("pointerup", 2, 80); return 0 })()`)
	b.waitJS("pinched in by 2", `(() => { const v = window.descent.surface.stage.view;
		return Math.abs((v.xMax - v.xMin) - 2) < 1e-6 && Number(document.querySelector('[name=sx]').value) === -1.5 })()`)
	b.run(chromedp.Click(chromedp.CSS(`#view-surface [data-act=surfResetView]`)))
	b.waitJS("view reset after the pinch", `window.descent.surface.stage.view.xMin === -2`)

	// The keyboard zooms too.
	b.run(chromedp.Focus(chromedp.CSS(`.surf-canvas`)), chromedp.KeyEvent("+"))
	b.waitJS("zoomed by +", `Math.abs(window.descent.surface.stage.view.xMax - window.descent.surface.stage.view.xMin - 3.2) < 1e-9`)
	b.run(chromedp.Click(chromedp.CSS(`#view-surface [data-act=surfResetView]`)))

}

// surfaceRates runs gradient descent at four rates, the largest too large.
func surfaceRates(b *browser) {
	t := b.t
	t.Helper()
	// Learning-rate mode: gradient descent at four rates, the largest too large.
	b.eval(`(() => { const s = document.querySelectorAll('#view-surface select[name=method]')[0];
		s.value = "gd"; s.dispatchEvent(new Event("change", { bubbles: true }));
		const m = document.querySelector('#view-surface [name=surfMode]'); m.value = "rates"; m.dispatchEvent(new Event("change"));
		const r = document.querySelector('#view-surface [name=surfRates]'); r.value = "0.0005, 0.001, 0.002, 0.01";
		r.dispatchEvent(new Event("change")); return 0 })()`)
	b.run(chromedp.Click(chromedp.CSS(`#view-surface [data-act=surfPlay]`)))
	b.waitJS("diverged label", `window.descent.surface.set && window.descent.surface.set.state === "done" &&
		/diverged at step \d+/.test(document.querySelector('#view-surface table.surf-results').textContent)`)
	b.shot("surface-rates-1280x800.png")
	b.fullShot("surface-rates-full-1280.png", 1280)

}

// surfaceNewton reads a Newton step on the saddle.
func surfaceNewton(b *browser) {
	t := b.t
	t.Helper()
	// Newton on the saddle: its step shows H, its eigenvalues and that H is
	// not positive definite.
	b.eval(`(() => { const set = (el, v, type) => { el.value = v; el.dispatchEvent(new Event(type, { bubbles: true })); };
		set(document.querySelector('#view-surface [name=surfMode]'), "optimizers", "change");
		document.querySelectorAll('#view-surface .surf-remove')[1].click();
		set(document.querySelector('#view-surface [name=fn]'), "saddle", "change");
		set(document.querySelector('#view-surface select[name=method]'), "newton", "change");
		return 0 })()`)
	b.waitJS("saddle drawn", `document.querySelector('.surf-stage').dataset.loaded && window.descent.surface.stage.shown.yMin === -2`)
	b.run(chromedp.Click(chromedp.CSS(`#view-surface [data-act=surfPlay]`)))
	b.waitJS("Newton done", `window.descent.surface.set && window.descent.surface.set.state === "done"`)
	nx := b.eval(`(() => { const s = window.descent.surface.stage, it = s.trajs[0].points[1];
		return s.canvas.getBoundingClientRect().left + s.px(it.x[0], it.x[1])[0] })()`)
	ny := b.eval(`(() => { const s = window.descent.surface.stage, it = s.trajs[0].points[1];
		return s.canvas.getBoundingClientRect().top + s.px(it.x[0], it.x[1])[1] })()`)
	b.run(chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, nx, ny))
	b.waitJS("Hessian read-out", `(() => { const tip = document.querySelector('.surf-tip');
		return !tip.hidden && /λ₁, λ₂/.test(tip.textContent) && /not positive definite/.test(tip.textContent) })()`)
	b.shot("surface-newton-1280x800.png")

}

// surfacePhone shows the surface on a phone, in Korean.
func surfacePhone(b *browser) {
	t := b.t
	t.Helper()
	// A phone: the stage fits and the page does not scroll sideways.
	b.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Sleep(300*time.Millisecond))
	b.waitJS("surface re-rendered for the phone", `document.querySelector('.surf-stage').clientWidth < 390 &&
		window.descent.surface.stage.width === document.querySelector('.surf-stage').clientWidth`)
	if sw := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); sw > 1 {
		t.Errorf("surface view scrolls horizontally at 390 px: %g px too wide", sw)
	}
	b.eval(`window.descent.setLanguage("ko"), 0`)
	b.run(chromedp.Sleep(300 * time.Millisecond))
	b.shot("surface-390x844.png")
	b.fullShot("surface-ko-full-390.png", 390)
	if errs, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.descentErrors`)); len(errs) > 0 {
		t.Errorf("errors on the page: %q", errs)
	}
}

// checkMapping renders in Go the image that the page asked for and checks
// that the page's area and its toPixel put Rosenbrock's minimum (1, 1) on the
// pixel of figures.Domain.ToPixel.
func checkMapping(b *browser) {
	t := b.t
	t.Helper()
	w, h := int(b.eval(`window.descent.surface.stage.img.naturalWidth`)), int(b.eval(`window.descent.surface.stage.img.naturalHeight`))
	dpi := b.eval(`Math.round(96 * Math.min(window.devicePixelRatio || 1, 3))`)
	fn, _ := optim.LookupFunction("rosenbrock")
	dom := figures.DomainOf(fn)
	sf, err := figures.RenderSurface(fn, dom, w, h, figures.SurfaceOptions{Lang: "en", DPI: dpi})
	if err != nil {
		t.Fatal(err)
	}
	wantX, wantY := dom.ToPixel(1, 1, sf.Plot)
	js := fmt.Sprintf(`window.descent.surface.toPixel({xMin: %g, xMax: %g, yMin: %g, yMax: %g}, window.descent.surface.stage.area, 1, 1)`,
		dom.XMin, dom.XMax, dom.YMin, dom.YMax)
	gotX, gotY := b.eval(js+`[0]`), b.eval(js+`[1]`)
	if math.Abs(gotX-wantX) > 1e-9 || math.Abs(gotY-wantY) > 1e-9 {
		area := b.eval(`window.descent.surface.stage.area.l`)
		t.Errorf("the page maps the minimum (1, 1) to (%g, %g), figures to (%g, %g) (area %v, page's l = %g)",
			gotX, gotY, wantX, wantY, sf.Plot, area)
	}
	inv := fmt.Sprintf(`window.descent.surface.fromPixel({xMin: %g, xMax: %g, yMin: %g, yMax: %g}, window.descent.surface.stage.area, %g, %g)`,
		dom.XMin, dom.XMax, dom.YMin, dom.YMax, wantX, wantY)
	if bx, by := b.eval(inv+`[0]`), b.eval(inv+`[1]`); math.Abs(bx-1) > 1e-9 || math.Abs(by-1) > 1e-9 {
		t.Errorf("the page's fromPixel maps figures' pixel of (1, 1) back to (%g, %g)", bx, by)
	}
}
