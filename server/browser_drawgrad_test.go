package server_test

import (
	"fmt"
	"strconv"
	"testing"

	"descent/server"
)

// TestBrowserDrawDerivatives drives the Draw view's derivatives in chromium
// on real MNIST: a drawn 0 shows the map of the pixels that matter for its
// top class and for a tapped digit, also laid over the drawing; the chain
// rule shows the 100 hidden units and reads one; the derivative is checked
// (relative error under 1e-5); a copy learns a label the network gets
// wrong, step by step until it is classified as it, is reset, learns again
// and is kept as a model that the picker lists, that answers and
// downloads; after a reconnect the next step makes a new copy. The first
// screen shows the canvas and the answer at 1280×800 and 390×844, in
// English and Korean, with the checks of every view on the open panels.
func TestBrowserDrawDerivatives(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	srv, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 2})
	b := openPage(t, ts.URL+"/#draw", 1280, 800, "en")
	// The report's network for one epoch, without a label: the picker then shows no English on the Korean page.
	b.eval(`window.descent.store.socket.send({type: "start", config: {optimizer: "sgd", lr: 0.1, batch: 64, epochs: 1, evalLimit: 1000}}), 0`)
	b.waitJS("the model trained", `[...window.descent.store.runs.values()].some(r => r.info.status === "done")`)
	b.drawAndCheck("an ellipse", 0, ellipse(0.5, 0.5, 0.26, 0.36))
	checkSaliency(b)
	b.checkDrawScreen("the Draw view at 1280×800", false)
	b.shot("draw-saliency-en-1280x800.png")

	checkChain(b)
	b.shot("draw-chain-en-1280x800.png")
	checkDerivative(b)
	label := checkLearn(b)
	checkKeep(b, ts.URL, label)

	srv.DropSockets() // the copy goes with the connection; the next Step makes a new one
	b.waitJS("reconnected", `document.querySelector('#conn').classList.contains('conn-open') && !document.querySelector('#ln-step').disabled`)
	b.waitJS("the copy forgotten", `document.querySelector('#draw-learn').dataset.steps === "0"`)
	b.click("#ln-step")
	b.waitJS("a step of a new copy", `document.querySelector('#draw-learn').dataset.steps === "1"`)

	checkDeeper(b)
	b.eval(`window.descent.views.draw.select.value = "r1"; window.descent.views.draw.select.dispatchEvent(new Event("change")), 0`)
	drawScreens(b)
	if errs := b.list(`window.descentErrors`); len(errs) > 0 {
		t.Errorf("errors on the page: %q", errs)
	}
}

// coloured counts the pixels of a canvas that are not white.
func coloured(sel string) string {
	return fmt.Sprintf(`(() => { const c = document.querySelector(%q), d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
		let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) n++; return n })()`, sel)
}

// checkSaliency: the map of the top class is drawn with its legend; a tap
// on digit 6's bar maps 6; the map lies over the drawing on demand.
func checkSaliency(b *browser) {
	b.t.Helper()
	b.waitJS("the map of the top class", `document.querySelector('.draw-answer').dataset.map === "0"`)
	if n := b.eval(coloured(".draw-sal")); n < 100 {
		b.t.Errorf("the saliency map has %g coloured pixels of 784, want most", n)
	}
	if legend := b.text(`document.querySelector('.sal-legend').textContent`); legend != "orange: more ink here raises p(0)blue: more ink here lowers p(0)Tap a digit's bar for its map." {
		b.t.Errorf("the legend reads %q", legend)
	}
	b.eval(`(() => { const r = document.querySelector('.draw-bar[data-digit="6"]').getBoundingClientRect();
		document.querySelector('.draw-bars').dispatchEvent(new MouseEvent("click", {clientX: r.left + r.width / 2, clientY: r.top + 10, bubbles: true})); return 0 })()`)
	b.waitJS("the map of 6", `document.querySelector('.draw-answer').dataset.map === "6" &&
		document.querySelector('.draw-bar[data-digit="6"]').getAttribute("aria-checked") === "true" &&
		/Which pixels matter for 6: ∂ log p₆\/∂u/.test(document.querySelector('.draw-sal + figcaption').textContent)`)
	b.click("#draw-over")
	b.waitJS("the map on the drawing", `!document.querySelector('.draw-overlay').hidden`)
	if n := b.eval(coloured(".draw-overlay")); n < 2000 {
		b.t.Errorf("the map on the drawing has %g coloured pixels, want the digit's box", n)
	}
	b.shot("draw-saliency6-en-1280x800.png")
	b.click("#draw-over")
	b.waitJS("the map off the drawing", `document.querySelector('.draw-overlay').hidden`)
	b.click(".sal-top")
	b.waitJS("the map of the top class again", `document.querySelector('.draw-answer').dataset.map === "0"`)
}

