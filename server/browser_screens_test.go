package server_test

import (
	"fmt"
	"testing"
	"time"

	"descent/server"
	"descent/server/figures"
)

var (
	sizes = [][2]int64{{1280, 800}, {390, 844}}
	views = []string{"train", "compare", "surface", "draw"}
	langs = []string{"en", "ko"}
)

// TestBrowserFirstScreens opens each view (Train, Compare, Surface, Draw) on
// a projector's 1280×800 and a phone's 390×844, in English and in Korean,
// and saves its first screen as <view>-<lang>-<w>x<h>.png. On each: Start
// (and the Compare view's Start comparison) lies inside the first screen
// with nothing over it; the Train view offers the report's run at once on
// the projector; Hyperparameters shows that it opens; the checks of every
// view hold (labels in words, Korean only, 44 px targets on the phone); and
// the page's colours are the figures' (figures.Palette).
func TestBrowserFirstScreens(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 1})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	checkPalette(b)
	for _, size := range sizes {
		b.size(size[0], size[1])
		phone := size[0] < 500
		for _, lang := range langs {
			b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
			for _, view := range views {
				where := fmt.Sprintf("%s view at %d×%d in %s", view, size[0], size[1], lang)
				b.eval(`document.querySelector("#tab-` + view + `").click(), window.scrollTo(0, 0), 0`)
				time.Sleep(500 * time.Millisecond)
				b.checkView(where, phone, lang)
				b.checkFirstScreen(where, view, phone)
				b.shot(fmt.Sprintf("%s-%s-%dx%d.png", view, lang, size[0], size[1]))
			}
		}
	}
}

// checkFirstScreen checks what the first screen of view must show.
func (b *browser) checkFirstScreen(where, view string, phone bool) {
	b.t.Helper()
	starts := map[string]string{"train": "#view-train form button[type=submit]", "compare": "#view-compare form button[type=submit]",
		"surface": "#view-surface [data-act=surfPlay]", "draw": "#draw-canvas"}
	if !b.truth(inViewJS(starts[view])) {
		b.t.Errorf("%s: %s is not in the first screen", where, starts[view])
	}
	if view == "train" && !phone && !b.truth(inViewJS("#view-train [data-act=trainReport]")) {
		b.t.Errorf("%s: the report's run is not offered in the first screen", where)
	}
	if view == "train" && b.text(`getComputedStyle(document.querySelector("#view-train details.more > summary"), "::before").content`) != `"▸"` {
		b.t.Errorf("%s: Hyperparameters does not show that it opens", where)
	}
	if view == "surface" && phone && !b.truth(inViewJS("#view-surface .surf-summary")) {
		b.t.Errorf("%s: the settings bar is not above the map", where)
	}
}

// checkPalette compares the page's palette with the figures'.
func checkPalette(b *browser) {
	b.t.Helper()
	page := b.list(`window.descent.palette`)
	if len(page) != len(figures.Palette) {
		b.t.Fatalf("the page has %d colours, the figures %d", len(page), len(figures.Palette))
	}
	for i, c := range figures.Palette {
		if page[i] != figures.Hex(c) {
			b.t.Errorf("colour %d: the page's %s, the figures' %s", i, page[i], figures.Hex(c))
		}
	}
}
