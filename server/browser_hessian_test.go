package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"descent/mnist"
	"descent/server"
)

// quickModel is a saved model for the Hessian panel: 784-32-10 tanh (whose
// name a Korean page may show), one epoch of SGD on train.
func quickModel(t *testing.T, train, test *mnist.Dataset) *mnist.Model {
	t.Helper()
	cfg := mnist.DefaultConfig()
	cfg.Arch = mnist.Arch{Hidden: []int{32}, Activation: mnist.Tanh}
	cfg.Epochs, cfg.EvalLimit = 1, 500
	tr, err := mnist.NewTrainer(cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background(), mnist.Hooks{}); err != nil {
		t.Fatal(err)
	}
	return tr.Snapshot()
}

// TestBrowserHessian drives the Hessian's views on real MNIST digits: the
// edge of stability's run (full-batch gradient descent on the first 2,000
// images at α = 2) fills the Sharpness chart while it trains, λmax from
// about 3.9 down to just under 2/α = 1; the Hessian panel computes on that
// run and on a saved model (eigenvalues, density, the sharpest direction,
// its exports); a comparison of three rates overlays each lane's λmax with
// its own threshold and marks where the diverged one crossed it; the
// surface's rate sliders mark 2/λmax and the best rate at the start. Then
// every view passes the checks of every view at 1280×800 and 390×844, in
// English and Korean, with screenshots.
func TestBrowserHessian(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	models := map[string]*mnist.Model{"m1": quickModel(t, train, test)}
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 2, Models: models})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	id := edgeOfStability(b)
	hessianPanel(b, id)
	sharpnessOverlay(b)
	surfaceMarks(b)
	hessianScreens(b)
}

// mark is one sharpness measurement as the page holds it.
type mark struct {
	Step             int
	Value, Threshold float64
	HasThreshold     bool
}

// marksOf reads the measurements of the run that the JavaScript run names.
func marksOf(b *browser, run string) []mark {
	b.t.Helper()
	raw := b.text(`JSON.stringify(((s) => s.sharpnessStep.map((k, i) => [k, s.sharpness[i], s.threshold[i]]))(` + run + `.steps))`)
	var rows [][3]*float64
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		b.t.Fatalf("marks %s: %v", raw, err)
	}
	out := make([]mark, len(rows))
	for i, r := range rows {
		out[i] = mark{Step: int(*r[0]), Value: *r[1]}
		if r[2] != nil {
			out[i].Threshold, out[i].HasThreshold = *r[2], true
		}
	}
	return out
}

// edgeOfStability starts the edge of stability's run from the chart's own
// button and checks that the chart fills while it trains, λmax against 2/α = 1.
func edgeOfStability(b *browser) string {
	b.t.Helper()
	b.click("#view-train [data-act=sharpEdge]")
	b.waitJS("the edge of stability's run", lastRun+` && `+lastRun+`.info.config.trainExamples === 2000`)
	cfg := b.text(`JSON.stringify((({optimizer, lr, batch, epochs, trainExamples}) => ({optimizer, lr, batch, epochs, trainExamples}))(` + lastRun + `.info.config))`)
	if cfg != `{"optimizer":"sgd","lr":2,"batch":2000,"epochs":300,"trainExamples":2000}` {
		b.t.Errorf("the edge of stability trains %s", cfg)
	}
	if n := b.eval(lastRun + `.info.sharpness ? ` + lastRun + `.info.sharpness.examples : 0`); n != 1000 {
		b.t.Errorf("the run's sharpness is tracked on %g images, want 1000", n)
	}
	const card = `window.descent.views.train.hess.card`
	b.waitJS("the chart filling while the run trains", lastRun+`.info.status === "running" && `+lastRun+`.steps.sharpnessStep.length >= 3 &&
		`+card+`.chart.u.data[1].filter((v) => v != null).length >= 3`)
	b.scrollTo("#view-train .sharp-card")
	b.shot("hess-train-running-1280x800.png")
	b.waitJS("the run done", lastRun+`.info.status === "done"`)
	id := b.text(lastRun + `.id`)
	m := marksOf(b, lastRun)
	b.t.Logf("λmax of full-batch GD on 2,000 images at α = 2 (2/α = 1): %v", m)
	if len(m) < 4 || m[0].Step != 1 || m[0].Value < 2 || m[len(m)-1].Value >= m[0].Value {
		b.t.Errorf("λmax over the run: %v; want it from the initial weights (step 1, about 3.9) down", m)
	}
	under := false
	for _, k := range m {
		if !k.HasThreshold || k.Threshold != 1 {
			b.t.Errorf("the threshold at step %d is %v, want 2/α = 1", k.Step, k.Threshold)
		}
		under = under || (k.Step > 1 && k.Step <= 150 && k.Value > 0.5 && k.Value < 1)
	}
	if !under {
		b.t.Errorf("no measurement of the first 150 steps just under 2/α = 1: %v", m)
	}
	sharpnessChart(b, card, m[1].Step)
	return id
}

