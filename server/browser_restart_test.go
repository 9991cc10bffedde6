package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"descent/mnist"
	"descent/server"
	"descent/server/internal/fake"
	"descent/server/store"
)

// TestBrowserRestart opens the page on a run store that an earlier server
// left with a run interrupted after its first epoch: the page lists the run
// as interrupted with its curves from the store, and Resume restarts it from
// its checkpoint to the end.
func TestBrowserRestart(t *testing.T) {
	needBrowser(t)
	train, test := realMNIST(t)
	dir := t.TempDir()
	id := interruptedRun(t, dir, train, test)

	ctx := context.Background()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Train: train, Test: test, Concurrent: 2, Store: st,
		Logger: fake.Quiet()})
	if err := srv.Restore(ctx); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer st.Close()
	defer ts.Close()
	defer srv.Close()

	b := &browser{t: t, ctx: newBrowser(t), dir: t.TempDir()}
	b.run(chromedp.EmulateViewport(1280, 800), chromedp.Navigate(ts.URL+"/"))
	b.waitJS("page ready", `document.body.dataset.ready === "1"`)
	b.eval(`window.descent.setLanguage("en"), 0`)
	run := fmt.Sprintf(`window.descent.store.runs.get("r%d")`, id)
	b.eval(fmt.Sprintf(`(s => { s.value = "r%d"; s.dispatchEvent(new Event("change")); return 0 })(document.querySelector("#view-train .runbar select"))`, id))
	b.waitJS("the interrupted run with its history", run+`.info.status === "interrupted" && `+run+`.steps.step.length === 600 && `+run+`.epochs.length === 1 &&
		/interrupted/.test(document.querySelector("#view-train .runbar .status").textContent)`)
	if note := b.text(`document.querySelector("#view-train .resume-note").textContent`); note != "Resume continues from epoch 2 of 3, from the checkpoint of the last finished epoch." {
		t.Errorf("the interrupted run's note reads %q", note)
	}
	b.run(chromedp.Click(chromedp.CSS(`#view-train .runbar button[data-i18n=resume]`)))
	b.waitJS("the restarted run done", run+`.info.status === "done" && `+run+`.epochs.length === 3 && `+run+`.steps.step.at(-1) === 1800`)

	// Rename: the name is kept in the store and shown in the run picker.
	b.eval(`window.prompt = () => "  the report's rate  ", 0`)
	b.run(chromedp.Click(chromedp.CSS(`#view-train .runbar button[data-i18n=rename]`)))
	b.waitJS("the new name", run+`.info.label === "the report's rate" &&
		document.querySelector("#view-train .runbar select").selectedOptions[0].textContent.includes("the report's rate")`)
	if r, err := st.GetRun(ctx, id); err != nil || r.Name != "the report's rate" {
		t.Errorf("the renamed run in the store: %+v, %v", r, err)
	}
}

// interruptedRun leaves in dir a run of 3 epochs that stopped after its
// first, with its checkpoint, as if the process had died then.
func interruptedRun(t *testing.T, dir string, train, test *mnist.Dataset) int64 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := mnist.DefaultConfig()
	cfg.Arch.Hidden, cfg.Batch, cfg.Epochs, cfg.EvalLimit = []int{32}, 100, 3, 1000
	tr, err := mnist.NewTrainer(cfg, train, test)
	if err != nil {
		t.Fatal(err)
	}
	r, err := st.CreateRun(ctx, store.Run{Config: tr.Config(), Status: store.StatusRunning})
	if err != nil {
		t.Fatal(err)
	}
	hooks := mnist.Hooks{
		Step: func(ev mnist.StepEvent) { st.AddStep(r.ID, ev) },
		Epoch: func(ev mnist.EpochEvent) {
			ck, err := tr.Checkpoint(ev.Epoch)
			if err != nil {
				t.Error(err)
			}
			st.AddEpoch(r.ID, ev, &store.Checkpoint{Model: ck.Model, Optimizer: ck.Optimizer})
			cancel() // the "process" dies after its first epoch
		},
	}
	if _, err := tr.Run(ctx, hooks); err != nil {
		t.Fatal(err)
	}
	if err := st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r.ID
}
