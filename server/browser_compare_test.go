package server_test

import (
	"fmt"
)

// checkCompare starts a comparison of three rates, the last too large, on a
// phone: the page scrolls to the comparison and says "3 runs training…",
// then how they ended; the Train view still shows report, not one of these
// runs. The LR range test's suggestion is not red, and "Use this α" hands
// it to the Train view. A wrong list of rates is refused on the page and
// the refusal clears on the next try.
func checkCompare(b *browser, report string) {
	b.t.Helper()
	b.size(390, 844)
	b.click("#tab-compare")
	b.eval(setJS("#view-compare input[name=rates]", "0.05, x", "input"))
	b.click("#view-compare form button[type=submit]")
	b.waitJS("the page's refusal", `/^Refused: Rates/.test(document.querySelector("#view-compare form .error").textContent)`)
	b.eval(`window.scrollTo(0, 0), 0`)
	b.eval(setJS("#view-compare input[name=rates]", "500, 0.05, 0.5", "input"))
	b.eval(setJS("#view-compare input[name=epochs]", "3", "input"))
	b.eval(`(() => { const el = document.querySelector("#view-compare .sweep-state"); window.states = [];
		new MutationObserver(() => window.states.push(el.textContent)).observe(el, { childList: true, characterData: true, subtree: true }); return 0 })()`)
	b.click("#view-compare form button[type=submit]")
	b.waitJS("3 runs training…", `window.states.includes("3 runs training…") && document.querySelector("#view-compare form .error").textContent === ""`)
	b.waitJS("the comparison scrolled into view", `(() => { const s = document.querySelector("#view-compare .sweep-state").getBoundingClientRect(),
		c = document.querySelector("#view-compare .card.chart").getBoundingClientRect();
		return s.top >= 0 && s.bottom < innerHeight && c.top < innerHeight / 2 })()`)
	b.shot("compare-training-390x844.png")
	b.waitJS("the comparison over", `/^2 done, 1 diverged$/.test(document.querySelector("#view-compare .sweep-state").textContent)`)
	if got := b.text(`[...window.descent.store.runs.values()].filter((r) => r.info.sweep).map((r) => r.info.config.lr).join(",")`); got != "0.05,0.5,500" {
		b.t.Errorf("the sweep's runs have the rates %s, want them ascending (0.05,0.5,500), as their colours", got)
	}
	if got := b.text(`window.descent.views.train.current`); got != report {
		b.t.Errorf("the Train view switched by itself to %s, a run of the comparison", got)
	}
	b.shot("compare-done-390x844.png")
	b.size(1280, 800)
	b.click("#view-compare [data-act=rangeTest]")
	b.waitJS("a suggested α", `/α ≈ [0-9.e-]+/.test(document.querySelector("#view-compare .suggest").textContent) &&
		!document.querySelector("#view-compare [data-act=useRate]").hidden`)
	if red := b.text(`getComputedStyle(document.querySelector("#view-compare .suggest")).color`); red == "rgb(214, 39, 40)" || red == "rgb(220, 38, 38)" {
		b.t.Errorf("the suggestion is printed in %s, the red of divergence", red)
	}
	suggested := b.eval(`Number(window.descent.views.compare.range.suggested.toPrecision(2))`)
	b.click("#view-compare [data-act=useRate]")
	if got := b.eval(`Number(document.querySelector("#view-train input[name=lr]").value)`); got != suggested {
		b.t.Errorf("Use this α: the Train view's α is %g, want %g", got, suggested)
	}
	b.shot("compare-range-1280x800.png")
}

// checkDraw refuses a dot and a tiny digit ("draw bigger") without asking
// the server, answers a real one, and lists only the networks that can
// answer, newest first: no diverged run.
func checkDraw(b *browser) {
	b.t.Helper()
	b.click("#tab-draw")
	opts := b.list(`[...document.querySelectorAll("#draw-model option")].map((o) => o.value).filter((v) => v && !v.startsWith("model:"))`)
	diverged := b.list(`[...window.descent.store.runs.values()].filter((r) => r.info.status === "diverged").map((r) => r.id)`)
	for _, d := range diverged {
		for _, o := range opts {
			if o == d {
				b.t.Errorf("the network picker lists the diverged run %s", d)
			}
		}
	}
	for i := 1; i < len(opts); i++ {
		var a, c int
		fmt.Sscanf(opts[i-1], "r%d", &a)
		fmt.Sscanf(opts[i], "r%d", &c)
		if a < c {
			b.t.Errorf("the network picker lists %v, not newest first", opts)
			break
		}
	}
	sent := b.eval(`window.descent.store.socket.req`)
	for _, s := range []stroke{{{0.5, 0.5}, {0.505, 0.505}}, line(0.46, 0.45, 0.5, 0.55)} {
		b.click("#draw-clear")
		b.drawStroke(s)
		b.waitJS("draw bigger", `document.querySelector("#view-draw").dataset.small === "1" &&
			/^Draw bigger/.test(document.querySelector(".draw-note").textContent)`)
	}
	if now := b.eval(`window.descent.store.socket.req`); now != sent {
		b.t.Errorf("a drawing too small to be a digit was sent (%g commands)", now-sent)
	}
	b.shot("draw-bigger-1280x800.png")
	b.click("#draw-clear")
	b.drawAndCheck("a vertical stroke", 1, line(0.5, 0.15, 0.5, 0.85))
	if !b.truth(`/^The network says 1, \d+ % sure\.$/.test(document.querySelector(".draw-note").textContent) &&
		document.querySelector(".draw-always").offsetParent !== null`) {
		b.t.Errorf("the answer reads %q", b.text(`document.querySelector(".draw-note").textContent`))
	}
}