// checkDrawScreen: the first screen shows the canvas, the answer, the map
// and the line that says which panels lie below.
func (b *browser) checkDrawScreen(where string, phone bool) {
	b.t.Helper()
	b.eval(`window.scrollTo(0, 0), 0`)
	for _, sel := range []string{"#draw-canvas", ".draw-digit", ".draw-note", ".draw-sal", ".draw-jump"} {
		if !b.truth(inViewJS(sel)) {
			b.t.Errorf("%s: %s is not in the first screen", where, sel)
		}
	}
}

// checkChain opens the chain rule: 100 hidden units and 10 outputs, every
// row drawn, and a hovered unit read with its z, a, σ′(z) and δ.
func checkChain(b *browser) {
	b.t.Helper()
	b.click(`.draw-jump button:nth-of-type(1)`)
	b.waitJS("the layers", `document.querySelector('#draw-chain').dataset.units === "100-10" &&
		document.querySelectorAll('#draw-chain .chain-row').length === 12 && document.querySelector('#draw-chain .chain-tiles').width === 289`)
	if n := b.eval(coloured("#draw-chain .chain-tiles")); n < 10000 {
		b.t.Errorf("∂J/∂W₁'s tiles have %g coloured pixels, want most of 78,400", n)
	}
	// The strip of a₁ (the third row): its 38th cell.
	b.eval(`(() => { const c = document.querySelectorAll('#draw-chain .chain-strip')[1], r = c.getBoundingClientRect();
		c.dispatchEvent(new PointerEvent("pointermove", {clientX: r.left + r.width * 37.5 / 100, clientY: r.top + r.height / 2, bubbles: true})); return 0 })()`)
	b.waitJS("hidden unit 37 read", `document.querySelector('.chain-read').dataset.unit === "37" &&
		document.querySelector('.chain-read-head').textContent === "Hidden unit 37 of layer 1" &&
		/z = .*a = σ\(z\) = .*σ′\(z\) = .*∂J\/∂a = .*δ = ∂J\/∂a · σ′\(z\) = /.test(document.querySelector('.chain-read-values').textContent)`)
	b.click(`.chain-read button:last-child`)
	b.waitJS("the next unit", `document.querySelector('.chain-read').dataset.unit === "38"`)
	// The backward pass for label 3: J = −log p₃.
	b.click(`#draw-chain fieldset.chips input[value="3"]`)
	b.waitJS("the pass for label 3", `/J = −log p₃/.test(document.querySelector('#draw-chain').textContent)`)
}

// checkDerivative checks the derivative: 8 weights, backpropagation and
// central differences within 1e-5 of each other.
func checkDerivative(b *browser) {
	b.t.Helper()
	b.click(`.draw-jump button:nth-of-type(2)`)
	b.click("#gc-run")
	b.waitJS("the check", `document.querySelector('#draw-check').dataset.maxRelError !== undefined &&
		document.querySelectorAll('#draw-check tbody tr').length === 8`)
	e, err := strconv.ParseFloat(b.text(`document.querySelector('#draw-check').dataset.maxRelError`), 64)
	if err != nil || !(e < 1e-5) {
		b.t.Errorf("the largest relative error is %v (%v), want under 1e-5", e, err)
	}
	if got := b.text(`document.querySelector('.gc-status').textContent`); !regexpMatch(`^Largest relative error [0-9.e-]+ — under 10⁻⁵: the two ways agree$`, got) {
		b.t.Errorf("the check says %q", got)
	}
	b.t.Logf("the derivative checked: largest relative error %g", e)
	b.shot("draw-check-en-1280x800.png")
}

// checkDeeper: a network of two tanh layers shows every layer the same
// way, each hidden layer's z, σ(z), ∂J/∂a, σ′(z), δ and ∂J/∂W.
func checkDeeper(b *browser) {
	b.t.Helper()
	b.eval(`window.descent.store.socket.send({type: "start", config: {arch: {hidden: [32, 16], activation: "tanh"}, optimizer: "sgd", lr: 0.05, batch: 64, epochs: 1, evalLimit: 500}}), 0`)
	b.waitJS("the deeper network trained", `(() => { const r = window.descent.store.runs.get("r2"); return r && r.info.status === "done" })()`)
	b.eval(`window.descent.views.draw.select.value = "r2"; window.descent.views.draw.select.dispatchEvent(new Event("change")), 0`)
	b.waitJS("its layers", `document.querySelector('#draw-chain').dataset.units === "32-16-10" &&
		document.querySelectorAll('#draw-chain .chain-row').length === 18 && document.querySelectorAll('#draw-chain .chain-matrix').length === 2 &&
		/z₂ = W₂a₁ \+ b₂.*a₂ = σ\(z₂\).*z₃ = W₃a₂ \+ b₃/.test(document.querySelector('#draw-chain').textContent) &&
		/δ₁ = \(W₂ᵀδ₂\) ⊙ σ′\(z₁\)/.test(document.querySelector('#draw-chain').textContent)`)
	b.eval(`document.querySelector('#draw-chain').scrollIntoView({block: "start"}), 0`)
	b.shot("draw-chain-deeper-en-1280x800.png")
}
