package server

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"descent/mnist"
	"descent/server/draw"
	"descent/server/hessian"
	"descent/server/landscape"
	"descent/server/protocol"
)

// Fuzz targets for the decoders that read what a page sends: the command
// parser, the drawing decoder and the picture decoder (a drawing or a test
// image). Run them with
//
//	go test -run '^$' -fuzz FuzzParseCommand -fuzztime 10s ./server
//	go test -run '^$' -fuzz FuzzDecodeDrawing -fuzztime 10s ./server
//	go test -run '^$' -fuzz FuzzDecodePicture -fuzztime 10s ./server
//
// Crashers are kept in testdata/fuzz and replayed by go test.

// commandSeeds covers every command type, valid and nearly valid.
var commandSeeds = []string{
	`{"type":"start","req":1,"label":"a","config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":3}}`,
	`{"type":"start","req":2,"config":{"arch":{"hidden":[100,50],"activation":"relu"},"optimizer":"adam","hyper":{"beta1":0.9},"lr":0.001,"batch":32,"epochs":2,"seed":7,"schedule":{"kind":"step","every":1,"gamma":0.5},"evalLimit":1000}}`,
	`{"type":"start","req":3,"config":{"optimizer":"sgd","lrRange":true,"lrMin":1e-5,"lrMax":10,"batch":64,"epochs":1}}`,
	`{"type":"start","config":{"optimizer":"sgd","lr":1e400,"batch":64,"epochs":3}}`,
	`{"type":"sweep","req":4,"base":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":1},"variants":[{"lr":0.01},{"lr":1,"label":"big"},{"optimizer":"adam","lr":0.001,"hyper":{"beta2":0.99}},{"batch":1}]}`,
	`{"type":"sweep","base":{},"variants":[]}`,
	`{"type":"pause","req":5,"run":"r1"}`, `{"type":"resume","run":"r1"}`, `{"type":"stop","run":"r1"}`,
	`{"type":"delete","run":"r1"}`, `{"type":"unsubscribe","run":"r1"}`, `{"type":"restart","run":"r1"}`,
	`{"type":"rename","run":"r1","label":"new name"}`,
	`{"type":"subscribe","req":6,"run":"r1","weights":true,"from":10}`, `{"type":"subscribe","run":"r1","from":-1}`,
	`{"type":"list","req":7}`,
	`{"type":"pace","req":12,"run":"r1","epochSeconds":10}`, `{"type":"pace","run":"r1","epochSeconds":-1}`,
	`{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":1},"pace":{"epochSeconds":1}}`,
	`{"type":"weightsAt","req":13,"run":"r1","step":450}`, `{"type":"weightsAt","run":"","step":0}`,
	`{"type":"predict","req":8,"run":"","width":28,"height":28,"pixels":"` + base64.StdEncoding.EncodeToString(make([]byte, 784)) + `"}`,
	`{"type":"predict","model":"m","width":28,"height":28,"pixels":"AAAA"}`,
	`{"type":"trajStart","req":9,"fn":"rosenbrock","start":[-1.5,2],"steps":2000,"tol":1e-6,"optimizers":[{"method":"adam","params":{"lr":0.05}},{"method":"gd","params":{"lr":0.001}}],"rate":100}`,
	`{"type":"trajStart","fn":"saddle","fnParams":{"a":1},"start":[1e7,NaN],"steps":0,"tol":-1,"optimizers":[{"method":"newton"}]}`,
	`{"type":"trajControl","req":10,"traj":"t1","action":"play","rate":50}`, `{"type":"trajControl","traj":"t1","action":"lr","lr":0.1}`,
	`{"type":"trajDelete","req":11,"traj":"t1"}`,
	`{"type":"explain","req":14,"run":"r1","width":28,"height":28,"pixels":"` + base64.StdEncoding.EncodeToString(make([]byte, 784)) + `","class":5,"label":-1,"detail":"layers"}`,
	`{"type":"explain","model":"m","testIndex":8,"detail":"saliency"}`, `{"type":"explain","testIndex":8,"width":28}`,
	`{"type":"explain","testIndex":1e9,"class":10}`, `{"type":"explain","testIndex":-1}`, `{"type":"explain"}`,
	`{"type":"gradCheck","req":15,"run":"r1","testIndex":3,"weights":8,"seed":42,"label":2}`,
	`{"type":"gradCheck","testIndex":3,"weights":65,"seed":-1}`, `{"type":"gradCheck","testIndex":3,"seed":9007199254740993}`,
	`{"type":"learnStart","req":16,"copy":"c1","run":"r1","optimizer":"adam","hyper":{"beta1":0.8,"amsgrad":1}}`,
	`{"type":"learnStart","copy":"../x","model":"m","optimizer":"newton"}`, `{"type":"learnStart","copy":"c","hyper":{"lr":1}}`,
	`{"type":"learnStep","req":17,"copy":"c1","width":140,"height":140,"pixels":"AAAA","label":5,"lr":0.1}`,
	`{"type":"learnStep","copy":"c1","testIndex":0,"label":3,"lr":0.5}`, `{"type":"learnStep","copy":"c1","testIndex":0,"label":10,"lr":1e400}`,
	`{"type":"learnReset","req":18,"copy":"c1"}`, `{"type":"learnReset","copy":"c1","optimizer":"rmsprop","hyper":{"alpha":0.9}}`,
	`{"type":"learnReset","copy":"c1","hyper":{"beta1":0.9}}`,
	`{"type":"learnKeep","req":19,"copy":"c1","name":"내 숫자"}`, `{"type":"learnKeep","copy":"c1","name":"a/b"}`, `{"type":"learnKeep","copy":"c1","name":" "}`,
	`{"type":"learnDrop","req":20,"copy":"c1"}`, `{"type":"learnDrop","copy":""}`,
	`{"type":"modelDelete","req":21,"model":"mine"}`, `{"type":"modelDelete"}`,
	`{"type":"landscape","req":14,"run":"r3","grid":51,"testExamples":2000,"follow":true}`,
	`{"type":"landscape","req":15,"model":"report","plane":"random","seed":2,"range":0.5,"examples":500}`,
	`{"type":"landscape","sweep":"s2","domain":[-4,12,-3,3]}`, `{"type":"landscape","run":"r1","domain":[1,1,0,1e999]}`,
	`{"type":"landscape","run":"r1","model":"m","grid":-3,"range":-1,"plane":"pca","seed":-1}`,
	`{"type":"landscapeLine","req":16,"run":"r3","testExamples":0}`, `{"type":"landscapeLine","sweep":"s1","examples":70000}`,
	`{"type":"landscapeCancel","req":17}`,
	`{"type":"present","req":22,"state":"lesson=2&step=1"}`, `{"type":"present","state":""}`, `{"type":"present","state":"\u0000"}`,
	`{"type":"hessian","req":14,"run":"r1","top":5,"examples":1000,"density":true}`, `{"type":"hessian","run":"r1","at":"epoch"}`,
	`{"type":"hessian","model":"m","top":10}`, `{"type":"hessian","run":"r1","model":"m","top":11,"examples":-1,"at":"x"}`,
	`{"type":"hessian","run":"r1","examples":1e9,"top":1.5}`, `{"type":"hessian"}`,
	`{"type":"start","config":{"optimizer":"sgd","lr":2,"batch":5000,"epochs":100,"trainExamples":5000},"sharpness":{"examples":5000}}`,
	`{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":1,"trainExamples":-3},"sharpness":{"track":false,"examples":-1}}`,
	`{"type":"sweep","base":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":1},"variants":[{"lr":0.5},{"lr":2}],"sharpness":{"track":true}}`,
	`{"type":"nope"}`, `{"type":7}`, `{}`, `[]`, `null`, `{"type":"list","req":"x"}`, `{"type":"list","extra":1}`,
	`{"type":"start","config":{"optimizer":"sgd","lr":0.1,"batch":64,"epochs":3},"type":"stop"}`, "\xff\xfe", ``,
}

