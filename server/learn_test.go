package server

import (
	"encoding/base64"
	"io"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/draw"
	"descent/server/protocol"
)

func drawingOf(pix []byte) map[string]any {
	return map[string]any{"width": 140, "height": 140, "pixels": base64.StdEncoding.EncodeToString(pix)}
}

func learnStep(copy string, label int, lr float64, picture map[string]any) map[string]any {
	cmd := map[string]any{"type": "learnStep", "copy": copy, "label": label, "lr": lr}
	for k, v := range picture {
		cmd[k] = v
	}
	return cmd
}

// TestLearn: a copy of a trained run learns a drawing that the run
// classifies wrongly until it is classified as the label, with the
// accuracy before and after each step; reset goes back to the run's
// weights; a kept copy answers drawings and downloads; the run never changes.
func TestLearn(t *testing.T) {
	s, ts := newServerWith(t, 800, 1, Config{})
	c, _ := dialAs(t, ts, nil)
	id := trainedRun(t, c, 2)
	ev := c.expect(1, map[string]any{"type": "learnStart", "copy": "c1", "run": id}, protocol.EvLearnCopy)
	if ev["copy"] != "c1" || ev["run"] != id || ev["epoch"] != 2.0 || ev["optimizer"] != "sgd" || ev["steps"] != 0.0 ||
		ev["evalImages"] != 200.0 || ev["bytes"] != float64(draw.LearnerBytes(mnist.Arch{Hidden: []int{16}, Activation: "sigmoid"}, "sgd")) {
		t.Errorf("learnStart: %v", ev)
	}
	acc0 := ev["accuracy"].(float64)
	c.send(predictCmd(2, id, 140, 140, bar()))
	before := c.answer(2)
	label := (int(before["top"].(float64)) + 1) % 10 // a label the run gets wrong

	first, last := learnUntil(t, c, 10, label)
	if first["accuracyBefore"] != acc0 || !slices.Equal(floats(first["probsBefore"]), floats(before["probs"])) {
		t.Errorf("the first step starts from accuracy %v and probs %v, want the run's %v and %v",
			first["accuracyBefore"], first["probsBefore"], acc0, before["probs"])
	}
	if last["lossAfter"].(float64) >= first["lossBefore"].(float64) {
		t.Errorf("the loss on the drawing went from %v to %v, want it lower", first["lossBefore"], last["lossAfter"])
	}
	c.send(predictCmd(3, id, 140, 140, bar()))
	if after := c.answer(3); !slices.Equal(floats(after["probs"]), floats(before["probs"])) {
		t.Error("the run's answer changed: a copy must never touch the run")
	}

	ev = c.expect(4, map[string]any{"type": "learnReset", "copy": "c1"}, protocol.EvLearnCopy)
	if ev["steps"] != 0.0 || ev["accuracy"] != acc0 {
		t.Errorf("after learnReset: %v, want 0 steps and accuracy %v", ev, acc0)
	}
	again, last := learnUntil(t, c, 100, label)
	if again["lossBefore"] != first["lossBefore"] || again["lossAfter"] != first["lossAfter"] {
		t.Errorf("the first step after reset: loss %v → %v, want the first step's %v → %v", again["lossBefore"], again["lossAfter"],
			first["lossBefore"], first["lossAfter"])
	}
	keepAndDownload(t, s, c, ts.URL, id, label, last)

	ev = c.expect(62, learnStep("c1", label, 0.5, map[string]any{"testIndex": 9}), protocol.EvLearned)
	if ev["testIndex"] != 9.0 || ev["testLabel"] != float64(s.cfg.Test.Labels[9]) || len(b64(t, ev["image"])) != 784 {
		t.Errorf("a step on test image 9: %v", ev)
	}
	ev = c.expect(65, map[string]any{"type": "learnReset", "copy": "c1", "optimizer": "adam", "hyper": map[string]float64{"beta2": 0.99}}, protocol.EvLearnCopy)
	if ev["optimizer"] != "adam" || ev["steps"] != 0.0 || ev["accuracy"] != acc0 || ev["hyper"].(map[string]any)["beta2"] != 0.99 {
		t.Errorf("a reset to adam: %v", ev)
	}
	c.expect(66, learnStep("c1", label, 0.001, drawingOf(bar())), protocol.EvLearned)
	c.expect(63, map[string]any{"type": "learnDrop", "copy": "c1"}, protocol.EvLearnDropped)
	if ev := c.expect(64, learnStep("c1", label, 0.5, drawingOf(bar())), protocol.EvError); ev["field"] != "copy" || ev["code"] != protocol.CodeUnknown {
		t.Errorf("a step of a dropped copy: %v", ev)
	}
	if n, _ := s.panel.Learners(); n != 0 {
		t.Errorf("%d copies after the drop, want 0", n)
	}
}

