package server_test

import (
	"fmt"
	"regexp"
	"testing"

	"descent/mnist"
	"descent/server"
)

// subsetMNIST is the first 3,000 training and 1,000 test images: runs of a
// few seconds that still learn.
func subsetMNIST(t *testing.T) (train, test *mnist.Dataset) {
	t.Helper()
	train, test = realMNIST(t)
	return &mnist.Dataset{Images: train.Images[:3000*mnist.InputSize], Labels: train.Labels[:3000], N: 3000},
		&mnist.Dataset{Images: test.Images[:1000*mnist.InputSize], Labels: test.Labels[:1000], N: 1000}
}

// lastRun is JavaScript for the newest run of the page's store.
const lastRun = `[...window.descent.store.runs.values()].pop()`

// TestBrowserClass is a class's hour: the report's run in one click from the
// empty Train view, its headline, its replay; a comparison started on a
// phone; the LR range test's suggestion used in Train; errors that are
// translated and clear on the next try; and the Draw view refusing a dot.
// Every view then passes the checks of every view, in both languages and
// at both sizes, with its runs on it.
func TestBrowserClass(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 2})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")

	// The report's run, from the empty view, at the pace a class can watch:
	// an epoch in about 10 s; then as fast as it goes.
	b.click("#view-train [data-act=trainReport]")
	checkPace(b)
	b.waitJS("the report's run done", lastRun+`.info.status === "done"`)
	cfg := b.text(`JSON.stringify((({optimizer, lr, batch, epochs, seed}) => ({optimizer, lr, batch, epochs, seed}))(` + lastRun + `.info.config))`)
	if cfg != `{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":10,"seed":1}` {
		t.Errorf("the report's run trains %s", cfg)
	}
	report := b.text(lastRun + `.id`)
	summary := regexp.MustCompile(`^Test accuracy \d+\.\d\d % · test loss \d+(\.\d+)? · 10 epochs in \d+ s$`)
	b.waitJS("the summary line", `document.querySelector("#view-train .summary").textContent !== ""`)
	if got := b.text(`document.querySelector("#view-train .summary").textContent`); !summary.MatchString(got) {
		t.Errorf("the summary line reads %q", got)
	}
	b.shot("train-report-1280x800.png")
	checkReplay(b, report)
	checkWeightsAt(b, report)
	errorCodes(b)
	checkErrors(b)
	checkCompare(b, b.text(`window.descent.views.train.current`))
	checkDraw(b)
	for _, size := range sizes {
		b.size(size[0], size[1])
		for _, lang := range langs {
			b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
			for _, view := range views {
				where := fmt.Sprintf("%s view with runs at %d×%d in %s", view, size[0], size[1], lang)
				b.eval(`document.querySelector("#tab-` + view + `").click(), window.scrollTo(0, 0), 0`)
				b.waitJS("the view drawn", `!document.querySelector("#view-`+view+`").hidden`)
				b.checkView(where, size[0] < 500, lang)
				b.shot(fmt.Sprintf("%s-%s-%dx%d-runs.png", view, lang, size[0], size[1]))
			}
		}
	}
	b.eval(`window.descent.setLanguage("ko"), document.querySelector("#tab-train").click(), 0`)
	b.eval(`(s => { s.value = "` + report + `"; s.dispatchEvent(new Event("change")); return 0 })(document.querySelector("#view-train .runbar select"))`)
	ko := regexp.MustCompile(`^테스트 정확도 \d+\.\d\d % · 테스트 손실 \d+(\.\d+)? · 10 에포크, \d+초$`)
	b.waitJS("the Korean summary of the report's run", `/^테스트 .* 10 에포크/.test(document.querySelector("#view-train .summary").textContent)`)
	if got := b.text(`document.querySelector("#view-train .summary").textContent`); !ko.MatchString(got) {
		t.Errorf("the Korean summary line reads %q", got)
	}
}

// click clicks the element sel from JavaScript, wherever it is on the page.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`document.querySelector(%q).click(), 0`, sel))
}

// checkReplay scrubs the finished run to a third of its steps: the charts
// stop there and the confusion matrix is the epoch's before it; Play runs
// to the end and shows the whole run again.
func checkReplay(b *browser, id string) {
	b.t.Helper()
	run := `window.descent.store.runs.get("` + id + `")`
	if !b.truth(`!document.querySelector("#view-train .replay").hidden`) {
		b.t.Fatal("a finished run has no replay")
	}
	i := int(b.eval(run+`.steps.step.length`)) / 3
	b.eval(setJS("#view-train .replay input[type=range]", fmt.Sprint(i), "input"))
	epoch := int(b.eval(fmt.Sprintf(`Math.floor(%s.steps.step[%d] / %s.info.stepsPerEpoch)`, run, i, run)))
	b.waitJS("the charts of the moment", fmt.Sprintf(`window.descent.views.train.charts.loss.data[0].length === %d &&
		document.querySelector("#view-train .confusion + p").textContent === "After epoch %d." &&
		window.descent.views.train.charts.acc.data[0].length === %d`, i+1, epoch, epoch))
	b.shot("train-replay-1280x800.png")
	b.click("#view-train [data-act=replay]")
	b.waitJS("the replay at its end", run+`.steps.step.length === window.descent.views.train.charts.loss.data[0].length &&
		document.querySelector("#view-train [data-act=replay]").textContent === "Play"`)
}

