package server

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"descent/mnist"
	"descent/server/draw"
	"descent/server/hessian"
	"descent/server/protocol"
)

// Fuzz targets for the two decoders that read what a page sends: the
// command parser and the drawing decoder. Run them with
//
//	go test -run '^$' -fuzz FuzzParseCommand -fuzztime 10s ./server
//	go test -run '^$' -fuzz FuzzDecodeDrawing -fuzztime 10s ./server
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
	s := &Server{validator: validator{trainN: 60000}, limits: Limits{}.withDefaults()}
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
		}
	})
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