// sharpnessChart checks the chart of the finished run: the threshold line at
// 1, the read-out of the latest measurement and of the one under the cursor,
// the crossing at step 1 (not red: the run did not diverge), and the ⤓ menu.
func sharpnessChart(b *browser, card string, at int) {
	b.t.Helper()
	if th := b.list(`[...new Set(` + card + `.chart.u.data[2].filter((v) => v != null).map(String))]`); len(th) != 1 || th[0] != "1" {
		b.t.Errorf("the threshold line holds %v, want 1 throughout", th)
	}
	read := regexp.MustCompile(`^Step [\d,]+ · λmax = [\d.]+ · threshold 2/α = 1 · α·λmax/2 = [\d.]+$`)
	if got := b.text(`document.querySelector("#view-train .sharp-read").textContent`); !read.MatchString(got) {
		b.t.Errorf("the read-out says %q", got)
	}
	b.eval(fmt.Sprintf(`((u) => u.setCursor({ left: u.valToPos(%d, "x"), top: 20 }))(`+card+`.chart.u), 0`, at))
	if got := b.text(`document.querySelector("#view-train .sharp-read").textContent`); !regexp.MustCompile(fmt.Sprintf(`^Step %d · λmax = 0\.\d+ · `, at)).MatchString(got) {
		b.t.Errorf("at the cursor on step %d (the second measurement) the read-out says %q", at, got)
	}
	cross := b.text(`document.querySelector("#view-train .sharp-cross").textContent`)
	if !regexp.MustCompile(`^λmax was above the threshold at step 1 \(3\.\d+ > 1\)\.$`).MatchString(cross) || b.truth(`document.querySelector("#view-train .sharp-cross").classList.contains("diverged")`) {
		b.t.Errorf("the crossing reads %q", cross)
	}
	openMenu(b, `#view-train [data-chart=sharpness]`)
	if n := b.eval(fetchAll); n != 4 {
		b.t.Errorf("the sharpness menu has %v links, want PNG, SVG, CSV and JSON", n)
	}
	b.waitJS("the sharpness card's exports", `window.fetched && window.fetched.join() ===
		"200 image/png,200 image/svg+xml,200 text/csv; charset=utf-8,200 application/json"`)
	b.eval(`document.body.click(), 0`)
}

