package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"testing"

	"descent/mnist"
	"descent/server/protocol"
)

// reply reads events until the one that answers req, whatever its type.
func (c *client) reply(req int) event {
	c.t.Helper()
	return c.until("answer", func(ev event) bool { return ev["req"] == float64(req) })
}

// expect sends cmd with req and returns its answer, failing unless it is of
// type typ.
func (c *client) expect(req int, cmd map[string]any, typ string) event {
	c.t.Helper()
	cmd["req"] = req
	c.send(cmd)
	ev := c.reply(req)
	if ev["type"] != typ {
		c.t.Fatalf("%s %v: %v, want %s", cmd["type"], req, ev, typ)
	}
	return ev
}

func b64(t *testing.T, v any) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(str(v))
	if err != nil {
		t.Fatalf("not base64: %v", err)
	}
	return b
}

func floats(v any) []float64 {
	var out []float64
	for _, x := range v.([]any) {
		out = append(out, x.(float64))
	}
	return out
}

// sineModel is a saved model of the given width whose weights are sines,
// after 3 epochs.
func sineModel(hidden int) *mnist.Model { return sineModelOf(hidden, 1, 3) }

// sineModelOf is a saved model whose weights are scale·sin(i), trained for
// epochs epochs.
func sineModelOf(hidden int, scale float64, epochs int) *mnist.Model {
	arch := mnist.Arch{Hidden: []int{hidden}, Activation: mnist.Sigmoid}
	m := &mnist.Model{Arch: arch, Params: make([]float32, arch.NumParams()), Meta: mnist.ModelMeta{Epochs: epochs}}
	for i := range m.Params {
		m.Params[i] = float32(scale * math.Sin(float64(i)))
	}
	return m
}

// wantExplanation checks an explanation event against mnist.Explainer on
// the same model and image.
func wantExplanation(t *testing.T, ev event, m *mnist.Model, img []uint8, class, label int, layers bool) {
	t.Helper()
	if got := b64(t, ev["image"]); !bytes.Equal(got, img) {
		t.Errorf("image is not the one the network was given (%d bytes)", len(got))
	}
	e, err := mnist.NewExplainer(m)
	if err != nil {
		t.Fatal(err)
	}
	want, err := e.Explain(img, class, label)
	if err != nil {
		t.Fatal(err)
	}
	probs := floats(ev["probs"])
	for i := range want.Probs {
		if probs[i] != want.Probs[i] {
			t.Errorf("probs[%d] = %v, want %v (mnist.Explainer)", i, probs[i], want.Probs[i])
		}
	}
	if ev["top"] != float64(want.Top) || ev["class"] != float64(want.Class) || ev["label"] != float64(want.Label) || ev["loss"] != want.Loss {
		t.Errorf("top %v class %v label %v loss %v, want %d %d %d %v", ev["top"], ev["class"], ev["label"], ev["loss"], want.Top, want.Class, want.Label, want.Loss)
	}
	sal := ev["saliency"].(map[string]any)
	if ws := want.SaliencyImage(); !bytes.Equal(b64(t, sal["pixels"]), ws.Pixels) || sal["scale"] != ws.Scale || sal["rows"] != 28.0 {
		t.Errorf("saliency %v, want mnist's SaliencyImage (scale %v)", sal["scale"], ws.Scale)
	}
	got, ok := ev["layers"].([]any)
	switch {
	case !layers && ok:
		t.Errorf("detail saliency sent %d layers", len(got))
	case layers && len(got) != len(want.Layers):
		t.Errorf("%d layers, want %d", len(got), len(want.Layers))
	case layers:
		l0 := got[0].(map[string]any)
		if d := floats(l0["delta"]); len(d) != len(want.Layers[0].Delta) || float32(d[0]) != want.Layers[0].Delta[0] || l0["activation"] != "sigmoid" {
			t.Errorf("layer 1: delta %v…, activation %v; want mnist's", d[:1], l0["activation"])
		}
	}
}

