package server

import (
	"context"
	"math"
	"testing"
	"time"

	"descent/server/protocol"
	"descent/server/runs"
)

// fullBatch is full-batch gradient descent on the first 400 images, the
// edge of stability's setting: a measurement every few steps.
func fullBatch(epochs int, lr float64) map[string]any {
	cfg := smallConfig(epochs)
	cfg["trainExamples"], cfg["batch"], cfg["lr"] = 400, 400, lr
	return cfg
}

// sharpnessOf collects the marks of a steps or history event into got,
// failing on a mark after the event's last step or out of order.
func sharpnessOf(t *testing.T, ev event, got *[][3]float64) {
	t.Helper()
	cols := ev
	if ev["type"] == protocol.EvHistory {
		cols = ev["steps"].(map[string]any)
	}
	at, ok := cols["sharpnessStep"].([]any)
	if !ok {
		return
	}
	steps := cols["step"].([]any)
	sharp, thr := cols["sharpness"].([]any), cols["threshold"].([]any)
	lrs := cols["sharpnessLR"].([]any)
	if len(sharp) != len(at) || len(thr) != len(at) || len(lrs) != len(at) {
		t.Fatalf("sharpness columns of %d, %d, %d and %d entries", len(at), len(sharp), len(thr), len(lrs))
	}
	for i := range at {
		k := at[i].(float64)
		if len(steps) > 0 && k > steps[len(steps)-1].(float64) {
			t.Errorf("a mark at step %v in a frame that ends at step %v", k, steps[len(steps)-1])
		}
		if n := len(*got); n > 0 && k <= (*got)[n-1][0] {
			t.Errorf("a mark at step %v after one at %v", k, (*got)[n-1][0])
		}
		*got = append(*got, [3]float64{k, sharp[i].(float64), thr[i].(float64)})
	}
}

// TestSharpnessStreams trains full-batch gradient descent with tracking on
// 100 images and checks that its frames carry the measurements, each
// once, in order, never ahead of the steps, against the threshold 2/α; that
// a late subscriber's history has them; and that the run lists its
// tracking.
func TestSharpnessStreams(t *testing.T) {
	_, ts := newTestServer(t, 1000, 1)
	c := dial(t, ts)
	const lr = 0.5
	c.send(map[string]any{"type": "start", "req": 1, "config": fullBatch(300, lr), "sharpness": map[string]any{"examples": 100}})
	created := c.until("runCreated", isType(protocol.EvRunCreated))
	run := created["run"].(map[string]any)
	id := run["id"].(string)
	if sh, ok := run["sharpness"].(map[string]any); !ok || sh["examples"] != 100.0 || sh["budget"] != DefaultSharpnessBudget {
		t.Fatalf("runCreated's sharpness %v, want 100 images and the default budget", run["sharpness"])
	}
	c.send(map[string]any{"type": "subscribe", "req": 2, "run": id})
	var live [][3]float64
	listed := false
	for { // until the answer to a list sent after the run ended: its last frames come before it
		ev := c.next()
		if ev["type"] == protocol.EvHistory || ev["type"] == protocol.EvSteps {
			sharpnessOf(t, ev, &live)
		}
		if statusOf(id, protocol.StatusDone)(ev) && !listed {
			c.send(map[string]any{"type": "list"})
			listed = true
		}
		if ev["type"] == protocol.EvRuns {
			break
		}
	}
	if len(live) > 0 && live[0][0] != 1 {
		t.Errorf("the first measurement at step %v, want 1: the initial weights", live[0][0])
	}
	if len(live) < 3 {
		t.Fatalf("%d measurements in 300 steps of full-batch gradient descent, want several", len(live))
	}
	for _, m := range live {
		if math.Abs(m[2]-2/lr) > 1e-6 || !(m[1] > 0) {
			t.Errorf("measurement %v: want λmax > 0 against 2/α = %g", m, 2/lr)
		}
	}
	late := dial(t, ts)
	late.send(map[string]any{"type": "subscribe", "req": 3, "run": id})
	var hist [][3]float64
	sharpnessOf(t, late.until("history", isType(protocol.EvHistory)), &hist)
	if len(hist) != len(live) || hist[0] != live[0] || hist[len(hist)-1] != live[len(live)-1] {
		t.Errorf("the history has %d measurements (%v…), the stream had %d (%v…)", len(hist), hist[:min(1, len(hist))], len(live), live[0])
	}
}