// hessianPanel computes the Hessian of the saved model, then of the run id:
// progress, the eigenvalues, the density, the sharpest direction's tiles,
// and its figures posted back to the server.
func hessianPanel(b *browser, id string) {
	b.t.Helper()
	b.eval(`window.blobs = []; const make = URL.createObjectURL;
		URL.createObjectURL = (blob) => { window.blobs.push(blob.type + " " + blob.size); return make(blob); };
		window.hessStates = []; const st = document.querySelector("#view-train .hess-status");
		new MutationObserver(() => window.hessStates.push(st.textContent)).observe(st, { childList: true, characterData: true, subtree: true }), 0`)
	b.eval(setJS("#view-train select[name=hessNet]", "model:m1", "change"))
	b.click("#view-train [data-act=hessCompute]")
	b.waitJS("the model's Hessian", `/^The saved model m1 · loss over the first 1,000 training images$/.test(document.querySelector(".hess-head").textContent)`)
	if n := b.eval(`document.querySelectorAll("#view-train .hess-eig").length`); n != 5 {
		b.t.Errorf("the model's Hessian shows %g eigenvalues, want 5", n)
	}
	b.eval(setJS("#view-train select[name=hessNet]", "", "change"))
	b.click("#view-train [data-act=hessCompute]")
	b.waitJS("the run's Hessian", fmt.Sprintf(`document.querySelector(".hess-head").textContent.startsWith(%q)`, id+" "))
	if !b.truth(`window.hessStates.some((s) => /^Computing the top eigenvalues \(Lanczos\): \d+ Hessian-vector products, [\d.]+ s$/.test(s)) &&
		window.hessStates.some((s) => /^Computing the density/.test(s))`) {
		b.t.Errorf("the progress said %q", b.list(`window.hessStates`))
	}
	lmax := b.eval(`Number(document.querySelector(".hess-eig").textContent)`)
	last := b.eval(`((s) => s.sharpness[s.sharpness.length - 1])(` + lastRun + `.steps)`)
	b.t.Logf("the panel's λmax at the end of the run %g, the tracker's last measurement %g", lmax, last)
	if lmax < 0.7*last || lmax > 1.2*last {
		b.t.Errorf("the panel's λmax %g, the tracker's last (a few steps before the end) %g", lmax, last)
	}
	if n := b.eval(`window.descent.views.train.hess.panel.result.chart.u.data[0].length`); n != 512 {
		b.t.Errorf("the density has %g points, want 512", n)
	}
	inked := b.eval(`((c) => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0;
		for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 2] < 250) n++; return n; })(document.querySelector(".hess-tiles"))`)
	if inked < 1000 {
		b.t.Errorf("the sharpest direction's tiles have %g coloured pixels", inked)
	}
	b.eval(`document.querySelector("[data-panel=hessian] .dl-button").click(), 0`)
	if n := b.eval(`document.querySelectorAll("[data-panel=hessian] .dl-menu button").length`); n != 5 {
		b.t.Errorf("the panel's menu has %g items, want the density's and the eigenvalues' PNG and SVG, and the CSV", n)
	}
	b.eval(`document.querySelector("[data-panel=hessian] .dl-menu button").click(), 0`)
	b.waitJS("the density figure", `window.blobs.length === 1 && /^image\/png \d{5,}$/.test(window.blobs[0])`)
	b.eval(`document.querySelector("[data-panel=hessian] .dl-button").click(), document.querySelectorAll("[data-panel=hessian] .dl-menu button")[4].click(), 0`)
	b.waitJS("the Hessian's CSV", `window.blobs.length === 2 && /^text\/csv/.test(window.blobs[1])`)
	b.scrollTo("#view-train [data-panel=hessian]")
	b.shot("hess-panel-1280x800.png")
}