func TestExplain(t *testing.T) {
	s, ts := newServerWith(t, 800, 1, Config{Models: map[string]*mnist.Model{"sine": sineModel(16)}})
	c, _ := dialAs(t, ts, nil)
	ev := c.expect(1, map[string]any{"type": "explain", "pixels": base64.StdEncoding.EncodeToString(make([]byte, 784)), "width": 28, "height": 28},
		protocol.EvExplanation)
	if ev["blank"] != true || ev["top"] != -1.0 || len(ev["probs"].([]any)) != 0 || ev["saliency"] != nil || ev["arch"] != nil {
		t.Errorf("a blank drawing before any run: %v, want a blank answer", ev)
	}

	id := trainedRun(t, c, 2)
	r, _ := s.runs.Get(id)
	snap, err := r.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	test := s.cfg.Test
	ev = c.expect(2, map[string]any{"type": "explain", "run": id, "testIndex": 7, "detail": "layers", "label": 3}, protocol.EvExplanation)
	if ev["run"] != id || ev["epoch"] != 2.0 || ev["testIndex"] != 7.0 || ev["testLabel"] != float64(test.Labels[7]) || ev["detail"] != "layers" {
		t.Errorf("test image 7: run %v epoch %v testIndex %v testLabel %v detail %v", ev["run"], ev["epoch"], ev["testIndex"], ev["testLabel"], ev["detail"])
	}
	if ev["placement"] != nil {
		t.Errorf("a test image has no placement, got %v", ev["placement"])
	}
	wantExplanation(t, ev, snap.Model, test.Image(7), mnist.TopClass, 3, true)
	if a := ev["arch"].(map[string]any); a["activation"] != "sigmoid" || len(a["hidden"].([]any)) != 1 {
		t.Errorf("arch %v, want the run's 784-16-10 sigmoid", a)
	}

	ev = c.expect(3, map[string]any{"type": "explain", "model": "sine", "width": 140, "height": 140,
		"pixels": base64.StdEncoding.EncodeToString(bar()), "class": 5}, protocol.EvExplanation)
	img, _, _ := mnist.Preprocess(bar(), 140, 140)
	if ev["model"] != "sine" || ev["epoch"] != 3.0 || ev["detail"] != "saliency" || ev["testIndex"] != nil {
		t.Errorf("a drawing with a saved model: model %v epoch %v detail %v", ev["model"], ev["epoch"], ev["detail"])
	}
	wantExplanation(t, ev, s.cfg.Models["sine"], img, 5, mnist.TopClass, false)
	_, _, at, _ := mnist.Place(bar(), 140, 140)
	if pl, _ := ev["placement"].(map[string]any); pl["x0"] != 63.0 || pl["y0"] != 20.0 || pl["w"] != 14.0 || pl["h"] != 100.0 ||
		pl["oh"] != float64(mnist.Box) || pl["dx"] != float64(at.DX) || pl["dy"] != float64(at.DY) || pl["ow"] != float64(at.OW) {
		t.Errorf("placement %v, want the bar's box (63, 20) + 14×100 onto %+v", pl, at)
	}

	// Explains and drawings have their own queues: neither replaces the other.
	c.send(predictCmd(4, "", 140, 140, bar()))
	c.send(map[string]any{"type": "explain", "req": 5, "testIndex": 0})
	got := map[float64]event{}
	c.until("both answers", func(ev event) bool {
		if r, ok := ev["req"].(float64); ok && (r == 4 || r == 5) {
			got[r] = ev
		}
		return len(got) == 2
	})
	if got[4]["type"] != protocol.EvPrediction || got[5]["type"] != protocol.EvExplanation || got[5]["run"] != id {
		t.Errorf("a drawing then an explain with no run: %v and %v, want a prediction and an explanation by %s", got[4], got[5], id)
	}
}

