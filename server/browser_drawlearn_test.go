package server_test

import (
	"fmt"
	"regexp"
	"time"
)

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }

const learnPanel = `document.querySelector('#draw-learn')`

// stepUntil presses Step until the copy classifies the drawing as label
// (50 steps at most) and returns the steps taken.
func stepUntil(b *browser, label int) int {
	b.t.Helper()
	for k := 1; k <= 50; k++ {
		b.click("#ln-step")
		b.waitJS(fmt.Sprintf("step %d", k), fmt.Sprintf(`%s.dataset.steps === "%d"`, learnPanel, k))
		if int(b.eval(`Number(`+learnPanel+`.dataset.top)`)) == label {
			return k
		}
	}
	b.t.Fatalf("after 50 steps at α = 0.02 the drawing is still a %s, want %d", b.text(learnPanel+`.dataset.top`), label)
	return 0
}

// checkLearn picks a label the network gets wrong and steps a copy at
// α = 0.02 until the drawing is classified as it: the loss on the drawing
// falls and the accuracy on 1,000 test images is shown before and after.
// One step at α = 5 costs accuracy on the other digits, and the panel says
// so. Reset goes back to the network's weights, and the same steps follow.
func checkLearn(b *browser) int {
	b.t.Helper()
	b.click(`.draw-jump button:nth-of-type(3)`)
	top := int(b.eval(`Number(document.querySelector('#view-draw').dataset.top)`))
	label := (top + 1) % 10
	b.click("#ln-step")
	b.waitJS("a step refused without a label", `/Pick the true label first/.test(`+learnPanel+`.textContent)`)
	b.click(fmt.Sprintf(`#draw-learn fieldset.chips input[value="%d"]`, label))
	b.eval(setJS("#draw-learn input[name=lr]", "0.02", "input"))
	n := stepUntil(b, label)
	learn := `window.descent.views.draw.learn.steps`
	if !b.truth(fmt.Sprintf(`%s[0].lossBefore > %s[%s.length - 1].lossAfter && %s[0].topBefore === %d`, learn, learn, learn, learn, top)) {
		b.t.Errorf("the steps: %s, want the loss on the drawing lower and the first step from the network's %d", b.text(`JSON.stringify(`+learn+`)`), top)
	}
	for _, want := range []string{"Accuracy on 1,000 test images", "Loss on the drawing J = −log p", "‖Δθ‖ = ", fmt.Sprintf("the copy now says %d, the label", label)} {
		if !b.truth(fmt.Sprintf(`%s.textContent.includes(%q)`, learnPanel, want)) {
			b.t.Errorf("the learn panel does not say %q", want)
		}
	}
	b.t.Logf("the drawing of a %d is a %d after %d steps at α = 0.02", top, label, n)
	b.eval(`document.querySelector('.ln-head').scrollIntoView({block: "start"}), 0`)
	b.shot("draw-learn-en-1280x800.png")
	resetCopy(b)
	// Too large a step learns the drawing and forgets the other digits.
	b.eval(setJS("#draw-learn input[name=lr]", "5", "input"))
	b.click("#ln-step")
	b.waitJS("one step at α = 5", learnPanel+`.dataset.steps === "1"`)
	if !b.truth(learn + `[0].accuracyAfter < ` + learn + `[0].accuracyBefore - 0.05 && document.querySelector('.ln-forget') !== null`) {
		b.t.Errorf("a step at α = 5: %s, want the accuracy on the test images 5 points lower, and said", b.text(`JSON.stringify(`+learn+`[0])`))
	}
	b.eval(`document.querySelector('.ln-head').scrollIntoView({block: "start"}), 0`)
	b.shot("draw-learn-large-en-1280x800.png")
	resetCopy(b)
	b.eval(setJS("#draw-learn input[name=lr]", "0.02", "input"))
	if again := stepUntil(b, label); again != n {
		b.t.Errorf("after Reset the drawing is learnt in %d steps, before in %d: want the same steps from the same weights", again, n)
	}
	return label
}

// resetCopy presses Reset and waits for the copy back at the network's weights.
func resetCopy(b *browser) {
	b.t.Helper()
	b.click("#ln-reset")
	b.waitJS("the copy reset", learnPanel+`.dataset.steps === "0" && document.querySelector('.ln-result').children.length === 0 &&
		window.descent.views.draw.learn.copy.info && window.descent.views.draw.learn.copy.info.steps === 0`)
}

// checkKeep keeps the copy as a model: the picker lists it, it answers the
// drawing as the copy learnt it, and it downloads.
func checkKeep(b *browser, url string, label int) {
	b.t.Helper()
	name := fmt.Sprintf("내 숫자 %d", label)
	b.eval(fmt.Sprintf(`document.querySelector('#ln-name').value = %q, 0`, name))
	b.click("#ln-keep")
	b.waitJS("the kept model in the picker", fmt.Sprintf(`document.querySelector('#ln-use') !== null &&
		[...document.querySelectorAll('#draw-model option')].some(o => o.value === "model:" + %q)`, name))
	b.click("#ln-use")
	b.waitJS("the kept model's answer", fmt.Sprintf(`document.querySelector('.draw-by').textContent === "Answered by the saved model " + %q &&
		document.querySelector('#view-draw').dataset.top === "%d"`, name, label))
	b.eval(`window.fetched = null, fetch(document.querySelector('#ln-download').href).then(r => { window.fetched = r.status + " " + r.headers.get("content-disposition") }), 0`)
	b.waitJS("the download", `window.fetched !== null`)
	if got := b.text(`window.fetched`); !regexpMatch(`^200 .*\.descent`, got) {
		b.t.Errorf("the kept model's download: %s", got)
	}
	b.shot("draw-kept-en-1280x800.png")
}

// drawScreens saves the view's first screen and the whole view with its
// panels open at both sizes in both languages, with the checks of every
// view on all of it.
func drawScreens(b *browser) {
	b.t.Helper()
	for _, size := range sizes {
		b.size(size[0], size[1])
		phone := size[0] < 500
		for _, lang := range langs {
			where := fmt.Sprintf("the Draw view at %d×%d in %s", size[0], size[1], lang)
			b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
			b.eval(`document.querySelectorAll('details.draw-panel').forEach((d) => { d.open = false; }), 0`)
			time.Sleep(600 * time.Millisecond)
			b.checkDrawScreen(where, phone)
			b.shot(fmt.Sprintf("draw-first-%s-%dx%d.png", lang, size[0], size[1]))
			b.eval(`document.querySelectorAll('details.draw-panel').forEach((d) => { d.open = true; }), 0`)
			b.waitJS("the layers at "+where, `document.querySelector('#draw-chain').dataset.units === "100-10"`)
			time.Sleep(400 * time.Millisecond)
			b.checkView(where, phone, lang)
			b.fullShot(fmt.Sprintf("draw-full-%s-%dx%d.png", lang, size[0], size[1]), size[0])
		}
	}
}