// TestSharpnessOptions: a sweep tracks only when asked, a start not when
// told not to, and the probe set follows the option.
func TestSharpnessOptions(t *testing.T) {
	_, ts := newTestServer(t, 1000, 2)
	c := dial(t, ts)
	info := func(ev event) any { return ev["run"].(map[string]any)["sharpness"] }
	c.send(map[string]any{"type": "start", "req": 1, "config": smallConfig(1), "sharpness": map[string]any{"track": false}})
	if ev := c.until("runCreated", isType(protocol.EvRunCreated)); info(ev) != nil {
		t.Errorf("a start with track false: sharpness %v", info(ev))
	}
	c.send(map[string]any{"type": "sweep", "req": 2, "base": smallConfig(1), "variants": []map[string]any{{"lr": 0.1}}})
	if ev := c.until("runCreated", isType(protocol.EvRunCreated)); info(ev) != nil {
		t.Errorf("a sweep without the option: sharpness %v", info(ev))
	}
	c.send(map[string]any{"type": "sweep", "req": 3, "base": smallConfig(1), "variants": []map[string]any{{"lr": 0.1}, {"lr": 1}},
		"sharpness": map[string]any{"examples": 300}})
	for range 2 {
		ev := c.until("runCreated", func(ev event) bool { return ev["type"] == protocol.EvRunCreated && ev["req"] == 3.0 })
		if sh, ok := info(ev).(map[string]any); !ok || sh["examples"] != 300.0 {
			t.Errorf("a sweep asking for 300 images: sharpness %v", info(ev))
		}
	}
}

// TestSharpnessStored: a run of an earlier session has its measurements in
// its history, from the store, and a restarted run keeps those before its
// checkpoint.
func TestSharpnessStored(t *testing.T) {
	dir := t.TempDir()
	a := startStored(t, dir, nil)
	c := dial(t, a.ts)
	id := c.start(1, fullBatch(400, 0.5)) // tracked by default, on all 400 images
	c.until("done", statusOf(id, protocol.StatusDone))
	if err := a.st.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	kept, err := a.st.Sharpness(context.Background(), storeID(t, id))
	if err != nil || len(kept) < 3 {
		t.Fatalf("the store kept %d measurements, %v", len(kept), err)
	}
	a.stop()

	b := startStored(t, dir, nil)
	c = dial(t, b.ts)
	if sh, ok := c.listed(id)["sharpness"].(map[string]any); !ok || sh["examples"] != 400.0 || sh["budget"] != nil {
		t.Errorf("the stored run's sharpness %v, want its 400 images and no budget (it does not train)", sh)
	}
	c.send(map[string]any{"type": "subscribe", "req": 2, "run": id})
	var hist [][3]float64
	sharpnessOf(t, c.until("history", isType(protocol.EvHistory)), &hist)
	if len(hist) != len(kept) || hist[0][0] != float64(kept[0].Step) || float32(hist[0][1]) != float32(kept[0].Sharpness) {
		t.Errorf("the stored run's history has %d measurements (%v…), the store %d (%+v…)", len(hist), hist[:min(1, len(hist))], len(kept), kept[0])
	}
}

// TestSharpnessRestart: a tracked run interrupted after epoch 150 and
// restarted keeps its measurements up to its checkpoint, goes on tracking
// (its tracker starts again at the checkpoint's weights), and a stored run
// has a Hessian at its last checkpoint.
func TestSharpnessRestart(t *testing.T) {
	dir := t.TempDir()
	paused := make(chan struct{})
	a := startStored(t, dir, func(s *Server) {
		s.runs.AfterEpoch = func(r *runs.Live, epoch int) {
			if epoch == 150 {
				r.Trainer().Pause()
				close(paused)
			}
		}
	})
	c := dial(t, a.ts)
	id := c.start(1, fullBatch(300, 0.5))
	<-paused
	time.Sleep(300 * time.Millisecond) // a measurement after the checkpoint would be dropped
	a.stop()

	b := startStored(t, dir, nil)
	c = dial(t, b.ts)
	before, _ := b.st.Sharpness(context.Background(), storeID(t, id))
	if len(before) < 2 || before[0].Step != 1 {
		t.Fatalf("before the restart: %d measurements, first %+v", len(before), before)
	}
	c.send(hessianCmd(2, map[string]any{"run": id, "top": 2, "examples": 100}))
	if res, _ := c.hessianAnswer(2); res["type"] != protocol.EvHessianResult || res["at"] != protocol.AtEpoch || res["epoch"] != 150.0 || res["step"] != 150.0 {
		t.Errorf("the Hessian of the interrupted run: %v, want its checkpoint after epoch 150", res)
	}
	c.send(map[string]any{"type": "restart", "req": 3, "run": id})
	c.until("done", statusOf(id, protocol.StatusDone))
	c.send(map[string]any{"type": "subscribe", "req": 4, "run": id})
	var hist [][3]float64
	sharpnessOf(t, c.until("history", isType(protocol.EvHistory)), &hist)
	kept := 0
	for _, e := range before {
		if e.Step <= 150 {
			kept++
		}
	}
	if len(hist) <= kept || hist[0][0] != 1 || hist[kept][0] != 151 {
		t.Errorf("after the restart: %d measurements (%v), want the %d before step 150, then one at 151 and more", len(hist), hist, kept)
	}
}
