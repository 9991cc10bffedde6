package server

import (
	"testing"
	"time"

	"descent/server/protocol"
)

// TestPace trains one run at an epoch in 2 s, then speeds it up: the run
// takes its time, says its pace, and ends with exactly the result of a run
// trained as fast as it goes.
func TestPace(t *testing.T) {
	_, ts := newTestServer(t, 1600, 2)
	c := dial(t, ts)
	fast := c.start(1, smallConfig(2))
	want := c.until("fast run done", statusOf(fast, protocol.StatusDone))["run"].(map[string]any)["result"].(map[string]any)

	begin := time.Now()
	c.send(map[string]any{"type": "start", "req": 2, "config": smallConfig(2), "pace": map[string]any{"epochSeconds": 2}})
	created := c.until("runCreated", func(ev event) bool { return ev["type"] == protocol.EvRunCreated && ev["req"] == float64(2) })
	run := created["run"].(map[string]any)
	id := run["id"].(string)
	if p := run["pace"].(map[string]any)["epochSeconds"]; p != float64(2) {
		t.Errorf("the new run's pace is %v, want 2 s an epoch", p)
	}
	c.send(map[string]any{"type": "subscribe", "run": id})
	c.until("the first epoch", func(ev event) bool { return ev["type"] == protocol.EvEpoch && ev["run"] == id })
	if took := time.Since(begin); took < 1500*time.Millisecond {
		t.Errorf("an epoch paced at 2 s took %v", took)
	}
	c.send(map[string]any{"type": "pace", "run": id, "epochSeconds": 0})
	got := c.until("paced run done", statusOf(id, protocol.StatusDone))["run"].(map[string]any)
	if p := got["pace"].(map[string]any)["epochSeconds"]; p != float64(0) {
		t.Errorf("after pace 0 the run says %v", p)
	}
	res := got["result"].(map[string]any)
	if res["testLoss"] != want["testLoss"] || res["testAccuracy"] != want["testAccuracy"] || res["steps"] != want["steps"] {
		t.Errorf("paced run ended with %v, the same run as fast as it goes with %v", res, want)
	}
	// A finished run has no pace to change.
	c.send(map[string]any{"type": "pace", "req": 3, "run": id, "epochSeconds": 1})
	if ev := c.until("error", isType(protocol.EvError)); ev["code"] != protocol.CodeEnded {
		t.Errorf("pace of a finished run: %v, want code ended", ev)
	}
}

func TestPaceRefusals(t *testing.T) {
	_, ts := newTestServer(t, 200, 1)
	c := dial(t, ts)
	for _, tc := range []struct{ frame, field, code string }{
		{`{"type":"pace","run":"r1","epochSeconds":-1}`, "epochSeconds", protocol.CodeOutOfRange},
		{`{"type":"pace","run":"r1","epochSeconds":4000}`, "epochSeconds", protocol.CodeOutOfRange},
		{`{"type":"pace","epochSeconds":1}`, "run", protocol.CodeMissing},
		{`{"type":"pace","run":"r404","epochSeconds":1}`, "run", protocol.CodeUnknown},
		{`{"type":"pace","run":"r1","epochSeconds":"slow"}`, "epochSeconds", protocol.CodeBadType},
		{`{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":1},"pace":{"epochSeconds":1e9}}`, "pace.epochSeconds", protocol.CodeOutOfRange},
		{`{"type":"weightsAt","run":"r1","step":-3}`, "step", protocol.CodeOutOfRange},
		{`{"type":"weightsAt","run":"r404","step":3}`, "run", protocol.CodeUnknown},
	} {
		c.sendRaw(tc.frame)
		ev := c.until("error", isType(protocol.EvError))
		if ev["field"] != tc.field || ev["code"] != tc.code {
			t.Errorf("%s: %v %v (%v), want %s on %s", tc.frame, ev["code"], ev["field"], ev["message"], tc.code, tc.field)
		}
	}
}

// TestWeightsAt replays a finished run's first layer: an early step gets
// an early snapshot, a late one the last, each with its step and the req.
func TestWeightsAt(t *testing.T) {
	_, ts := newTestServer(t, 1600, 1)
	c := dial(t, ts)
	id := c.start(1, smallConfig(3))
	c.until("done", statusOf(id, protocol.StatusDone))
	ask := func(req, step int) event {
		c.send(map[string]any{"type": "weightsAt", "req": req, "run": id, "step": step})
		return c.until("weights", func(ev event) bool { return ev["type"] == protocol.EvWeights && ev["req"] == float64(req) })
	}
	first, last := ask(5, 1), ask(6, 1_000_000)
	if s := last["step"].(float64); s != 300 {
		t.Errorf("the weights at the end are those of step %g, want 300", s)
	}
	if a, b := first["step"].(float64), last["step"].(float64); a >= b || first["units"] != float64(16) || first["run"] != id {
		t.Errorf("early weights at step %g (units %v), late at %g", a, first["units"], b)
	}
}

// TestWeightsAtStored replays a run of an earlier session from its epochs'
// checkpoints.
func TestWeightsAtStored(t *testing.T) {
	dir := t.TempDir()
	a := startStored(t, dir, nil)
	c := dial(t, a.ts)
	id := c.start(1, smallConfig(3))
	c.until("done", statusOf(id, protocol.StatusDone))
	a.stop()
	b := startStored(t, dir, nil)
	c = dial(t, b.ts)
	for _, tc := range []struct{ at, want int }{{1, 100}, {250, 200}, {10_000, 300}} {
		c.send(map[string]any{"type": "weightsAt", "req": tc.at, "run": id, "step": tc.at})
		ev := c.until("weights", func(ev event) bool { return ev["type"] == protocol.EvWeights || ev["type"] == protocol.EvError })
		if ev["type"] != protocol.EvWeights || ev["step"] != float64(tc.want) || ev["req"] != float64(tc.at) {
			t.Errorf("weightsAt %d of a stored run: %v, want the checkpoint of step %d", tc.at, ev, tc.want)
		}
	}
}