// sharpnessOverlay compares, tracked, α = 0.05 and 500 at batch 64 on the
// first 2,000 images (the second diverges: it is marked where its λmax
// crossed its threshold, at the initial weights), then α = 0.5, 2 and 8
// with full-batch gradient descent on them: each lane's threshold 2/α in
// its colour.
func sharpnessOverlay(b *browser) {
	b.t.Helper()
	b.click("#tab-compare")
	startSweep(b, "0.05, 500", "64", "1", "10") // paced, so that α = 500 lives to its first measurement
	b.waitJS("the first comparison over", `/^1 done, 1 diverged$/.test(document.querySelector("#view-compare .sweep-state").textContent)`)
	const ov = `window.descent.views.compare.sharpness`
	for _, lane := range []int{0, 1} {
		r := fmt.Sprintf(`[...window.descent.store.runs.values()].filter((r) => r.info.sweep === "s1")[%d]`, lane)
		b.t.Logf("batch 64 on 2,000 images, lane %d: %v %s", lane, marksOf(b, r), b.text(`JSON.stringify(`+r+`.info)`))
	}
	cross := b.text(`document.querySelector("#view-compare .sharp-cross").textContent`)
	if !regexp.MustCompile(`^α=500: Diverged at step \d+: λmax was above its threshold from step 1 \(3\.\d+ > 0\.004\)\.$`).MatchString(cross) ||
		!b.truth(`document.querySelector("#view-compare .sharp-cross p").classList.contains("diverged") && `+ov+`.crossings.length === 1`) {
		b.t.Errorf("the diverged lane's crossing reads %q", cross)
	}
	b.scrollTo("#view-compare [data-chart=sharpness-overlay]")
	b.shot("hess-compare-diverged-1280x800.png")
	startSweep(b, "0.5, 2, 8", "3000", "150", "0")
	b.waitJS("the second comparison over", `/^3 done$/.test(document.querySelector("#view-compare .sweep-state").textContent)`)
	runs := `[...window.descent.store.runs.values()].filter((r) => r.info.sweep === "s2")`
	if got := b.text(`JSON.stringify(` + runs + `.map((r) => [r.info.config.lr, r.info.config.batch, r.info.config.trainExamples, !!r.info.sharpness]))`); got != `[[0.5,2000,2000,true],[2,2000,2000,true],[8,2000,2000,true]]` {
		b.t.Errorf("the comparison's runs: %s", got)
	}
	b.waitJS("each lane's threshold", ov+`.chart.u.data.length === 7`)
	th := b.list(`[2, 4, 6].map((k) => String(` + ov + `.chart.u.data[k].find((v) => v != null)))`)
	if fmt.Sprint(th) != "[4 1 0.25]" {
		b.t.Errorf("the lanes' thresholds start at %v, want 2/α: [4 1 0.25]", th)
	}
	for _, lane := range []int{0, 1, 2} {
		b.t.Logf("full batch on 2,000 images, lane %d: %v", lane, marksOf(b, fmt.Sprintf("%s[%d]", runs, lane)))
	}
	b.eval(`document.querySelector("#view-compare [data-chart=sharpness-overlay]").closest(".card").querySelector(".dl-button").click(), 0`)
	if n := b.eval(fetchAll); n != 4 {
		b.t.Errorf("the overlay's menu has %v links, want PNG, SVG, CSV and JSON", n)
	}
	b.waitJS("the overlay's exports", `window.fetched && window.fetched.join() ===
		"200 image/png,200 image/svg+xml,200 text/csv; charset=utf-8,200 application/json"`)
	b.eval(`document.body.click(), 0`)
	b.scrollTo("#view-compare [data-chart=sharpness-overlay]")
	b.shot("hess-compare-1280x800.png")
}

// startSweep starts a tracked comparison of rates on the first 2,000
// training images at batch and epochs, at pace (seconds an epoch, 0 as fast
// as it goes).
func startSweep(b *browser, rates, batch, epochs, pace string) {
	b.t.Helper()
	b.eval(setJS("#view-compare input[name=rates]", rates, "input"))
	b.eval(setJS("#view-compare input[name=epochs]", epochs, "input"))
	b.eval(setJS("#view-compare select[name=batch]", batch, "change"))
	b.eval(setJS("#view-compare input[name=cmpExamples]", "2000", "input"))
	b.eval(setJS("#view-compare select[name=cmpPace]", pace, "change"))
	b.eval(`document.querySelector("#view-compare input[name=cmpTrack]").checked = true, 0`)
	b.click("#view-compare form button[type=submit]")
	b.waitJS("the comparison shown", `document.querySelector("#view-compare .sweep-state").textContent !== "" &&
		window.descent.views.compare.sweep === [...window.descent.store.runs.values()].pop().info.sweep`)
}

