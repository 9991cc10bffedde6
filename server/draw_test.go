package server

import (
	"bytes"
	"encoding/base64"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/protocol"
)

// bar is a 140×140 drawing of a "1": a vertical stroke 14 pixels wide.
func bar() []byte {
	const n = 140
	pix := make([]byte, n*n)
	for y := 20; y < 120; y++ {
		for x := 63; x < 77; x++ {
			pix[y*n+x] = 255
		}
	}
	return pix
}

func predictCmd(req int, run string, w, h int, pix []byte) map[string]any {
	return map[string]any{"type": "predict", "req": req, "run": run, "width": w, "height": h,
		"pixels": base64.StdEncoding.EncodeToString(pix)}
}

// answer reads events until the prediction or error for req.
func (c *client) answer(req int) event {
	c.t.Helper()
	return c.until("answer to predict", func(ev event) bool {
		return (ev["type"] == protocol.EvPrediction || ev["type"] == protocol.EvError) && ev["req"] == float64(req)
	})
}

// trainedRun starts a small run and waits for it to finish.
func trainedRun(t *testing.T, c *client, epochs int) string {
	t.Helper()
	id := c.start(100, smallConfig(epochs))
	c.until("run done", statusOf(id, protocol.StatusDone))
	return id
}

func TestPredict(t *testing.T) {
	_, ts := newTestServer(t, 800, 1)
	c := dial(t, ts)
	id := trainedRun(t, c, 2)
	for _, run := range []string{id, ""} {
		c.send(predictCmd(1, run, 140, 140, bar()))
		ev := c.answer(1)
		if ev["type"] != protocol.EvPrediction {
			t.Fatalf("predict run %q: %v", run, ev)
		}
		if ev["run"] != id || ev["epoch"] != 2.0 || ev["blank"] != false {
			t.Errorf("predict run %q: run %v epoch %v blank %v, want %s, 2, false", run, ev["run"], ev["epoch"], ev["blank"], id)
		}
		probs := ev["probs"].([]any)
		p := make([]float64, len(probs))
		sum := 0.0
		for i, v := range probs {
			p[i] = v.(float64)
			sum += p[i]
		}
		if len(p) != mnist.Classes || math.Abs(sum-1) > 1e-9 || ev["top"] != float64(mnist.ArgMax(p)) {
			t.Errorf("probs %v (sum %g), top %v: want 10 probabilities summing to 1 and their argmax", p, sum, ev["top"])
		}
		want, _, _ := mnist.Preprocess(bar(), 140, 140)
		got, err := base64.StdEncoding.DecodeString(ev["image"].(string))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("image is not mnist.Preprocess of the drawing (%d bytes, err %v)", len(got), err)
		}
	}
}

// TestPredictBlank: an empty canvas has no answer and no error, even before
// any run exists.
func TestPredictBlank(t *testing.T) {
	_, ts := newTestServer(t, 800, 1)
	c := dial(t, ts)
	c.send(predictCmd(3, "", 28, 28, make([]byte, 28*28)))
	ev := c.answer(3)
	if ev["type"] != protocol.EvPrediction || ev["blank"] != true || ev["top"] != -1.0 || len(ev["probs"].([]any)) != 0 {
		t.Fatalf("blank drawing: %v, want a blank prediction", ev)
	}
	c.send(predictCmd(4, "", 140, 140, bar()))
	if ev := c.answer(4); ev["type"] != protocol.EvError || ev["field"] != "run" {
		t.Errorf("drawing with no run: %v, want an error on run", ev)
	}
}

