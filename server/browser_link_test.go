package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"descent/server"
)

// fullStates set every setting of each view away from its default, in the
// order the page writes them, so that applying one and reading the page's
// state back gives the same string.
var fullStates = []string{
	"v=train&h=32&a=tanh&o=adam&hp=beta1:0.8,amsgrad:1&lr=0.003&b=1&e=3&seed=7&p=1&n=500&sh=0&sc=step&scp=stepSize:50,gamma:0.5",
	"v=train&o=momentum&hp=momentum:0.5,dampening:0.1,weightDecay:0.001&b=all&e=20&p=0&n=2000&sc=cosine&scp=tMax:200",
	"v=compare&o=momentum&rs=0.02,0.2,2&b=256&e=3&seed=5&p=0&n=800&sh=1",
	"v=compare&m=o&os=sgd:0.05,nesterov:0.02,rmsprop:0.002,adamw:0.003&b=16&e=1&p=1",
	"v=compare&m=b&bs=1,all&lr=0.05&e=1&seed=9",
	"v=surface&fn=quadratic&fp=cond:100,angle:30&s=-3,2&m=r&o=adam:0.05:beta1=0.8&rs=0.01,0.02&st=500&tol=1e-8&d=-4,4,-3,3",
	"v=surface&fn=beale&o=gd:0.002,adam:0.05:beta1=0.8:amsgrad=1,newton-ls:damping=2,cg:fletcherReeves=1,bfgs,rmsprop:0.01:alpha=0.9:centered=1&st=1500&d=-1.5,4.5,-1.25,2.5",
	"v=lessons&lesson=3&step=2",
}

// longestSurfaceJS builds the longest surface set-up: the most optimizers
// the server takes, each method in turn with α and every hyperparameter
// away from its default, and every other setting given.
const longestSurfaceJS = `(() => { const H = window.descent.store.hello, rows = [];
	for (let i = 0; i < H.surface.maxOptimizers; i++) {
		const sp = H.optimizers[i % H.optimizers.length], parts = [sp.name];
		if (sp.params.some((p) => p.name === "lr")) parts.push("0.0123");
		for (const p of sp.params) if (p.name !== "lr") parts.push(p.name + "=" + (p.bool ? 1 - p.default : Number(((p.min + p.max) / 3 + 0.0001234).toPrecision(6))));
		rows.push(parts.join(":"));
	}
	return "v=surface&fn=quadratic&fp=cond:1234.56,angle:-12.3456&s=-3.21,2.345&o=" + rows.join(",") + "&st=12345&tol=1.5e-7&d=-4.123,4.567,-3.891,3.012"; })()`

// TestBrowserLink checks the URL state of every view: each setting
// round-trips through the page (applied from a link, read back the same,
// written into the address); a copied link opened in a fresh page sets the
// view up the same; a link with unknown or out-of-range values opens the
// view at its defaults and says, in the page's language, what it ignored;
// and links to finished runs, a comparison and a run that answers drawings
// open them on another page.
func TestBrowserLink(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 2})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	for _, s := range fullStates {
		b.roundTrip(s)
	}
	checkFormValues(b)
	longest := b.text(longestSurfaceJS)
	b.roundTrip(longest)
	t.Logf("a full surface set-up (%d optimizers, every hyperparameter set): %d characters", int(b.eval(`window.descent.store.hello.surface.maxOptimizers`)), len(longest))
	if len(longest) > 1000 {
		t.Errorf("a full surface set-up takes %d characters, want well under 2,000", len(longest))
	}
	fresh := openPage(t, ts.URL+"/", 390, 844, "ko")
	for _, s := range []string{fullStates[0], fullStates[3], fullStates[6]} {
		b.eval(fmt.Sprintf(`window.descent.links.apply(%q), 0`, s))
		b.click("[data-act=copyLink]")
		b.waitJS("the link to copy", `document.querySelector(".link-field").value.includes("#v=")`)
		url := b.text(`document.querySelector(".link-field").value`)
		if !strings.HasPrefix(url, ts.URL+"/#") {
			t.Errorf("the copied link %q is not this server's page", url)
		}
		fresh.open(url)
		if got := fresh.text(`window.descent.links.state()`); got != s {
			t.Errorf("a fresh page opened from the copied link has\n%s, want\n%s", got, s)
		}
	}
	fresh.shot("link-surface-ko-390x844.png")
	badLinks(b)
	fuzzLinks(b)
	runLinks(b, fresh, ts.URL)
}