// surfaceMarks plays gradient descent and Adam on the quadratic bowl (κ =
// 25, so H = diag(1, 25)): GD's slider marks 2/λmax = 0.08 and the best
// rate 2/26, Adam's nothing; the learning-rate mode says both.
func surfaceMarks(b *browser) {
	b.t.Helper()
	b.click("#tab-surface")
	b.waitJS("surface image", `document.querySelector(".surf-stage").dataset.loaded`)
	b.eval(setJS("#view-surface select[name=fn]", "quadratic", "change"))
	b.waitJS("GD's note before a run", `document.querySelector("#view-surface .surf-row .lr-caption").textContent === "Play once, and 2/λmax at the start is marked on this slider."`)
	b.click("#view-surface [data-act=surfPlay]")
	b.waitJS("the marks", `document.querySelectorAll("#view-surface .surf-row")[0].querySelectorAll(".lr-mark").length === 2`)
	captions := b.list(`[...document.querySelectorAll("#view-surface .surf-row")].map((r) => [...r.querySelector(".lr-caption").children].map((c) => c.textContent).join(" | "))`)
	want := "▲ 2/λmax = 0.08 at the start: gradient descent is stable below it | ◆ best rate 2/(λmin+λmax) = 0.0769: the fastest constant rate here"
	if len(captions) != 2 || captions[0] != want || captions[1] != "" {
		b.t.Errorf("the rows' marks say %q", captions)
	}
	// The ▲ sits where the slider's thumb stands at α = 0.08.
	off := b.eval(`((row) => { const s = row.querySelector("input[type=range]"), m = row.querySelector(".lr-mark").getBoundingClientRect(), r = s.getBoundingClientRect();
		const f = (Math.log10(0.08) + 5) / 6; return m.left + m.width / 2 - (r.left + 8 + f * (r.width - 16)); })(document.querySelector("#view-surface .surf-row"))`)
	if off < -2 || off > 2 {
		b.t.Errorf("the 2/λmax mark is %.1f px from the thumb at α = 0.08", off)
	}
	b.scrollTo("#view-surface .surf-row")
	b.shot("hess-surface-1280x800.png")
	b.eval(setJS("#view-surface select[name=surfMode]", "rates", "change"))
	if got := b.text(`document.querySelector("#view-surface .field .lr-caption").textContent`); got != "At the start: 2/λmax = 0.08; best rate 2/(λmin+λmax) = 0.0769." {
		b.t.Errorf("the learning-rate mode says %q", got)
	}
	b.eval(setJS("#view-surface select[name=surfMode]", "optimizers", "change"))
}

// scrollTo brings the card of the element sel (or a part of the Hessian
// panel) to the top of the viewport, under the header.
func (b *browser) scrollTo(sel string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`((el) => el.closest(".card:not(.hess-card)") || el)(document.querySelector(%q)).scrollIntoView({ block: "start" }),
		window.scrollBy(0, -70), 0`, sel))
}

// hessianScreens checks every view with the Hessian's parts on it at both
// sizes and in both languages, and saves the sharpness chart, the panel,
// the overlay and the surface's marks.
func hessianScreens(b *browser) {
	b.t.Helper()
	shots := [][3]string{{"train", "#view-train .sharp-card", "sharpness"}, {"train", "#view-train [data-panel=hessian]", "panel"},
		{"train", "#view-train .hess-figs", "figures"}, {"compare", "#view-compare [data-chart=sharpness-overlay]", "compare"},
		{"surface", "#view-surface .surf-row", "surface"}}
	for _, size := range sizes {
		b.size(size[0], size[1])
		phone := size[0] < 500
		for _, lang := range langs {
			b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
			for _, s := range shots {
				b.eval(`document.querySelector("#tab-` + s[0] + `").click(), 0`)
				if s[0] == "surface" && phone {
					b.eval(`document.querySelector("#view-surface .surf-summary").getAttribute("aria-expanded") === "true" || document.querySelector("#view-surface .surf-summary").click(), 0`)
				}
				b.waitJS("the view drawn", `!document.querySelector("#view-`+s[0]+`").hidden`)
				b.checkView(fmt.Sprintf("%s (%s) at %d×%d in %s", s[0], s[2], size[0], size[1], lang), phone, lang)
				b.scrollTo(s[1])
				b.shot(fmt.Sprintf("hess-%s-%s-%dx%d.png", s[2], lang, size[0], size[1]))
			}
			b.eval(`document.querySelector("#tab-train").click(), document.querySelector("#view-train details.more").open = true,
				document.querySelector("#view-train .data-fields").scrollIntoView({ block: "center" }), 0`)
			b.shot(fmt.Sprintf("hess-form-%s-%dx%d.png", lang, size[0], size[1]))
			b.eval(`document.querySelector("#view-train details.more").open = false, 0`)
		}
	}
}