func TestPredictMalformed(t *testing.T) {
	_, ts := newTestServer(t, 800, 1)
	c := dial(t, ts)
	b64 := base64.StdEncoding.EncodeToString(make([]byte, 30*30))
	cases := []struct{ name, frame, field, allowed string }{
		{"wrong length", `{"type":"predict","req":1,"width":30,"height":31,"pixels":"` + b64 + `"}`, "pixels", "930"},
		{"bad base64", `{"type":"predict","req":1,"width":30,"height":30,"pixels":"@@@@"}`, "pixels", "base64"},
		{"width 0", `{"type":"predict","req":1,"width":0,"height":30,"pixels":"` + b64 + `"}`, "width", "28 to 1024"},
		{"width 5000", `{"type":"predict","req":1,"width":5000,"height":30,"pixels":"` + b64 + `"}`, "width", "28 to 1024"},
		{"height absurd", `{"type":"predict","req":1,"width":30,"height":1e12,"pixels":"` + b64 + `"}`, "height", "integer"},
		{"missing height", `{"type":"predict","req":1,"width":30,"pixels":"` + b64 + `"}`, "height", "28 to 1024"},
		{"missing pixels", `{"type":"predict","req":1,"width":30,"height":30}`, "pixels", "base64"},
		{"pixels as numbers", `{"type":"predict","req":1,"width":28,"height":28,"pixels":[0,300,-1]}`, "pixels", "string"},
		{"width as string", `{"type":"predict","req":1,"width":"30","height":30,"pixels":"` + b64 + `"}`, "width", "integer"},
		{"unknown field", `{"type":"predict","req":1,"width":30,"height":30,"pixels":"` + b64 + `","scale":2}`, "scale", ""},
		{"unknown run", `{"type":"predict","req":1,"run":"r99","width":30,"height":30,"pixels":"` + b64 + `"}`, "run", "id"},
		{"frame too large", `{"type":"predict","req":1,"width":400,"height":400,"pixels":"` +
			base64.StdEncoding.EncodeToString(make([]byte, 400*400)) + `"}`, "", "131072 for predict"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c.sendRaw(tc.frame)
			ev := c.until("error", isType(protocol.EvError))
			if ev["field"] != nilIfEmpty(tc.field) || !strings.Contains(str(ev["allowed"]), tc.allowed) {
				t.Errorf("%.60s…: field %v allowed %v (%v), want field %q allowed containing %q",
					tc.frame, ev["field"], ev["allowed"], ev["message"], tc.field, tc.allowed)
			}
		})
	}
	// The connection stays open and answers.
	c.send(predictCmd(9, "", 28, 28, make([]byte, 28*28)))
	if ev := c.answer(9); ev["type"] != protocol.EvPrediction {
		t.Errorf("after the errors: %v", ev)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func str(v any) string { s, _ := v.(string); return s }

// TestPredictWhileTraining draws against a run that is training: every
// answer comes quickly, and the answers follow the epochs.
func TestPredictWhileTraining(t *testing.T) {
	_, ts := newTestServer(t, 1600, 1)
	c := dial(t, ts)
	id := c.start(1, smallConfig(500))
	var lat []time.Duration
	var epochs []int
	for req := 10; req < 40; req++ {
		time.Sleep(time.Second / protocol.PredictHz)
		t0 := time.Now()
		c.send(predictCmd(req, id, 140, 140, bar()))
		ev := c.answer(req)
		lat = append(lat, time.Since(t0))
		if ev["type"] != protocol.EvPrediction {
			t.Fatalf("predict while training: %v", ev)
		}
		epochs = append(epochs, int(ev["epoch"].(float64)))
	}
	slices.Sort(lat)
	t.Logf("%d predictions while training: median %v, max %v; epochs %v", len(lat), lat[len(lat)/2], lat[len(lat)-1], epochs)
	if lat[len(lat)/2] > 50*time.Millisecond {
		t.Errorf("median latency %v while training, want under 50 ms", lat[len(lat)/2])
	}
	if epochs[len(epochs)-1] <= epochs[0] {
		t.Errorf("epochs of the answers %v: want them to follow the training", epochs)
	}
}

// TestPredictMerges sends drawings faster than protocol.PredictHz: the latest one is
// answered, and some older ones are merged away rather than queued.
func TestPredictMerges(t *testing.T) {
	_, ts := newTestServer(t, 800, 1)
	c := dial(t, ts)
	id := trainedRun(t, c, 1)
	for req := 1; req <= 20; req++ {
		c.send(predictCmd(req, id, 140, 140, bar()))
	}
	answered := 0
	c.until("answer to the last drawing", func(ev event) bool {
		if ev["type"] == protocol.EvPrediction {
			answered++
		}
		return ev["type"] == protocol.EvPrediction && ev["req"] == 20.0
	})
	if answered >= 20 {
		t.Errorf("all %d drawings sent at once were answered; want the waiting ones merged", answered)
	}
}

// TestPredictSavedModel serves a model file from a folder (descent serve
// --models DIR): hello lists it, and it answers drawings.
func TestPredictSavedModel(t *testing.T) {
	dir := t.TempDir()
	arch := mnist.Arch{Hidden: []int{16}, Activation: "sigmoid"}
	m := &mnist.Model{Arch: arch, Params: make([]float32, arch.NumParams()), Meta: mnist.ModelMeta{Epochs: 3}}
	for i := range m.Params {
		m.Params[i] = float32(math.Sin(float64(i)))
	}
	if err := m.Save(filepath.Join(dir, "sine.descent")); err != nil {
		t.Fatal(err)
	}
	models, err := LoadModels(dir)
	if err != nil || len(models) != 1 {
		t.Fatalf("LoadModels: %d models, %v", len(models), err)
	}
	s := New(Config{Train: synthData(100, 1), Test: synthData(100, 2), Concurrent: 1, Page: testPage, Models: models,
		Logger: fake.Quiet()})
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.Close()
	if got := s.hello(RoleControl).Models; len(got) != 1 || got[0].Name != "sine" || got[0].Meta.Epochs != 3 {
		t.Errorf("hello lists models %+v, want sine after 3 epochs", got)
	}
	c := dial(t, ts)
	cmd := predictCmd(1, "", 140, 140, bar())
	cmd["model"] = "sine"
	c.send(cmd)
	if ev := c.answer(1); ev["type"] != protocol.EvPrediction || ev["model"] != "sine" || ev["epoch"] != 3.0 || len(ev["probs"].([]any)) != 10 {
		t.Errorf("predict with the saved model: %v", ev)
	}
	cmd["model"], cmd["req"] = "cosine", 2
	c.send(cmd)
	if ev := c.answer(2); ev["type"] != protocol.EvError || ev["field"] != "model" {
		t.Errorf("predict with an unknown model: %v, want an error on model", ev)
	}
	cmd["run"], cmd["req"] = "r1", 3
	c.send(cmd)
	if ev := c.answer(3); ev["type"] != protocol.EvError || ev["field"] != "model" || !strings.Contains(str(ev["allowed"]), "not both") {
		t.Errorf("predict with a run and a model: %v, want an error on model", ev)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.descent"), []byte("DESCENT\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadModels(dir); err == nil || !strings.Contains(err.Error(), "bad.descent") {
		t.Errorf("LoadModels with a truncated file: %v, want an error naming it", err)
	}
}