// fuzzLinks applies 400 links of random keys and values (numbers huge and
// tiny, lists, bad escapes, other scripts): none may throw or leave an
// error on the page, and each view still gives a state that applies cleanly.
func fuzzLinks(b *browser) {
	b.t.Helper()
	bad := b.list(`(() => {
		const keys = ["v", "lesson", "step", "at", "go", "h", "a", "o", "hp", "lr", "b", "e", "seed", "p", "n", "sh", "sc", "scp", "run",
			"m", "rs", "os", "bs", "sweep", "fn", "fp", "s", "st", "tol", "d", "net", "zz"];
		const views = ["train", "compare", "surface", "draw", "lessons", "x"];
		const atoms = ["", "0", "-1", "1", "2", "64", "all", "1e308", "-1e-308", "NaN", "Infinity", "0.5", "abc", "%ZZ", "%", "가나", "=", ",", ":",
			"gd", "adam", "newton", "bfgs", "quadratic", "cond", "beta1", "step", "r1", "s1", "model:x", "hess", "1,2", "1,2,3,4", "a:b:c"];
		let seed = 7; const rnd = (n) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return (seed >>> 8) % n; };
		const value = () => Array.from({ length: 1 + rnd(4) }, () => atoms[rnd(atoms.length)]).join([",", ":", "=", ""][rnd(4)]);
		const out = [];
		let noted = 0;
		for (let i = 0; i < 400; i++) {
			const pairs = ["v=" + views[rnd(views.length)]];
			for (let j = rnd(8); j > 0; j--) pairs.push(keys[rnd(keys.length)] + "=" + value());
			const s = pairs.join("&");
			try {
				if (window.descent.links.apply(s).length) noted++;
				const back = window.descent.links.state();
				const notes = window.descent.links.apply(back);
				if (notes.length) out.push(s + " → " + back + " is not clean: " + notes.map((n) => n.key + "=" + n.value).join(" "));
			} catch (e) { out.push(s + ": " + e); }
		}
		if (noted < 200) out.push("only " + noted + " of 400 random links had a value to ignore");
		return out.concat(window.descentErrors); })()`)
	if len(bad) > 0 {
		b.t.Errorf("random links: %d failures, the first: %q", len(bad), bad[:min(len(bad), 5)])
	}
}

// roundTrip applies state s and reads it back from the page and its address.
func (b *browser) roundTrip(s string) {
	b.t.Helper()
	notes := b.list(fmt.Sprintf(`window.descent.links.apply(%q).map((n) => n.key + "=" + n.value)`, s))
	if len(notes) > 0 {
		b.t.Errorf("%s: the page ignored %q", s, notes)
	}
	if got := b.text(`window.descent.links.state()`); got != s {
		b.t.Errorf("the state does not round-trip:\n got %s\nwant %s", got, s)
	}
	if got := b.text(`decodeURIComponent(location.hash)`); got != "#"+s {
		b.t.Errorf("the address holds %s, want #%s", got, s)
	}
	if errs := b.list(`window.descentErrors`); len(errs) > 0 {
		b.t.Fatalf("%s: errors on the page: %q", s, errs)
	}
}

// checkFormValues checks that a link sets the controls themselves, not only the state.
func checkFormValues(b *browser) {
	b.t.Helper()
	b.eval(fmt.Sprintf(`window.descent.links.apply(%q), 0`, fullStates[0]))
	got := b.text(`(() => { const f = window.descent.views.train.form, c = f.config();
		return [c.arch.hidden[0], c.arch.activation, c.optimizer, JSON.stringify(c.hyper), c.lr, c.batch, c.epochs, c.seed, c.trainExamples,
			f.pace.value, f.data.track.checked, JSON.stringify(c.schedule), document.querySelector("#view-train .formula-values").textContent.includes("α = 0.003")].join(" ") })()`)
	want := `32 tanh adam {"beta1":0.8,"amsgrad":1} 0.003 1 3 7 500 1 false {"kind":"step","stepSize":50,"gamma":0.5} true`
	if got != want {
		b.t.Errorf("the Train form after the link: %s, want %s", got, want)
	}
	b.eval(fmt.Sprintf(`window.descent.links.apply(%q), 0`, fullStates[5]))
	got = b.text(`(() => { const s = window.descent.surface, f = s.form;
		return [f.fnSel.value, JSON.stringify(f.fp.get()), s.start.join(","), f.modeSel.value, JSON.stringify(s.optimizers()), f.steps.value, f.tol.value,
			JSON.stringify(s.stage.view)].join(" ") })()`)
	want = `quadratic {"cond":100,"angle":30} -3,2 rates [{"method":"adam","params":{"beta1":0.8,"lr":0.01},"label":"Adam α=0.01"},{"method":"adam","params":{"beta1":0.8,"lr":0.02},"label":"Adam α=0.02"}] 500 1e-8 {"xMin":-4,"xMax":4,"yMin":-3,"yMax":3}`
	if got != want {
		b.t.Errorf("the surface after the link:\n got %s\nwant %s", got, want)
	}
}

// open navigates the page to url and waits until it is built.
func (b *browser) open(url string) {
	b.t.Helper()
	b.run(chromedp.Navigate("about:blank"), chromedp.Navigate(url))
	b.waitJS("page ready", `document.body.dataset.ready === "1"`)
}