func FuzzParseCommand(f *testing.F) {
	for _, s := range commandSeeds {
		f.Add([]byte(s))
	}
	s := &Server{validator: validator{trainN: 60000, testN: 10000}, limits: Limits{}.withDefaults()}
	f.Fuzz(func(t *testing.T, frame []byte) {
		spec, typ, _, v, err := s.parse(frame, RoleControl)
		if err != nil {
			var fe *protocol.FieldError
			if !errors.As(err, &fe) || fe.Message == "" || fe.Code == "" || !strings.HasPrefix(err.Error(), "server: ") {
				t.Fatalf("parse(%q): error %#v, want a *protocol.FieldError with a code and a message", frame, err)
			}
			return
		}
		if v == nil || typ == "" || spec.name != typ {
			t.Fatalf("parse(%q) = %T %q, want a command of a known type", frame, v, typ)
		}
		// What parse accepts, the handlers carry out: they do not check again.
		switch c := v.(type) {
		case newRuns:
			if len(c.cfgs) == 0 || len(c.cfgs) != len(c.labels) || len(c.cfgs) > protocol.MaxSweep {
				t.Fatalf("parse(%q) accepted %d runs", frame, len(c.cfgs))
			}
			for _, cfg := range c.cfgs {
				if cfg.Epochs < 1 || cfg.Batch < 1 || cfg.Epochs > mnist.MaxEpochs || cfg.Validate() != nil {
					t.Fatalf("parse(%q) accepted %+v", frame, cfg)
				}
				if n := max(cfg.TrainExamples, 0); c.sharpness < 0 || c.sharpness > s.limits.MaxHessianExamples ||
					(cfg.TrainExamples > 0 && c.sharpness > n) {
					t.Fatalf("parse(%q) accepted tracking on %d images of %d", frame, c.sharpness, n)
				}
			}
		case hessian.Request:
			if (c.Run == "") == (c.Model == "") || c.Top < 1 || c.Top > protocol.MaxHessianTop ||
				c.Examples < 0 || c.Examples > s.limits.MaxHessianExamples {
				t.Fatalf("parse(%q) accepted %+v", frame, c)
			}
		case draw.Drawing:
			if c.W < mnist.MinCanvas || c.H < mnist.MinCanvas || c.W > mnist.MaxCanvas || c.H > mnist.MaxCanvas {
				t.Fatalf("parse(%q) accepted a %d×%d drawing", frame, c.W, c.H)
			}
		case string:
			if c == "" {
				t.Fatalf("parse(%q) accepted an empty id", frame)
			}
		case draw.ExplainQuery:
			checkPicture(t, frame, c.Picture)
			if c.Class < mnist.TopClass || c.Class >= mnist.Classes || c.Label < mnist.TopClass || c.Label >= mnist.Classes || (c.Run != "" && c.Model != "") {
				t.Fatalf("parse(%q) accepted %+v", frame, c)
			}
		case draw.GradQuery:
			checkPicture(t, frame, c.Picture)
			if c.Weights < 1 || c.Weights > mnist.MaxChecks || c.Seed > protocol.MaxSeed || c.Label < mnist.TopClass || c.Label >= mnist.Classes {
				t.Fatalf("parse(%q) accepted %+v", frame, c)
			}
		case draw.StepQuery:
			checkPicture(t, frame, c.Picture)
			if draw.CheckCopyName(c.Copy) != nil || c.Label < 0 || c.Label >= mnist.Classes || !(c.LR > 0 && c.LR <= mnist.MaxLR) {
				t.Fatalf("parse(%q) accepted %+v", frame, c)
			}
		case draw.StartQuery:
			if draw.CheckCopyName(c.Copy) != nil || c.Optimizer == "" {
				t.Fatalf("parse(%q) accepted %+v", frame, c)
			}
			if _, err := mnist.NewLearner(&mnist.Model{Arch: mnist.Arch{Hidden: []int{1}, Activation: mnist.ReLU}, Params: make([]float32, 805)},
				c.Optimizer, c.Hyper, nil); err != nil {
				t.Fatalf("parse(%q) accepted an optimizer the learner refuses: %v", frame, err)
			}
		case draw.KeepQuery:
			if draw.CheckCopyName(c.Copy) != nil || c.Name == "" {
				t.Fatalf("parse(%q) accepted %+v", frame, c)
			}
		case landscape.Plan:
			checkPlan(t, frame, c)
		case landscape.LinePlan:
			if (c.Run == "") == (c.Sweep == "") || c.Examples < 1 || c.Examples > 60000 || c.TestExamples < 0 {
				t.Fatalf("parse(%q) accepted the chart %+v", frame, c)
			}
		}
	})
}

