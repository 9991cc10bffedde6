package server_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"descent/server"
)

// TestBrowserDraw drives the Draw view in chromium: it trains a quick model
// from the view's button (1 epoch of real MNIST), draws a "1" and a "0" with
// synthesized pointer events, and checks the network's answers; then the same
// on a phone, in Korean. Screenshots go where TestBrowser puts them.
func TestBrowserDraw(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 2})
	b := openPage(t, ts.URL+"/#draw", 1280, 800, "en")
	b.waitJS("the quick-model button", `!document.querySelector('#draw-quick').hidden`)
	b.shot("draw-empty-1280x800.png")
	b.run(chromedp.Click(chromedp.CSS(`#draw-quick`)))
	b.waitJS("the quick model trained", `[...window.descent.store.runs.values()].some(r => r.info.status === "done")`)

	b.drawAndCheck("a vertical stroke", 1, line(0.5, 0.15, 0.5, 0.85))
	b.shot("draw-one-1280x800.png")
	b.run(chromedp.Click(chromedp.CSS(`#draw-clear`)))
	b.waitJS("an empty answer after Clear", `document.querySelector('#view-draw').dataset.top === ""`)
	b.drawAndCheck("an ellipse", 0, ellipse(0.5, 0.5, 0.26, 0.36))
	b.shot("draw-1280x800.png")

	// A run that is still training answers with each new epoch's weights.
	// Paced at 3 s an epoch, so that the answer after epoch 1 stays long enough to be seen on a busy machine.
	b.eval(`window.descent.store.socket.send({type: "start", label: "follow", pace: {epochSeconds: 3}, config: {optimizer: "sgd", lr: 0.05, batch: 64, epochs: 2, evalLimit: 500}}), 0`)
	b.waitJS("the new run in the picker", `[...document.querySelectorAll('#draw-model option')].some(o => o.textContent.includes("follow"))`)
	b.eval(`(() => { const s = document.querySelector('#draw-model');
		s.value = [...s.options].find(o => o.textContent.includes("follow")).value; s.dispatchEvent(new Event("change")); return 0 })()`)
	byRun := func(epoch int) string {
		return fmt.Sprintf(`document.querySelector('.draw-by').textContent ===
			"Answered by " + document.querySelector('#draw-model').value + " with the weights after epoch %d"`, epoch)
	}
	b.waitJS("an answer after epoch 1", byRun(1))
	b.waitJS("an answer after epoch 2", byRun(2))

	// Unsure: below 50 % the page says so and names the top two.
	b.eval(`(() => { const v = document.querySelector('#view-draw'); window.descent.store.handle({type: "prediction",
		req: Number(v.dataset.req), run: "r1", epoch: 1, top: 3, blank: false, image: btoa("\0".repeat(784)),
		probs: [0.01, 0.01, 0.02, 0.41, 0.02, 0.32, 0.05, 0.06, 0.05, 0.05]}); return 0 })()`)
	b.waitJS("not sure", `document.querySelector('.draw-note').textContent === "Not sure: 3 (41 %) or 5 (32 %)?" &&
		document.querySelector('.draw-digit').textContent === "?"`)
	b.shot("draw-unsure-1280x800.png")

	// A phone, in Korean: the same view fits without scrolling sideways.
	b.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Click(chromedp.CSS(`#lang`)))
	b.waitJS("Korean", `document.querySelector('#draw-clear').textContent === "지우기"`)
	b.run(chromedp.Click(chromedp.CSS(`#draw-clear`)))
	b.drawAndCheck("a vertical stroke on a phone", 1, line(0.48, 0.2, 0.52, 0.8))
	if sw := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); sw > 1 {
		t.Errorf("the Draw view scrolls horizontally at 390 px: %g px too wide", sw)
	}
	b.shot("draw-390x844.png")
	if errs, _ := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.descentErrors`)); len(errs) > 0 {
		t.Errorf("errors on the page: %q", errs)
	}
}

// A stroke is points in fractions of the canvas's side.
type stroke [][2]float64

func line(x0, y0, x1, y1 float64) stroke {
	var s stroke
	for i := 0; i <= 24; i++ {
		f := float64(i) / 24
		s = append(s, [2]float64{x0 + f*(x1-x0), y0 + f*(y1-y0)})
	}
	return s
}

func ellipse(cx, cy, rx, ry float64) stroke {
	var s stroke
	for i := 0; i <= 48; i++ {
		a := 2*math.Pi*float64(i)/48 - math.Pi/2
		s = append(s, [2]float64{cx + rx*math.Cos(a), cy + ry*math.Sin(a)})
	}
	return s
}

// drawAndCheck draws one stroke, waits for the answer to the finished
// drawing, and checks its digit.
func (b *browser) drawAndCheck(what string, want int, s stroke) {
	b.t.Helper()
	b.drawStroke(s)
	b.waitJS("the answer to "+what, `document.querySelector('#view-draw').dataset.req === String(window.descent.store.socket.req) &&
		document.querySelector('#view-draw').dataset.top !== ""`)
	got := b.eval(`Number(document.querySelector('#view-draw').dataset.top)`)
	note, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('.draw-note').textContent`))
	b.t.Logf("%s: the network answers %g (%s)", what, got, note)
	if int(got) != want {
		b.shot(fmt.Sprintf("failed-draw-%d.png", want))
		b.t.Errorf("%s: the network answers %g (%s), want %d", what, got, note, want)
	}
}

// drawStroke draws one stroke on the drawing canvas with real mouse events
// (which the page gets as pointer events).
func (b *browser) drawStroke(s stroke) {
	b.t.Helper()
	box, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]float64](`(() => {
		const c = document.querySelector('#draw-canvas'); c.scrollIntoView({block: "center"});
		const r = c.getBoundingClientRect(); return [r.left, r.top, r.width, r.height] })()`))
	if err != nil || len(box) != 4 {
		b.t.Fatalf("browser: canvas box %v: %v", box, err)
	}
	at := func(p [2]float64) (float64, float64) { return box[0] + p[0]*box[2], box[1] + p[1]*box[3] }
	held := func(p *input.DispatchMouseEventParams) { p.Button, p.Buttons = input.MouseButtonLeft, 1 }
	x, y := at(s[0])
	actions := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, held, chromedp.ClickCount(1))}
	for _, p := range s[1:] {
		x, y = at(p)
		actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y, held), chromedp.Sleep(8*time.Millisecond))
	}
	actions = append(actions, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, held, chromedp.ClickCount(1)), chromedp.Sleep(200*time.Millisecond))
	b.run(actions...)
}
