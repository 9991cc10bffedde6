package server_test

import (
	"fmt"
	"math"
	"regexp"
	"time"
)

// landCompare trains three rates in the Compare view and draws them on one
// plane: three tracks in the lanes' order and colours, all from the same
// initial weights, with the plane's share of each path said; then the 1-D
// chart of the three.
func landCompare(b *browser) {
	b.t.Helper()
	b.click("#tab-compare")
	b.eval(setJS("#view-compare input[name=rates]", "0.05, 0.5, 2", "input"))
	b.eval(setJS("#view-compare input[name=epochs]", "1", "input"))
	b.eval(setJS("#view-compare select[name=cmpPace]", "0", "change"))
	b.click("#view-compare form button[type=submit]")
	b.waitJS("the comparison done", `/^3 done$/.test(document.querySelector("#view-compare .sweep-state").textContent)`)
	b.click("#view-compare [data-act=landLink]")
	b.waitJS("Show the landscape in sight", inViewJS("#view-compare [data-act=landShow]"))
	b.click("#view-compare [data-act=landShow]")
	b.waitJS("the comparison's slice", comparePanel+`.slice && `+comparePanel+`.slice.state === "done"`)
	lanes := b.list(`window.descent.views.compare.groups().get(window.descent.views.compare.sweep).map((r) => r.id)`)
	tracks := b.list(comparePanel + `.slice.tracks.map((t) => t.run)`)
	if fmt.Sprint(lanes) != fmt.Sprint(tracks) || len(tracks) != 3 {
		b.t.Fatalf("the plane's tracks are %v, the lanes %v: want the three lanes in their order", tracks, lanes)
	}
	starts := b.list(comparePanel + `.slice.tracks.map((t) => t.step[0] + " " + t.a[0] + " " + t.b[0])`)
	var a0, b0 float64
	for i, s := range starts {
		var step int
		var a, c float64
		fmt.Sscanf(s, "%d %g %g", &step, &a, &c)
		if i == 0 {
			a0, b0 = a, c
		}
		if step != 0 || math.Abs(a-a0) > 1e-9 || math.Abs(c-b0) > 1e-9 {
			b.t.Errorf("track %d starts at step %d at (%g, %g), the first at (%g, %g): the lanes share no θ₀ on this plane", i, step, a, c, a0, b0)
		}
	}
	colours := b.list(`[...document.querySelectorAll("#land-compare .land-legend-item[data-run] .swatch")].map((s) => s.style.background)`)
	want := b.list(`window.descent.palette.slice(0, 3).map((c) => { const n = parseInt(c.slice(1), 16); return "rgb(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ")"; })`)
	if fmt.Sprint(colours) != fmt.Sprint(want) {
		b.t.Errorf("the tracks' swatches are %v, want the lanes' colours %v", colours, want)
	}
	if got := b.text(`document.querySelector("#land-compare .land-explained").textContent`); !regexp.MustCompile(`^This plane holds \d+ % of each path on average`).MatchString(got) {
		b.t.Errorf("the comparison's plane says %q", got)
	}
	landMenu(b, "#land-compare .dl-head", `"200 image/png,200 image/svg+xml,200 text/csv; charset=utf-8,200 application/json"`)
	landLine(b, "#view-compare", 3)
}

// landScreens shoots the view's panel at 1280×800 and 390×844 in English
// and Korean, after the checks of every view; the run bar's link stays in
// the first screen, and the primary action is in sight once the link is
// followed.
func landScreens(b *browser, view, sel string) {
	b.t.Helper()
	for _, size := range sizes {
		b.size(size[0], size[1])
		phone := size[0] < 500
		for _, lang := range langs {
			where := fmt.Sprintf("the %s view's landscape at %d×%d in %s", view, size[0], size[1], lang)
			b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), window.scrollTo(0, 0), 0`, lang))
			time.Sleep(300 * time.Millisecond)
			link := "#view-" + view + " [data-act=landLink]" // in the run bar; on a phone beside Start
			if phone {
				link = "#view-" + view + " [data-act=landJump]"
			}
			if !b.truth(inViewJS(link)) {
				b.t.Errorf("%s: the link to the landscape is not in the first screen", where)
			}
			b.shot(fmt.Sprintf("landscape-%s-first-%s-%dx%d.png", view, lang, size[0], size[1]))
			b.click(link)
			b.waitJS(where+": Show the landscape in sight", inViewJS("#view-"+view+" [data-act=landShow]"))
			b.checkView(where, phone, lang)
			b.shot(fmt.Sprintf("landscape-%s-%s-%dx%d.png", view, lang, size[0], size[1]))
			b.eval(`document.querySelector("` + sel + ` .land-stage").scrollIntoView({ block: "center" }), 0`)
			b.shot(fmt.Sprintf("landscape-%s-map-%s-%dx%d.png", view, lang, size[0], size[1]))
			b.eval(`document.querySelector("` + sel + ` .land-line").scrollIntoView({ block: "start" }), 0`)
			b.shot(fmt.Sprintf("landscape-%s-line-%s-%dx%d.png", view, lang, size[0], size[1]))
		}
	}
	b.size(1280, 800)
	b.eval(`window.descent.setLanguage("en"), 0`)
}