// checkPlan fails on an accepted landscape that the work could not carry
// out as it stands.
func checkPlan(t *testing.T, frame []byte, p landscape.Plan) {
	t.Helper()
	sources := 0
	for _, v := range []string{p.Run, p.Sweep, p.Model} {
		if v != "" {
			sources++
		}
	}
	o := mnist.SliceOptions{Grid: p.Grid, Range: p.Range, Domain: p.Domain}
	if p.Range == 0 && p.Domain == [4]float64{} {
		o.Range = 1
	}
	_, _, _, err := o.Axes()
	if sources != 1 || err != nil || p.Grid > landscape.DefaultMaxGrid || p.Examples < 1 || p.Examples > landscape.DefaultMaxImages ||
		p.TestExamples != 0 || (p.Plane != protocol.PlanePCA && p.Plane != protocol.PlaneRandom) {
		t.Fatalf("parse(%q) accepted the landscape %+v (%v)", frame, p, err)
	}
}

func FuzzDecodeDrawing(f *testing.F) {
	for _, n := range []int{28, 29, 140} {
		pix := make([]byte, n*n)
		for i := range pix {
			if i%n > n/3 && i%n < n/2 {
				pix[i] = 255
			}
		}
		f.Add(n, n, base64.StdEncoding.EncodeToString(pix))
	}
	f.Add(28, 28, "")
	f.Add(28, 28, "not base64!")
	f.Add(28, 29, base64.StdEncoding.EncodeToString(make([]byte, 28*28)))
	f.Add(27, 28, "AAAA")
	f.Add(1024, 1024, "AA==")
	f.Add(-1, 0, "AA")
	f.Fuzz(func(t *testing.T, w, h int, pixels string) {
		p := &protocol.Predict{Width: &w, Height: &h, Pixels: pixels}
		d, err := draw.Check(p)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "server: ") {
				t.Fatalf("draw.Check(%d×%d, %q): %v, want a server: error", w, h, pixels, err)
			}
			return
		}
		if d.W != w || d.H != h {
			t.Fatalf("draw.Check(%d×%d) kept a %d×%d drawing", w, h, d.W, d.H)
		}
		img, blank, err := draw.Preprocess(d)
		if err != nil {
			t.Fatalf("Preprocess of an accepted %d×%d drawing: %v", w, h, err)
		}
		if !blank && len(img) != mnist.InputSize {
			t.Fatalf("Preprocess(%d×%d) = %d pixels, want %d", w, h, len(img), mnist.InputSize)
		}
	})
}

