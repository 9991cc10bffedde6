package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"descent/server"
)

// TestBrowserLessons opens every step of every lesson in English and in
// Korean: the step shows its words, its Try it opens the view that its link
// names with every setting of the link (nothing ignored, no error on the
// page), the surface's paths start by themselves where the link says go=1,
// and a network run waits for Start. Each lesson is saved at 1280×800 and
// 390×844, and the Lessons view passes the checks of every view.
func TestBrowserLessons(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 1})
	b := openPage(t, ts.URL+"/#v=lessons", 1280, 800, "en")
	states := b.lessonStates()
	if len(states) != 8 {
		t.Fatalf("%d lessons, want 8", len(states))
	}
	for _, lang := range langs {
		b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
		for l, steps := range states {
			if len(steps) < 3 || len(steps) > 6 {
				t.Errorf("lesson %d has %d steps, want 3 to 6", l+1, len(steps))
			}
			for k, state := range steps {
				b.tryStep(l+1, k+1, state, lang)
			}
		}
	}
	if n := b.eval(`Object.values(JSON.parse(localStorage.getItem("descent.lessons"))).filter((v) => v === 2).length`); int(n) != countSteps(states) {
		t.Errorf("%g steps kept as tried, want %d", n, countSteps(states))
	}
	if n := b.eval(`window.descent.store.runs.size`); n != 0 {
		t.Errorf("the lessons started %g network runs without a click", n)
	}
	t.Logf("the longest lesson link: %d characters with %s", b.longest, ts.URL+"/#")
	lessonScreens(b, states)
	tryInSight(b, states)
}

// tryInSight checks on the phone, in both languages, that every step's Try
// it lies in the first screen of its step.
func tryInSight(b *browser, states [][]string) {
	b.t.Helper()
	b.size(390, 844)
	for _, lang := range langs {
		b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
		for l, steps := range states {
			for k := range steps {
				b.openStep(l+1, k+1)
				if !b.truth(inViewJS("#view-lessons [data-act=lessonTry]")) {
					b.t.Errorf("lesson %d step %d at 390×844 in %s: Try it is not in the first screen", l+1, k+1, lang)
				}
			}
		}
	}
}

func countSteps(states [][]string) int {
	n := 0
	for _, s := range states {
		n += len(s)
	}
	return n
}

// lessonStates are the Try it links of every step, by lesson.
func (b *browser) lessonStates() [][]string {
	b.t.Helper()
	n := int(b.eval(`window.descent.views.lessons.states.length`))
	out := make([][]string, n)
	for i := range out {
		out[i] = b.list(fmt.Sprintf(`window.descent.views.lessons.states[%d]`, i))
	}
	return out
}

// openStep opens step k of lesson l in the Lessons view through its link.
func (b *browser) openStep(l, k int) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`window.descent.links.apply("v=lessons&lesson=%d&step=%d"), window.scrollTo(0, 0), 0`, l, k))
	b.waitJS("the step shown", fmt.Sprintf(`!document.querySelector("#view-lessons").hidden &&
		document.querySelector("#view-lessons [data-step='%d']").getAttribute("aria-current") === "step" &&
		document.querySelector("#view-lessons .lesson-text").textContent.length > 40 &&
		document.querySelector("#view-lessons .lesson-q p").textContent.length > 10`, k))
}

// tryStep opens a step, presses its Try it and checks the view it opens.
func (b *browser) tryStep(l, k int, state, lang string) {
	b.t.Helper()
	where := fmt.Sprintf("lesson %d step %d (%s)", l, k, lang)
	b.openStep(l, k)
	b.click("#view-lessons [data-act=lessonTry]")
	view := strings.TrimPrefix(strings.Split(state, "&")[0], "v=")
	b.waitJS(where+": its view", `!document.querySelector("#view-`+view+`").hidden && !document.querySelector(".lesson-banner").hidden`)
	// Every pair of the link is in the page's state now (go and at act once and are not kept).
	bad := b.list(fmt.Sprintf(`(() => { const want = %q.split("&").filter((p) => !/^(go|at)=/.test(p));
		const got = new Set(window.descent.links.state().split("&"));
		return want.filter((p) => !got.has(p)).map((p) => "missing " + p)
			.concat([...got].filter((p) => !want.includes(p) && !/^(lesson|step)=/.test(p)).map((p) => "extra " + p)); })()`, state))
	if len(bad) > 0 {
		b.t.Errorf("%s: the view's state after Try it differs from %q: %q", where, state, bad)
	}
	if got := b.text(`window.descent.links.state().match(/lesson=\d+&step=\d+/)[0]`); got != fmt.Sprintf("lesson=%d&step=%d", l, k) {
		b.t.Errorf("%s: the state names %s", where, got)
	}
	if b.truth(`!document.querySelector(".link-note").hidden`) {
		b.t.Errorf("%s: the page ignored part of the lesson's link: %s", where, b.text(`document.querySelector(".link-note").textContent`))
	}
	if n := len(b.text(`window.descent.links.url()`)); n > b.longest {
		b.longest = n
	}
	if i := strings.Index(state, "at="); i >= 0 {
		at := strings.Split(state[i+3:], "&")[0]
		b.waitJSFor(where+": scrolled to "+at, 5*time.Second, fmt.Sprintf(`(() => { const el = document.querySelector(window.descent.links.focusParts[%q]);
			const r = el.getBoundingClientRect(); return r.height === 0 || (r.top >= 0 && r.top < innerHeight - 40); })()`, at))
	}
	if strings.Contains(state, "go=1") {
		b.waitJS(where+": the paths drawn", `window.descent.surface.set && window.descent.surface.set.trajs.every((tr) => tr.points.length > 1)`)
	}
	if errs := b.list(`window.descentErrors`); len(errs) > 0 {
		b.t.Fatalf("%s: errors on the page: %q", where, errs)
	}
}

// lessonScreens saves each lesson's first step and one Try it at both
// sizes (English on the projector, Korean on the phone), with the checks of
// every view on the Lessons view.
func lessonScreens(b *browser, states [][]string) {
	b.t.Helper()
	shown := []int{3, 1, 3, 2, 2, 1, 3, 3} // the step of each lesson whose Try it is saved
	for _, s := range []struct {
		w, h int64
		lang string
	}{{1280, 800, "en"}, {390, 844, "ko"}} {
		b.size(s.w, s.h)
		b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, s.lang))
		phone := s.w < 500
		for l := range states {
			b.openStep(l+1, 1)
			where := fmt.Sprintf("lesson %d at %d×%d in %s", l+1, s.w, s.h, s.lang)
			b.checkView(where, phone, s.lang)
			if !b.truth(inViewJS("#view-lessons [data-act=lessonTry]")) {
				b.t.Errorf("%s: Try it is not in the first screen", where)
			}
			b.shot(fmt.Sprintf("lesson%d-%s-%dx%d.png", l+1, s.lang, s.w, s.h))
			b.tryStep(l+1, shown[l], states[l][shown[l]-1], s.lang)
			time.Sleep(300 * time.Millisecond) // the link's at= scrolls in the next frame
			b.checkView(where+", its Try it", phone, s.lang)
			b.shot(fmt.Sprintf("lesson%d-try-%s-%dx%d.png", l+1, s.lang, s.w, s.h))
		}
	}
}