// checkPace watches the report's run train at its default pace, an epoch
// in about 10 s (the server says so in the run's info), then sets it to as
// fast as it goes from the run bar.
func checkPace(b *browser) {
	b.t.Helper()
	b.waitJS("the run's pace", lastRun+` && `+lastRun+`.info.pace && `+lastRun+`.info.pace.epochSeconds === 10 &&
		!document.querySelector("#view-train .run-pace").hidden`)
	b.waitJS("a few steps", lastRun+`.steps.step.length > 5`)
	if done := b.eval(lastRun + `.info.progress`); done > 500 {
		b.t.Errorf("%g steps in the first moments, at an epoch in 10 s", done)
	}
	b.shot("train-pace-1280x800.png")
	b.eval(setJS("#view-train select[name=runPace]", "0", "change"))
	b.waitJS("as fast as it goes", lastRun+`.info.pace.epochSeconds === 0`)
}

// checkWeightsAt scrubs the replay: the page asks the server for the
// weights of that moment (weightsAt) and says which step they are from.
func checkWeightsAt(b *browser, id string) {
	b.t.Helper()
	run := `window.descent.store.runs.get("` + id + `")`
	b.eval(setJS("#view-train .replay input[type=range]", "5", "input"))
	step := int(b.eval(run + `.steps.step[5]`))
	b.waitJS("the weights of the moment", fmt.Sprintf(`(m => m !== null && Number(m[1]) <= %d)(
		/^After step (\d+)\.$/.exec(document.querySelector("#view-train canvas.weights + p + p").textContent))`, step))
	b.shot("train-replay-weights-1280x800.png")
	b.eval(`(v => { v.bar.replay.slider.value = v.bar.replay.slider.max; v.mark("steps", "epochs", "weights"); return 0 })(window.descent.views.train)`)
}

// errorCodes shows refusals by their code in both languages.
func errorCodes(b *browser) {
	b.t.Helper()
	show := func(ev string) string {
		return b.text(`(window.descent.views.train.form.error.show(` + ev + `), document.querySelector("#view-train form .error").textContent)`)
	}
	lr := `{ type: "error", code: "outOfRange", field: "config.lr", value: "0", allowed: "(0, 1000]", message: "0 is out of range" }`
	limit := `{ type: "error", code: "limit", allowed: "--max-runs-per-conn", message: "too many runs" }`
	for lang, want := range map[string][2]string{
		"en": {"Refused: Learning rate α: 0 is out of range (allowed: (0, 1000])", "Refused: a limit of the server stops this (its setting: --max-runs-per-conn)"},
		"ko": {"거부됨: 학습률 α: 0은(는) 허용 범위를 벗어납니다 (허용 범위: (0, 1000])", "거부됨: 서버의 한도에 걸렸습니다 (설정: --max-runs-per-conn)"},
	} {
		b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
		if got := show(lr); got != want[0] {
			b.t.Errorf("an outOfRange error in %s reads %q, want %q", lang, got, want[0])
		}
		if got := show(limit); got != want[1] {
			b.t.Errorf("a limit error in %s reads %q, want %q", lang, got, want[1])
		}
	}
	b.eval(`window.descent.setLanguage("en"), window.descent.views.train.form.error.attempt(), 0`)
}

// checkErrors makes the server refuse a start (0 epochs, past the form's own
// check): the refusal names the control, and the next start clears it.
func checkErrors(b *browser) {
	b.t.Helper()
	b.eval(`document.querySelector("#view-train form").noValidate = true, 0`)
	b.eval(setJS("#view-train input[name=epochs]", "0", "input"))
	b.click("#view-train form button[type=submit]")
	b.waitJS("the refusal", `/^Refused: Epochs/.test(document.querySelector("#view-train form .error").textContent)`)
	b.shot("train-refused-1280x800.png")
	n := b.eval(`window.descent.store.runs.size`)
	b.eval(setJS("#view-train input[name=epochs]", "1", "input"))
	b.click("#view-train form button[type=submit]")
	b.waitJS("the next run, the refusal gone", fmt.Sprintf(`window.descent.store.runs.size > %g && document.querySelector("#view-train form .error").textContent === ""`, n))
	b.waitJS("that run done", lastRun+`.info.status === "done"`)
}