// checkPicture fails unless p is a drawing of allowed size or a test index
// of the fuzzed server's 10,000.
func checkPicture(t *testing.T, frame []byte, p draw.Picture) {
	t.Helper()
	if p.Test >= 10000 || (p.Test < 0 && (p.W < mnist.MinCanvas || p.H < mnist.MinCanvas || p.W > mnist.MaxCanvas || p.H > mnist.MaxCanvas)) {
		t.Fatalf("parse(%q) accepted the picture %+v", frame, p)
	}
}

// FuzzDecodePicture decodes what explain, gradCheck and learnStep are
// about: a drawing, or a test image by index, never both.
func FuzzDecodePicture(f *testing.F) {
	ink := make([]byte, 28*28)
	for i := range ink {
		if i%28 > 10 && i%28 < 16 {
			ink[i] = 255
		}
	}
	f.Add(28, 28, base64.StdEncoding.EncodeToString(ink), -1, false)
	f.Add(28, 28, base64.StdEncoding.EncodeToString(ink), 3, false)
	f.Add(0, 0, "", 3, true)
	f.Add(0, 0, "", 999, true)
	f.Add(0, 0, "", -1, true)
	f.Add(28, 28, "@@", 0, false)
	f.Add(0, 0, "", 0, false)
	test := &mnist.Dataset{Images: make([]uint8, 100*mnist.InputSize), Labels: make([]uint8, 100), N: 100}
	f.Fuzz(func(t *testing.T, w, h int, pixels string, index int, onlyIndex bool) {
		p := protocol.Picture{Pixels: pixels}
		if !onlyIndex {
			p.Width, p.Height = &w, &h
		}
		if index >= 0 || onlyIndex {
			p.TestIndex = &index
		}
		pic, err := draw.CheckPicture(&p, test.N)
		if err != nil {
			var fe *protocol.FieldError
			if !errors.As(err, &fe) || fe.Code == "" || !strings.HasPrefix(err.Error(), "server: ") {
				t.Fatalf("CheckPicture(%+v): %v, want a refusal with a code", p, err)
			}
			return
		}
		if p.TestIndex != nil && (p.Width != nil || p.Pixels != "") {
			t.Fatalf("CheckPicture accepted both a drawing and test image %d", index)
		}
		img, blank, err := pic.Image(test)
		if err != nil {
			t.Fatalf("Image of an accepted picture %+v: %v", pic, err)
		}
		if !blank && len(img) != mnist.InputSize {
			t.Fatalf("Image = %d pixels, want %d", len(img), mnist.InputSize)
		}
	})
}
