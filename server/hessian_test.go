package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"math"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
)

// hessianCmd is a hessian command; extra fields are merged in.
func hessianCmd(req int, extra map[string]any) map[string]any {
	cmd := map[string]any{"type": protocol.CmdHessian, "req": req}
	for k, v := range extra {
		cmd[k] = v
	}
	return cmd
}

// hessianAnswer reads until the result or error answering req, and returns
// it with the progress frames before it.
func (c *client) hessianAnswer(req int) (ev event, progress []event) {
	c.t.Helper()
	for {
		ev := c.until("hessian answer", func(ev event) bool { return ev["req"] == float64(req) })
		if ev["type"] != protocol.EvHessianProgress {
			return ev, progress
		}
		progress = append(progress, ev)
	}
}

// TestHessianOfRun asks for the Hessian of a live run at its current
// weights (progress frames, then the answer), at its last epoch's, and at
// the current weights of a paused run (its last epoch's).
func TestHessianOfRun(t *testing.T) {
	_, ts := newTestServer(t, 1000, 1)
	c := dial(t, ts)
	id := c.startPaced(1, longConfig(), 100) // a step every 0.1 s
	c.send(map[string]any{"type": "subscribe", "run": id})
	c.until("steps", isType(protocol.EvSteps))
	c.send(hessianCmd(2, map[string]any{"run": id, "top": 3, "examples": 200, "density": true}))
	res, progress := c.hessianAnswer(2)
	if res["type"] != protocol.EvHessianResult {
		t.Fatalf("hessian of a live run: %v", res)
	}
	var stages []string
	for _, p := range progress {
		if s := p["stage"].(string); !slices.Contains(stages, s) {
			stages = append(stages, s)
		}
	}
	if !slices.Equal(stages, []string{mnist.HessianStageTop, mnist.HessianStageTrace, mnist.HessianStageDensity}) {
		t.Errorf("progress through stages %v", stages)
	}
	eig := floats(res["eigenvalues"])
	if res["run"] != id || res["at"] != protocol.AtCurrent || res["step"].(float64) < 1 || res["examples"] != 200.0 || len(eig) != 3 ||
		!slices.IsSortedFunc(eig, func(a, b float64) int { return int(math.Copysign(1, b-a)) }) {
		t.Errorf("answer: run %v at %v step %v on %v images, eigenvalues %v", res["run"], res["at"], res["step"], res["examples"], eig)
	}
	d := res["density"].(map[string]any)
	sh := res["sharpest"].(map[string]any)
	pix, _ := base64.StdEncoding.DecodeString(sh["pixels"].(string))
	if len(floats(d["x"])) != 512 || sh["units"] != 16.0 || len(pix) != 16*784 || len(floats(sh["scale"])) != 16 ||
		res["hvps"].(float64) < 100+320 || res["traceProbes"] != 100.0 || !(res["traceStdErr"].(float64) > 0) {
		t.Errorf("density of %d points, sharpest %v units (%d bytes), %v products, trace ± %v", len(floats(d["x"])), sh["units"], len(pix), res["hvps"], res["traceStdErr"])
	}
	c.send(hessianCmd(3, map[string]any{"run": id, "at": "epoch", "top": 1, "examples": 50}))
	if res, _ := c.hessianAnswer(3); res["at"] != protocol.AtEpoch || res["step"] != res["epoch"].(float64)*1000 {
		t.Errorf("at its last epoch: %v", res)
	}
	c.send(map[string]any{"type": "pause", "run": id})
	c.until("paused", statusOf(id, protocol.StatusPaused))
	c.send(hessianCmd(4, map[string]any{"run": id, "top": 1, "examples": 50}))
	if res, _ := c.hessianAnswer(4); res["type"] != protocol.EvHessianResult || res["at"] != protocol.AtEpoch {
		t.Errorf("the current weights of a paused run: %v, want its last epoch's", res)
	}
	c.send(map[string]any{"type": "list", "req": 5})
	if ev := c.until("runs", isType(protocol.EvRuns)); len(ev["runs"].([]any)) != 1 {
		t.Errorf("list after the Hessians: %v", ev)
	}
}