// learnUntil steps copy c1 on the bar at lr 0.5 until it is classified as
// label (50 steps at most), checking each answer, and returns the first
// and the last.
func learnUntil(t *testing.T, c *client, req, label int) (first, last event) {
	t.Helper()
	for step := 1; ; step++ {
		prev := last
		last = c.expect(req+step, learnStep("c1", label, 0.5, drawingOf(bar())), protocol.EvLearned)
		if step == 1 {
			first = last
		}
		if last["step"] != float64(step) || last["label"] != float64(label) || last["copy"] != "c1" || last["evalImages"] != 200.0 ||
			last["deltaNorm"].(float64) <= 0 || (step > 1 && last["accuracyBefore"] != prev["accuracyAfter"]) {
			t.Fatalf("step %d: %v", step, last)
		}
		if last["topAfter"] == float64(label) {
			return first, last
		}
		if step == 50 {
			t.Fatalf("after 50 steps at lr 0.5 the drawing is still a %v, want %d", last["topAfter"], label)
		}
	}
}

// keepAndDownload keeps copy c1, whose last step was last, as "my digit":
// every page gets the models, the kept model answers the drawing as the copy
// did, and it downloads.
func keepAndDownload(t *testing.T, s *Server, c *client, url, run string, label int, last event) {
	t.Helper()
	c.send(map[string]any{"type": "learnKeep", "req": 60, "copy": "c1", "name": "my digit"})
	var kept, listed event // in either order: every page gets the models when they change
	c.until("kept and models", func(ev event) bool {
		switch ev["type"] {
		case protocol.EvKept:
			kept = ev
		case protocol.EvModels:
			listed = ev
		case protocol.EvError:
			t.Fatalf("learnKeep: %v", ev)
		}
		return kept != nil && listed != nil
	})
	m := kept["model"].(map[string]any)
	if m["name"] != "my digit" || m["kept"] != true || m["steps"] != last["step"] || !strings.Contains(str(m["from"]), run) ||
		m["download"] != "/api/export/model/my%20digit.descent" {
		t.Errorf("kept: %v", m)
	}
	if models := listed["models"].([]any); len(models) != 1 || models[0].(map[string]any)["name"] != "my digit" {
		t.Errorf("models after a keep: %v", models)
	}
	cmd := predictCmd(61, "", 140, 140, bar())
	cmd["model"] = "my digit"
	c.send(cmd)
	p := c.answer(61)
	if p["type"] != protocol.EvPrediction || p["top"] != float64(label) {
		t.Fatalf("predict with the kept model: %v, want %d", p, label)
	}
	for i, v := range floats(p["probs"]) {
		if want := floats(last["probsAfter"])[i]; math.Abs(v-want) > 1e-6 {
			t.Errorf("kept model's p[%d] = %v, the copy's after its last step %v", i, v, want)
		}
	}
	resp, err := http.Get(url + str(m["download"]))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dl, err := mnist.ParseModel(body)
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "my_digit.descent") {
		t.Fatalf("download: HTTP %d, %v, %q", resp.StatusCode, err, resp.Header.Get("Content-Disposition"))
	}
	if saved, _ := s.models.Model("my digit"); !slices.Equal(dl.Params, saved.Params) {
		t.Error("the downloaded model is not the kept one")
	}
	if resp, err := http.Get(url + "/api/export/model/nothing.descent"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("an unknown model's download: %v, %v; want 404", resp, err)
	}
}

