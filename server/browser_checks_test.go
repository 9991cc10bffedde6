package server_test

import (
	"fmt"
	"strings"
)

// The checks that every view must pass, as JavaScript that returns a list
// of what is wrong (empty when all is well).

// visibleJS defines visible(el): shown on the page (not in a closed details, not hidden).
const visibleJS = `const visible = (el) => { const r = el.getBoundingClientRect();
	return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden" && !el.closest("details:not([open]) > :not(summary)"); };`

// camelCaseJS lists the labels, legends, headings, buttons and options that
// show a code name such as "weightDecay" instead of words.
const camelCaseJS = `(() => { ` + visibleJS + `
	const out = [];
	for (const el of document.querySelectorAll("label, legend, summary, th, button, option, h2, h3, h4, .hint, .surf-legend-item, .u-legend th")) {
		if (el.tagName !== "OPTION" && !visible(el)) continue;
		const text = [...el.childNodes].filter((n) => n.nodeType === 3 || n.tagName !== "CODE").map((n) => n.textContent).join(" ");
		for (const w of text.match(/\b[a-z]+[A-Z][A-Za-z]*\b/g) || []) out.push(w + " in «" + text.trim().slice(0, 60) + "»");
	}
	return out; })()`

// allowedLatin are the words a Korean page may show in Latin letters: the
// names of methods, data and formats, functions of a formula, the brand and
// the language switch.
var allowedLatin = []string{"SGD", "GD", "Adam", "AdamW", "Adagrad", "RMSprop", "BFGS", "AMSGrad", "MNIST", "ReLU", "tanh",
	"StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "PNG", "SVG", "CSV", "JSON", "EMA",
	"max", "min", "cos", "log", "softmax", "torch", "descent", "Descent", "English", "Liberation"}

// englishJS lists the words in Latin letters that a Korean page shows
// outside allowedLatin and outside code (torch's names).
func englishJS() string {
	allowed := `"` + strings.Join(allowedLatin, `","`) + `"`
	return `(() => { ` + visibleJS + `
	const allowed = new Set([` + allowed + `]), out = new Set();
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const el = n.parentElement;
		if (!el || el.closest("code, script, style, #lang") || (el.tagName !== "OPTION" && el.tagName !== "OPTGROUP" && !visible(el))) continue;
		for (const w of n.textContent.match(/[A-Za-z]{2,}/g) || []) if (!allowed.has(w)) out.add(w + " in «" + n.textContent.trim().slice(0, 50) + "»");
	}
	for (const g of document.querySelectorAll("optgroup")) for (const w of g.label.match(/[A-Za-z]{2,}/g) || []) if (!allowed.has(w)) out.add(w + " in the group «" + g.label + "»");
	return [...out]; })()`
}

// smallTargetsJS lists the visible controls a finger cannot hit: less than
// 44 px high (and wide, for buttons), a box or radio by its label.
const smallTargetsJS = `(() => { ` + visibleJS + `
	const out = [], name = (el) => (el.textContent || el.name || el.id || el.getAttribute("aria-label") || el.tagName).trim().slice(0, 30);
	for (const el of document.querySelectorAll("button, a[href], select, input, summary, [role=menuitem], [role=tab]")) {
		if (!visible(el) || el.type === "hidden") continue;
		let box = el, wide = el.tagName === "BUTTON" || el.tagName === "SUMMARY";
		if (el.type === "checkbox" || el.type === "radio") { box = el.closest("label") || document.querySelector('label[for="' + el.id + '"]') || el; wide = false; }
		const r = box.getBoundingClientRect();
		if (r.height < 43.5 || (wide && r.width < 43.5)) out.push(name(el) + " " + Math.round(r.width) + "×" + Math.round(r.height));
	}
	return out; })()`

// inViewJS says whether the element sel lies wholly inside the viewport and
// is the element found at its centre (nothing covers it).
func inViewJS(sel string) string {
	return fmt.Sprintf(`(() => { const el = document.querySelector(%q); if (!el) return false;
	const r = el.getBoundingClientRect();
	if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth || r.width === 0) return false;
	const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
	return at === el || el.contains(at); })()`, sel)
}

// list evaluates JavaScript that returns a list of strings.
func (b *browser) list(js string) []string { b.t.Helper(); return evalAs[[]string](b, js) }

// text evaluates JavaScript that returns a string.
func (b *browser) text(js string) string { b.t.Helper(); return evalAs[string](b, js) }

// truth evaluates JavaScript that returns a boolean.
func (b *browser) truth(js string) bool { b.t.Helper(); return evalAs[bool](b, `!!(`+js+`)`) }

// checkView runs the checks of every view on what the page shows now: no
// code names as labels, no sideways scrolling, and on a Korean page no
// English word; on a phone, no control under 44 px. where names the view,
// size and language in the failures.
func (b *browser) checkView(where string, phone bool, lang string) {
	b.t.Helper()
	b.eval(`document.querySelectorAll("details.more").forEach((d) => { d.open = true; }), 0`)
	defer b.eval(`document.querySelectorAll("details.more").forEach((d) => { d.open = false; }), 0`)
	if bad := b.list(camelCaseJS); len(bad) > 0 {
		b.t.Errorf("%s: code names as labels: %q", where, bad)
	}
	if sw := b.eval(`document.documentElement.scrollWidth - window.innerWidth`); sw > 1 {
		b.t.Errorf("%s: the page scrolls sideways by %g px", where, sw)
	}
	if lang == "ko" {
		if bad := b.list(englishJS()); len(bad) > 0 {
			b.t.Errorf("%s: English on the Korean page: %q", where, bad)
		}
	}
	if phone {
		if bad := b.list(smallTargetsJS); len(bad) > 0 {
			b.t.Errorf("%s: touch targets under 44 px: %q", where, bad)
		}
	}
}