// badLinks opens links with values the page cannot use: the view opens at
// its defaults for those, and the note lists each in the page's language.
func badLinks(b *browser) {
	b.t.Helper()
	cases := []struct{ state, want string }{
		{"v=train&h=0&a=swish&o=newton&lr=abc&b=7&e=5000&hp=momentum:2&zz=1&run=r99",
			"h=0 a=swish o=newton hp=momentum:2 lr=abc e=5000 b=7 run=r99 zz=1"},
		{"v=surface&fn=nope&o=gd:-1,foo,adam:0.1:beta9=1&s=a,b&d=1,0,0,1&st=0&go=2",
			"fn=nope s=a,b o=gd:-1 o=foo o=beta9:1 st=0 d=1,0,0,1 go=2"},
		{"v=compare&m=x&rs=0,1&os=newton:1&bs=3&sweep=s99", "m=x rs=0,1 os=newton:1 bs=3 sweep=s99"},
		{"v=nowhere&lesson=99", "v=nowhere lesson=99"},
		{"v=lessons&lesson=99&step=-1", "lesson=99 step=-1"},
		{"v=draw&net=r99", "net=r99"},
	}
	for _, lang := range langs {
		b.eval(fmt.Sprintf(`window.descent.setLanguage(%q), 0`, lang))
		for _, c := range cases {
			got := strings.Join(b.list(fmt.Sprintf(`window.descent.links.apply(%q).map((n) => n.key + "=" + n.value)`, c.state)), " ")
			if got != c.want {
				b.t.Errorf("%s: ignored %q, want %q", c.state, got, c.want)
			}
			note := b.text(`(() => { const n = document.querySelector(".link-note"); return n.hidden ? "" : n.textContent; })()`)
			word := map[string]string{"en": "ignored", "ko": "무시했습니다"}[lang]
			if !strings.Contains(note, word) || !strings.Contains(note, strings.Fields(c.want)[0]) {
				b.t.Errorf("%s in %s: the note reads %q", c.state, lang, note)
			}
			if errs := b.list(`window.descentErrors`); len(errs) > 0 {
				b.t.Fatalf("%s: errors on the page: %q", c.state, errs)
			}
		}
		b.shot("link-bad-" + lang + "-1280x800.png")
	}
	b.eval(`window.descent.setLanguage("en"), 0`)
	if got := b.text(`(window.descent.links.apply("v=train&h=0&lr=abc"), window.descent.links.state())`); got != "v=train" {
		b.t.Errorf("a train link of bad values leaves the state %s, want the defaults", got)
	}
}

// runLinks trains two small runs and a comparison on the first page, then
// opens links to the older run, to the comparison and to the run answering
// drawings on the fresh page.
func runLinks(b, fresh *browser, base string) {
	b.t.Helper()
	start := func(state, view string) {
		b.eval(fmt.Sprintf(`window.descent.links.apply(%q), 0`, state))
		b.click("#view-" + view + " form button[type=submit]")
	}
	start("v=train&b=all&e=2&p=0&n=200", "train")
	b.waitJS("the first run done", `window.descent.store.run("r1") && window.descent.store.run("r1").info.status === "done"`)
	start("v=train&b=all&e=3&p=0&n=300", "train")
	b.waitJS("the second run done", `window.descent.store.run("r2") && window.descent.store.run("r2").info.status === "done"`)
	start("v=compare&rs=0.1,0.5&e=1&p=0&n=200", "compare")
	b.waitJS("the comparison done", `[...window.descent.store.runs.values()].filter((r) => r.info.sweep === "s1" && r.info.status === "done").length === 2`)
	b.eval(`document.querySelector("#tab-train").click(), window.descent.views.train.watch("r1"), 0`)
	b.waitJS("the link to r1", `window.descent.links.url().endsWith("&run=r1")`)
	want := b.text(`window.descent.links.state()`)
	fresh.open(b.text(`window.descent.links.url()`))
	fresh.waitJS("r1 watched from its link", `window.descent.views.train.current === "r1" && document.querySelector("#view-train .runbar select").value === "r1" &&
		window.descent.store.run("r1").steps.step.length > 0 && !document.querySelector("#view-train").hidden`)
	if got := fresh.text(`window.descent.links.state()`); got != want {
		fresh.t.Errorf("the fresh page's state from r1's link is %s, want %s", got, want)
	}
	fresh.open(base + "/#v=compare&sweep=s1")
	fresh.waitJS("the comparison from its link", `window.descent.views.compare.sweep === "s1" && document.querySelectorAll("#view-compare table.results tbody tr").length === 2`)
	fresh.open(base + "/#v=draw&net=r1")
	fresh.waitJS("r1 answers drawings from its link", `document.querySelector("#draw-model").value === "r1"`)
	if n := fresh.list(`window.descent.links.bar.notes.map((n) => n.key)`); len(n) > 0 {
		fresh.t.Errorf("the run links ignored %q", n)
	}
}