// TestGradCheck: backpropagation and central differences agree to 1e-5 on
// a trained run and on a saved model, with the weights the seed picks.
func TestGradCheck(t *testing.T) {
	_, ts := newServerWith(t, 800, 1, Config{Models: map[string]*mnist.Model{"sine": sineModel(16)}})
	c, _ := dialAs(t, ts, nil)
	id := trainedRun(t, c, 2)
	for i, cmd := range []map[string]any{
		{"type": "gradCheck", "run": id, "testIndex": 4, "weights": 16, "seed": 7},
		{"type": "gradCheck", "model": "sine", "width": 140, "height": 140, "pixels": base64.StdEncoding.EncodeToString(bar()), "label": 2},
	} {
		ev := c.expect(10+i, cmd, protocol.EvGradChecked)
		checks := ev["checks"].([]any)
		wantN := 16
		if i == 1 {
			wantN = protocol.DefaultGradWeights
		}
		if len(checks) != wantN || ev["maxRelError"].(float64) >= 1e-5 || ev["step"] != mnist.FDStep {
			t.Errorf("%v: %d checks, max relative error %v; want %d under 1e-5", cmd, len(checks), ev["maxRelError"], wantN)
		}
		for _, ch := range checks {
			w := ch.(map[string]any)
			if b, n := w["backprop"].(float64), w["numeric"].(float64); math.Abs(b-n) > 1e-5*math.Max(math.Abs(b), 1e-3) {
				t.Errorf("weight %v: backprop %v, numeric %v", w["index"], b, n)
			}
		}
		if i == 0 && (ev["seed"] != 7.0 || ev["testIndex"] != 4.0) {
			t.Errorf("seed %v testIndex %v, want 7 and 4", ev["seed"], ev["testIndex"])
		}
		if i == 1 && ev["label"] != 2.0 {
			t.Errorf("label %v, want 2", ev["label"])
		}
	}
	ev := c.expect(12, map[string]any{"type": "gradCheck", "run": id, "width": 28, "height": 28,
		"pixels": base64.StdEncoding.EncodeToString(make([]byte, 784))}, protocol.EvError)
	if ev["field"] != "pixels" || ev["code"] != protocol.CodeInvalid {
		t.Errorf("a blank drawing: %v, want an invalid pixels", ev)
	}
}

