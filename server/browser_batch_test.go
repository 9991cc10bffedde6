package server_test

import (
	"fmt"
	"testing"

	"descent/server"
)

// TestBrowserBatchChoice picks each of the Train view's batch sizes in turn,
// in the order that once trained the wrong one (Batch GD after Mini-batch),
// and checks that the run the page starts has the batch that was chosen: the
// three radios are one group, so exactly one is on.
func TestBrowserBatchChoice(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	_, ts := servePage(t, server.Config{Train: train, Test: test, Concurrent: 1})
	b := openPage(t, ts.URL+"/", 1280, 800, "")
	radios := `#view-train fieldset.radios input[type=radio]`
	if n := b.eval(`document.querySelectorAll('` + radios + `').length`); n != 3 {
		t.Fatalf("%g batch radios, want 3", n)
	}
	for i, want := range []int{64, train.N, 1, 64, train.N} {
		idx := map[int]int{1: 0, 64: 1, train.N: 2}[want]
		b.eval(fmt.Sprintf(`document.querySelectorAll('%s')[%d].click(), 0`, radios, idx))
		if on := b.eval(`document.querySelectorAll('` + radios + `:checked').length`); on != 1 {
			t.Errorf("choice %d (batch %d): %g radios checked, want 1", i, want, on)
		}
		before := b.eval(`window.descent.store.runs.size`)
		b.eval(`document.querySelector('#view-train button[type=submit]').click(), 0`)
		b.waitJS(fmt.Sprintf("run %d created", i+1), fmt.Sprintf(`window.descent.store.runs.size > %g`, before))
		got := b.eval(`[...window.descent.store.runs.values()].pop().info.config.batch`)
		if int(got) != want {
			t.Errorf("choice %d: the run trains at batch %g, want %d", i, got, want)
		}
		b.eval(`(() => { const r = [...window.descent.store.runs.values()].pop();
			window.descent.store.socket.send({type: "stop", run: r.info.id}); return 0 })()`)
	}
}