// TestLearnLimits: the copies of a page and of the server, and the kept
// models, are bounded by their flags; a page that goes frees its copies.
func TestLearnLimits(t *testing.T) {
	s, ts := newServerWith(t, 400, 1, Config{Models: map[string]*mnist.Model{"sine": sineModel(16)},
		Limits: Limits{MaxLearners: 2, MaxLearnersTotal: 3, MaxKept: 1}})
	a, hello := dialAs(t, ts, nil)
	b, _ := dialAs(t, ts, nil)
	l := hello["limits"].(map[string]any)
	if l["maxLearners"] != 2.0 || l["maxLearnersTotal"] != 3.0 || l["maxKept"] != 1.0 || l["learnQueue"] != float64(protocol.LearnQueue) ||
		l["testSize"] != 200.0 || l["evalImages"] != 200.0 || l["maxLearnMemory"] != float64(DefaultMaxLearnMemory) || l["learnWorkers"] != 1.0 {
		t.Errorf("hello.limits: %v", l)
	}
	start := func(req int, name string) map[string]any {
		return map[string]any{"type": "learnStart", "req": req, "copy": name, "model": "sine"}
	}
	a.expect(1, start(1, "c1"), protocol.EvLearnCopy)
	a.expect(2, start(2, "c2"), protocol.EvLearnCopy)
	a.refusal(3, start(3, "c3"), "--max-learners")
	a.expect(4, start(4, "c1"), protocol.EvLearnCopy) // replaces c1
	b.expect(5, start(5, "c1"), protocol.EvLearnCopy)
	b.refusal(6, start(6, "c2"), "--max-learners-total")

	a.expect(7, map[string]any{"type": "learnKeep", "copy": "c1", "name": "k1"}, protocol.EvKept)
	a.refusal(8, map[string]any{"type": "learnKeep", "copy": "c2", "name": "k2"}, "--max-kept")
	for _, name := range []string{"k1", "sine"} {
		ev := b.expect(9, map[string]any{"type": "learnKeep", "copy": "c1", "name": name}, protocol.EvError)
		if ev["field"] != "name" || ev["code"] != protocol.CodeInvalid {
			t.Errorf("keep as %q, a name taken: %v", name, ev)
		}
	}
	if saved, _ := s.models.Model("sine"); saved != s.cfg.Models["sine"] {
		t.Error("a keep overwrote another model")
	}

	a.ws.Close() // the page goes: its copies go with it
	deadline := time.Now().Add(5 * time.Second)
	for n, _ := s.panel.Learners(); n != 1 && time.Now().Before(deadline); n, _ = s.panel.Learners() {
		time.Sleep(5 * time.Millisecond)
	}
	if n, bytes := s.panel.Learners(); n != 1 || bytes != draw.LearnerBytes(sineModel(16).Arch, "sgd") {
		t.Errorf("after a page went: %d copies of %d bytes, want page b's one", n, bytes)
	}
	b.expect(10, start(10, "c2"), protocol.EvLearnCopy)
	if _, ok := s.models.Model("k1"); !ok {
		t.Error("a kept model went with its page, want it kept for the life of the server")
	}
	b.expect(11, map[string]any{"type": "modelDelete", "model": "k1"}, protocol.EvModels) // the control link may
	b.refusal(12, map[string]any{"type": "modelDelete", "model": "sine"}, "--models")

	mem, mts := newServerWith(t, 400, 1, Config{Models: map[string]*mnist.Model{"sine": sineModel(16)}, Limits: Limits{MaxLearnMemory: 1}})
	m, _ := dialAs(t, mts, nil)
	for i := 1; ; i++ { // 1 MiB holds two copies of 784-16-10
		cmd := start(20+i, "m"+string(rune('0'+i)))
		if i <= 2 {
			m.expect(20+i, cmd, protocol.EvLearnCopy)
			continue
		}
		m.refusal(20+i, cmd, "--max-learn-memory")
		break
	}
	if n, _ := mem.panel.Learners(); n != 2 {
		t.Errorf("%d copies in 1 MiB, want 2", n)
	}
}

// TestLearnWatch: the watch link may learn and keep, since no run changes,
// but may delete only the models it kept.
func TestLearnWatch(t *testing.T) {
	_, ts := newServerWith(t, 400, 1, Config{Models: map[string]*mnist.Model{"sine": sineModel(16)},
		Access: Access{Token: teacherToken, WatchToken: watchToken}})
	teacher, _ := dialAs(t, ts, cookieHeader(teacherToken, ts))
	w1, _ := dialAs(t, ts, cookieHeader(watchToken, ts))
	w2, _ := dialAs(t, ts, cookieHeader(watchToken, ts))
	for i, w := range []*client{w1, w2} {
		w.expect(1, map[string]any{"type": "learnStart", "copy": "c", "model": "sine", "optimizer": "adam", "hyper": map[string]float64{"beta1": 0.8}},
			protocol.EvLearnCopy)
		w.expect(2, learnStep("c", 4, 0.01, map[string]any{"testIndex": i}), protocol.EvLearned)
		w.expect(3, map[string]any{"type": "gradCheck", "model": "sine", "testIndex": i}, protocol.EvGradChecked)
		w.expect(4, map[string]any{"type": "learnKeep", "copy": "c", "name": []string{"one", "two"}[i]}, protocol.EvKept)
	}
	if ev := w2.expect(5, map[string]any{"type": "modelDelete", "model": "one"}, protocol.EvError); ev["code"] != protocol.CodeWatchOnly {
		t.Errorf("a watcher deletes another page's model: %v", ev)
	}
	w2.expect(6, map[string]any{"type": "modelDelete", "model": "two"}, protocol.EvModels)
	ev := teacher.expect(7, map[string]any{"type": "modelDelete", "model": "one"}, protocol.EvModels)
	if len(ev["models"].([]any)) != 1 {
		t.Errorf("models left: %v, want sine alone", ev["models"])
	}
}