// TestDerivativesMalformed: every bad explain, gradCheck and learn command
// gets an error event with its code and field, and the page goes on.
func TestDerivativesMalformed(t *testing.T) {
	_, ts := newServerWith(t, 100, 1, Config{Models: map[string]*mnist.Model{"sine": sineModel(16)}})
	c, _ := dialAs(t, ts, nil)
	pix := `"width":28,"height":28,"pixels":"` + base64.StdEncoding.EncodeToString(make([]byte, 784)) + `"`
	big := `"width":400,"height":400,"pixels":"` + base64.StdEncoding.EncodeToString(make([]byte, 400*400)) + `"`
	cases := []struct{ name, frame, code, field string }{
		{"explain: no picture", `{"type":"explain"}`, protocol.CodeMissing, "pixels"},
		{"explain: both pictures", `{"type":"explain",` + pix + `,"testIndex":1}`, protocol.CodeInvalid, "testIndex"},
		{"explain: test index past the set", `{"type":"explain","testIndex":200}`, protocol.CodeOutOfRange, "testIndex"},
		{"explain: negative test index", `{"type":"explain","testIndex":-1}`, protocol.CodeOutOfRange, "testIndex"},
		{"explain: test index as text", `{"type":"explain","testIndex":"1"}`, protocol.CodeBadType, "testIndex"},
		{"explain: class 10", `{"type":"explain","testIndex":1,"class":10}`, protocol.CodeOutOfRange, "class"},
		{"explain: label -2", `{"type":"explain","testIndex":1,"label":-2}`, protocol.CodeOutOfRange, "label"},
		{"explain: class 1.5", `{"type":"explain","testIndex":1,"class":1.5}`, protocol.CodeBadType, "class"},
		{"explain: unknown detail", `{"type":"explain","testIndex":1,"detail":"all"}`, protocol.CodeUnknown, "detail"},
		{"explain: run and model", `{"type":"explain","testIndex":1,"run":"r1","model":"sine"}`, protocol.CodeInvalid, "model"},
		{"explain: unknown model", `{"type":"explain","testIndex":1,"model":"cosine"}`, protocol.CodeUnknown, "model"},
		{"explain: unknown run", `{"type":"explain","testIndex":1,"run":"r9"}`, protocol.CodeUnknown, "run"},
		{"explain: no run yet", `{"type":"explain","testIndex":1}`, protocol.CodeUnknown, "run"},
		{"explain: bad base64", `{"type":"explain","width":28,"height":28,"pixels":"@@"}`, protocol.CodeBadType, "pixels"},
		{"explain: unknown field", `{"type":"explain","testIndex":1,"scale":2}`, protocol.CodeUnknown, "scale"},
		{"explain: too large", `{"type":"explain",` + big + `}`, protocol.CodeTooLarge, ""},
		{"gradCheck: 0 weights", `{"type":"gradCheck","model":"sine","testIndex":1,"weights":0}`, protocol.CodeOutOfRange, "weights"},
		{"gradCheck: 65 weights", `{"type":"gradCheck","model":"sine","testIndex":1,"weights":65}`, protocol.CodeOutOfRange, "weights"},
		{"gradCheck: seed past 2^53", `{"type":"gradCheck","model":"sine","testIndex":1,"seed":9007199254740993}`, protocol.CodeOutOfRange, "seed"},
		{"gradCheck: negative seed", `{"type":"gradCheck","model":"sine","testIndex":1,"seed":-1}`, protocol.CodeBadType, "seed"},
		{"gradCheck: label 10", `{"type":"gradCheck","model":"sine","testIndex":1,"label":10}`, protocol.CodeOutOfRange, "label"},
		{"gradCheck: blank", `{"type":"gradCheck","model":"sine",` + pix + `}`, protocol.CodeInvalid, "pixels"},
		{"learnStart: no copy", `{"type":"learnStart","model":"sine"}`, protocol.CodeMissing, "copy"},
		{"learnStart: bad copy name", `{"type":"learnStart","copy":"a b","model":"sine"}`, protocol.CodeInvalid, "copy"},
		{"learnStart: long copy name", `{"type":"learnStart","copy":"` + strings.Repeat("c", 33) + `","model":"sine"}`, protocol.CodeTooLarge, "copy"},
		{"learnStart: unknown optimizer", `{"type":"learnStart","copy":"c","model":"sine","optimizer":"lbfgs"}`, protocol.CodeUnknown, "optimizer"},
		{"learnStart: surface-only optimizer", `{"type":"learnStart","copy":"c","model":"sine","optimizer":"newton"}`, protocol.CodeInvalid, "optimizer"},
		{"learnStart: unknown hyper", `{"type":"learnStart","copy":"c","model":"sine","optimizer":"adam","hyper":{"rho":0.9}}`, protocol.CodeUnknown, "hyper.rho"},
		{"learnStart: hyper out of range", `{"type":"learnStart","copy":"c","model":"sine","optimizer":"adam","hyper":{"beta1":1.5}}`, protocol.CodeOutOfRange, "hyper.beta1"},
		{"learnStart: lr as hyper", `{"type":"learnStart","copy":"c","model":"sine","hyper":{"lr":0.1}}`, protocol.CodeUnknown, "hyper.lr"},
		{"learnStart: unknown model", `{"type":"learnStart","copy":"c","model":"cosine"}`, protocol.CodeUnknown, "model"},
		{"learnStart: no run yet", `{"type":"learnStart","copy":"c"}`, protocol.CodeUnknown, "run"},
		{"learnStep: unknown copy", `{"type":"learnStep","copy":"zz","testIndex":1,"label":3,"lr":0.1}`, protocol.CodeUnknown, "copy"},
		{"learnStep: no label", `{"type":"learnStep","copy":"c","testIndex":1,"lr":0.1}`, protocol.CodeMissing, "label"},
		{"learnStep: label 10", `{"type":"learnStep","copy":"c","testIndex":1,"label":10,"lr":0.1}`, protocol.CodeOutOfRange, "label"},
		{"learnStep: no lr", `{"type":"learnStep","copy":"c","testIndex":1,"label":3}`, protocol.CodeMissing, "lr"},
		{"learnStep: lr 0", `{"type":"learnStep","copy":"c","testIndex":1,"label":3,"lr":0}`, protocol.CodeOutOfRange, "lr"},
		{"learnStep: lr too large", `{"type":"learnStep","copy":"c","testIndex":1,"label":3,"lr":1e9}`, protocol.CodeOutOfRange, "lr"},
		{"learnStep: lr 1e400", `{"type":"learnStep","copy":"c","testIndex":1,"label":3,"lr":1e400}`, protocol.CodeOutOfRange, "lr"},
		{"learnStep: blank", `{"type":"learnStep","copy":"c",` + pix + `,"label":3,"lr":0.1}`, protocol.CodeInvalid, "pixels"},
		{"learnStep: no picture", `{"type":"learnStep","copy":"c","label":3,"lr":0.1}`, protocol.CodeMissing, "pixels"},
		{"learnReset: hyper alone", `{"type":"learnReset","copy":"c","hyper":{"beta1":0.9}}`, protocol.CodeInvalid, "hyper"},
		{"learnReset: unknown copy", `{"type":"learnReset","copy":"zz"}`, protocol.CodeUnknown, "copy"},
		{"learnKeep: no name", `{"type":"learnKeep","copy":"c"}`, protocol.CodeMissing, "name"},
		{"learnKeep: slash", `{"type":"learnKeep","copy":"c","name":"a/b"}`, protocol.CodeInvalid, "name"},
		{"learnKeep: long name", `{"type":"learnKeep","copy":"c","name":"` + strings.Repeat("n", 41) + `"}`, protocol.CodeTooLarge, "name"},
		{"learnKeep: taken", `{"type":"learnKeep","copy":"c","name":"sine"}`, protocol.CodeInvalid, "name"},
		{"learnKeep: unknown copy", `{"type":"learnKeep","copy":"zz","name":"n"}`, protocol.CodeUnknown, "copy"},
		{"learnDrop: no copy", `{"type":"learnDrop"}`, protocol.CodeMissing, "copy"},
		{"learnDrop: unknown copy", `{"type":"learnDrop","copy":"zz"}`, protocol.CodeUnknown, "copy"},
		{"modelDelete: no model", `{"type":"modelDelete"}`, protocol.CodeMissing, "model"},
		{"modelDelete: unknown", `{"type":"modelDelete","model":"zz"}`, protocol.CodeUnknown, "model"},
		{"modelDelete: a file", `{"type":"modelDelete","model":"sine"}`, protocol.CodeInvalid, "model"},
	}
	c.expect(1, map[string]any{"type": "learnStart", "copy": "c", "model": "sine"}, protocol.EvLearnCopy)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := 100 + i
			c.sendRaw(strings.Replace(tc.frame, "{", `{"req":`+strconv.Itoa(req)+`,`, 1))
			var ev event
			if tc.code == protocol.CodeTooLarge { // only its size is read: no req comes back
				ev = c.until("error", isType(protocol.EvError))
			} else {
				ev = c.reply(req)
			}
			if ev["type"] != protocol.EvError || ev["code"] != tc.code || ev["field"] != nilIfEmpty(tc.field) || str(ev["message"]) == "" {
				t.Errorf("%.70s: %v, want a %s error on %q", tc.frame, ev, tc.code, tc.field)
			}
		})
	}
	// Nothing was lost: the copy is there, and the page is served, as the
	// others are.
	other, _ := dialAs(t, ts, nil)
	other.expect(4, map[string]any{"type": "explain", "model": "sine", "testIndex": 2}, protocol.EvExplanation)
	ev := c.expect(2, map[string]any{"type": "learnStep", "copy": "c", "testIndex": 1, "label": 3, "lr": 0.1}, protocol.EvLearned)
	if ev["step"] != 1.0 {
		t.Errorf("the copy after the refusals: %v, want its first step", ev)
	}
	c.expect(3, map[string]any{"type": "explain", "model": "sine", "testIndex": 1}, protocol.EvExplanation)
}