// TestHessianOfModel: a saved model's Hessian is mnist.AnalyzeHessian's on
// the same images, to the last bit.
func TestHessianOfModel(t *testing.T) {
	m := sineModelOf(8, 0.05, 2)
	train := synthData(500, 1)
	s := New(Config{Train: train, Test: synthData(100, 2), Concurrent: 1, Page: testPage,
		Models: map[string]*mnist.Model{"sine": m}, Logger: fake.Quiet()})
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	c := dial(t, ts)
	c.send(hessianCmd(1, map[string]any{"model": "sine", "top": 4, "examples": 300}))
	res, _ := c.hessianAnswer(1)
	want, err := mnist.AnalyzeHessian(context.Background(), m, train, mnist.HessianOptions{Examples: 300, Top: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := floats(res["eigenvalues"]); !slices.Equal(got, want.Eigenvalues) || res["trace"] != want.Trace ||
		res["model"] != "sine" || res["at"] != protocol.AtModel || res["epoch"] != 2.0 || res["density"] != nil {
		t.Errorf("the model's Hessian: %v at %v epoch %v, eigenvalues %v trace %v; AnalyzeHessian gives %v and %v",
			res["model"], res["at"], res["epoch"], got, res["trace"], want.Eigenvalues, want.Trace)
	}
	// The panel's figure: the answer posted back as it came.
	body, _ := json.Marshal(map[string]any{"lang": "en", "result": res})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("POST", "/api/export/hessian/eigenvalues.png", bytes.NewReader(body)))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "image/png" {
		t.Errorf("the Hessian panel's figure: %d %s", rec.Code, rec.Body)
	}
}

// TestHessianCancel: a new request cancels the page's last one, which gets
// no answer, and a page that goes cancels its own.
func TestHessianCancel(t *testing.T) {
	big := sineModelOf(100, 0.05, 2)
	s := New(Config{Train: synthData(5000, 1), Test: synthData(100, 2), Concurrent: 1, Page: testPage,
		Models: map[string]*mnist.Model{"big": big}, Logger: fake.Quiet()})
	ts := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); ts.Close() })
	c := dial(t, ts)
	long := map[string]any{"model": "big", "top": 10, "examples": 5000, "density": true} // minutes
	c.send(hessianCmd(1, long))
	c.until("progress", func(ev event) bool { return ev["type"] == protocol.EvHessianProgress && ev["req"] == 1.0 })
	c.send(hessianCmd(2, map[string]any{"model": "big", "top": 1, "examples": 20}))
	for {
		ev := c.next()
		if ev["req"] == 1.0 && ev["type"] != protocol.EvHessianProgress {
			t.Fatalf("the replaced request was answered: %v", ev)
		}
		if ev["req"] == 2.0 && ev["type"] != protocol.EvHessianProgress {
			if ev["type"] != protocol.EvHessianResult {
				t.Fatalf("the new request: %v", ev)
			}
			break
		}
	}
	c.send(hessianCmd(3, long))
	c.until("progress", func(ev event) bool { return ev["type"] == protocol.EvHessianProgress && ev["req"] == 3.0 })
	c.ws.Close() // the page goes
	deadline := time.Now().Add(5 * time.Second)
	for s.analyses.Running() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the Hessian of a page that went still runs after 5 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHessianRefusals sends bad hessian commands and sharpness options:
// each gets an error with its code and field, and the run trains on.
func TestHessianRefusals(t *testing.T) {
	_, ts := newServerWith(t, 1000, 1, Config{Limits: Limits{MaxHessianExamples: 500, MaxHessianParams: 13_000}})
	c, hello := dialAs(t, ts, nil)
	h := hello["hessian"].(map[string]any)
	if h["maxExamples"] != 500.0 || h["maxParams"] != 13_000.0 || h["maxTop"] != 10.0 || h["sharpness"].(map[string]any)["start"] != true {
		t.Errorf("hello.hessian %v", h)
	}
	small := fullBatch(1000, 0.1)
	id := c.startPaced(1, small, 0.5)
	big := smallConfig(1)
	big["arch"] = map[string]any{"hidden": []int{17}, "activation": "sigmoid"} // 13,525 parameters
	bigID := c.start(2, big)                                                   // tracked by default: too large, so not
	if r := c.listed(bigID); r["sharpness"] != nil {
		t.Errorf("a start too large to track by default: sharpness %v", r["sharpness"])
	}
	bad := []struct {
		cmd         map[string]any
		code, field string
	}{
		{hessianCmd(0, nil), protocol.CodeMissing, "run"},
		{hessianCmd(0, map[string]any{"run": id, "model": "m"}), protocol.CodeInvalid, "model"},
		{hessianCmd(0, map[string]any{"model": "m", "at": "epoch"}), protocol.CodeInvalid, "at"},
		{hessianCmd(0, map[string]any{"run": id, "at": "later"}), protocol.CodeUnknown, "at"},
		{hessianCmd(0, map[string]any{"run": id, "top": 11}), protocol.CodeOutOfRange, "top"},
		{hessianCmd(0, map[string]any{"run": id, "top": -1}), protocol.CodeOutOfRange, "top"},
		{hessianCmd(0, map[string]any{"run": id, "top": "5"}), protocol.CodeBadType, "top"},
		{hessianCmd(0, map[string]any{"run": id, "examples": 501}), protocol.CodeLimit, "examples"},
		{hessianCmd(0, map[string]any{"run": id, "examples": -1}), protocol.CodeOutOfRange, "examples"},
		{hessianCmd(0, map[string]any{"run": id, "examples": 450}), protocol.CodeOutOfRange, "examples"}, // the run trains on 400
		{hessianCmd(0, map[string]any{"run": "r404"}), protocol.CodeUnknown, "run"},
		{hessianCmd(0, map[string]any{"model": "nope"}), protocol.CodeUnknown, "model"},
		{hessianCmd(0, map[string]any{"run": bigID}), protocol.CodeLimit, ""},
		{hessianCmd(0, map[string]any{"run": id, "extra": 1}), protocol.CodeUnknown, "extra"},
		{map[string]any{"type": "start", "config": small, "sharpness": map[string]any{"examples": -5}}, protocol.CodeOutOfRange, "sharpness.examples"},
		{map[string]any{"type": "start", "config": small, "sharpness": map[string]any{"examples": 401}}, protocol.CodeOutOfRange, "sharpness.examples"},
		{map[string]any{"type": "start", "config": smallConfig(1), "sharpness": map[string]any{"examples": 600}}, protocol.CodeLimit, "sharpness.examples"},
		{map[string]any{"type": "start", "config": smallConfig(1), "sharpness": map[string]any{"track": "yes"}}, protocol.CodeBadType, "sharpness.track"},
		{map[string]any{"type": "start", "config": big, "sharpness": map[string]any{}}, protocol.CodeLimit, "sharpness"},
		{map[string]any{"type": "sweep", "base": big, "variants": []map[string]any{{"lr": 0.1}}, "sharpness": map[string]any{"examples": 10}}, protocol.CodeLimit, "sharpness"},
		{map[string]any{"type": "start", "config": map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 64, "epochs": 1, "trainExamples": 1001}}, protocol.CodeOutOfRange, "config.trainExamples"},
		{map[string]any{"type": "start", "config": map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 64, "epochs": 1, "trainExamples": -1}}, protocol.CodeOutOfRange, "config.trainExamples"},
	}
	for i, b := range bad {
		req := 100 + i
		b.cmd["req"] = req
		c.send(b.cmd)
		ev, _ := c.hessianAnswer(req)
		if ev["type"] != protocol.EvError || ev["code"] != b.code || str(ev["field"]) != b.field || str(ev["message"]) == "" {
			t.Errorf("%v: %v, want an error %s on %q", b.cmd, ev, b.code, b.field)
		}
	}
	if r := c.listed(id); r["status"] != protocol.StatusRunning {
		t.Errorf("the run after the refusals: %v", r["status"])
	}
	c.send(hessianCmd(200, map[string]any{"run": id, "top": 1, "examples": 400}))
	if ev, _ := c.hessianAnswer(200); ev["type"] != protocol.EvHessianResult || ev["examples"] != 400.0 {
		t.Errorf("a good request after the bad ones: %v", ev)
	}
}
