package server_test

import (
	"fmt"
	"testing"

	"descent/mnist"
	"descent/server"
)

// tinyData is twenty blank images: enough for the pages that train nothing.
func tinyData() *mnist.Dataset {
	return &mnist.Dataset{Images: make([]uint8, 20*mnist.InputSize), Labels: make([]uint8, 20), N: 20}
}

// setJS sets a control's value and sends the event a user's change sends.
func setJS(sel, value, event string) string {
	return fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q; el.dispatchEvent(new Event(%q, { bubbles: true })); return 0 })()`, sel, value, event)
}

// TestBrowserRates checks that each optimizer brings its own α from hello
// unless the user set one, in the Train view, the Compare view's list and
// the surface's rows; and that the update rule is written from the values
// in the form: plain SGD is θ ← θ − α∇J(θ), momentum, Nesterov and weight
// decay each change it.
func TestBrowserRates(t *testing.T) {
	needBrowser(t)
	_, ts := servePage(t, server.Config{Train: tinyData(), Test: tinyData(), Concurrent: 1})
	b := openPage(t, ts.URL+"/", 1280, 800, "en")
	// rate is a method's α on the surfaces, networkRate its α on the network.
	rate := func(optimizer string) float64 {
		return b.eval(fmt.Sprintf(`window.descent.store.hello.optimizers.find((s) => s.name === %q).params.find((p) => p.name === "lr").default`, optimizer))
	}
	networkRate := func(optimizer string) float64 {
		return b.eval(fmt.Sprintf(`window.descent.store.hello.optimizers.find((s) => s.name === %q).networkLR`, optimizer))
	}
	lr := `Number(document.querySelector("#view-train input[name=lr]").value)`
	if got, want := b.eval(lr), b.eval(`window.descent.store.hello.defaults.lr`); got != want {
		t.Errorf("Train starts with α = %g, want the report's %g", got, want)
	}
	b.eval(setJS("#view-train select[name=optimizer]", "adam", "change"))
	if got, want := b.eval(lr), networkRate("adam"); got != want {
		t.Errorf("Adam in Train: α = %g, want Adam's own %g", got, want)
	}
	b.eval(setJS("#view-train select[name=optimizer]", "sgd", "change"))
	if got := b.eval(lr); got != 0.1 {
		t.Errorf("SGD again in Train: α = %g, want 0.1", got)
	}
	b.eval(setJS("#view-train input[name=lr]", "0.05", "input"))
	b.eval(setJS("#view-train select[name=optimizer]", "rmsprop", "change"))
	if got := b.eval(lr); got != 0.05 {
		t.Errorf("RMSprop after the user set α = 0.05: α = %g, want 0.05 kept", got)
	}
	for _, o := range []string{"momentum", "adagrad", "adam"} {
		if got, want := b.eval(`Number(document.querySelector("#view-compare [name=lr-`+o+`]").value)`), networkRate(o); got != want || got == 0 {
			t.Errorf("Compare's %s: α = %g, want its own %g", o, got, want)
		}
	}
	rowLR := `Number(document.querySelectorAll("#view-surface .surf-row")[1].querySelector("input[name=lr]").value)`
	b.eval(`document.querySelector("#tab-surface").click(), 0`)
	b.eval(`(() => { const s = document.querySelectorAll("#view-surface select[name=method]")[1]; s.value = "rmsprop"; s.dispatchEvent(new Event("change", { bubbles: true })); return 0 })()`)
	if got, want := b.eval(rowLR), rate("rmsprop"); got != want {
		t.Errorf("a surface row switched to RMSprop: α = %g, want its own %g", got, want)
	}
	b.eval(`(() => { const r = document.querySelectorAll("#view-surface .surf-row")[1]; const i = r.querySelector("input[name=lr]");
		i.value = "0.02"; i.dispatchEvent(new Event("input", { bubbles: true }));
		const s = r.querySelector("select[name=method]"); s.value = "adam"; s.dispatchEvent(new Event("change", { bubbles: true })); return 0 })()`)
	if got := b.eval(rowLR); got != 0.02 {
		t.Errorf("a surface row switched to Adam after the user set α = 0.02: α = %g, want 0.02 kept", got)
	}
	checkRules(b)
}

// checkRules follows the Train view's update rule through the settings of SGD.
func checkRules(b *browser) {
	b.t.Helper()
	b.eval(`document.querySelector("#tab-train").click(), 0`)
	b.eval(setJS("#view-train select[name=optimizer]", "sgd", "change"))
	rule := `document.querySelector("#view-train .formula").textContent`
	for _, step := range []struct{ js, want string }{
		{`0`, "θ ← θ − α∇J(θ)"},
		{setJS("#view-train input[name=momentum]", "0.9", "input"), "b ← μb + ∇J(θ);  θ ← θ − αb"},
		{`(() => { const c = document.querySelector("#view-train input[name=nesterov]"); c.click(); return 0 })()`, "b ← μb + ∇J(θ);  θ ← θ − α(∇J(θ) + μb)"},
		{setJS("#view-train input[name=weightDecay]", "0.01", "input"), "b ← μb + ∇J(θ) + λθ;  θ ← θ − α(∇J(θ) + λθ + μb)"},
		{setJS("#view-train input[name=momentum]", "0", "input"), "θ ← θ − α(∇J(θ) + λθ)"},
	} {
		b.eval(step.js)
		if got := b.text(rule); got != step.want {
			b.t.Errorf("the update rule reads %q, want %q", got, step.want)
		}
	}
	b.shot("train-rule-1280x800.png")
}
