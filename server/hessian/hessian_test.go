package hessian

import (
	"math"
	"testing"

	"descent/server/protocol"
)

func TestCheck(t *testing.T) {
	good, err := Check(&protocol.Hessian{Run: "r1"}, 5000)
	if err != nil || good.At != protocol.AtCurrent || good.Top != protocol.DefaultHessianTop || good.Examples != 0 {
		t.Fatalf("defaults: %+v, %v", good, err)
	}
	if m, err := Check(&protocol.Hessian{Model: "m", Top: 10, Examples: 5000, Density: true}, 5000); err != nil || m.At != "" {
		t.Errorf("a model at the limits: %+v, %v", m, err)
	}
	for _, c := range []struct {
		w           protocol.Hessian
		code, field string
	}{
		{protocol.Hessian{}, protocol.CodeMissing, "run"},
		{protocol.Hessian{Run: "r1", Model: "m"}, protocol.CodeInvalid, "model"},
		{protocol.Hessian{Model: "m", At: protocol.AtCurrent}, protocol.CodeInvalid, "at"},
		{protocol.Hessian{Run: "r1", At: "model"}, protocol.CodeUnknown, "at"},
		{protocol.Hessian{Run: "r1", Top: 11}, protocol.CodeOutOfRange, "top"},
		{protocol.Hessian{Run: "r1", Examples: 5001}, protocol.CodeLimit, "examples"},
		{protocol.Hessian{Run: "r1", Examples: -2}, protocol.CodeOutOfRange, "examples"},
	} {
		_, err := Check(&c.w, 5000)
		fe, ok := err.(*protocol.FieldError)
		if !ok || fe.Code != c.code || fe.Field != c.field {
			t.Errorf("%+v: %v, want %s on %s", c.w, err, c.code, c.field)
		}
	}
}

// TestProgress: the first product of each stage is reported at once, the
// rest at most HessianProgressHz a second.
func TestProgress(t *testing.T) {
	var got []protocol.HessianProgress
	p := Progress(Request{Req: 3, Run: "r1"}, func(e protocol.HessianProgress) { got = append(got, e) })
	for k := 1; k <= 1000; k++ {
		stage := "eigenvalues"
		if k > 500 {
			stage = "trace"
		}
		p(stage, k)
	}
	if len(got) != 2 || got[0].HVPs != 1 || got[1].HVPs != 501 || got[1].Stage != "trace" || got[0].Req != 3 || got[0].Run != "r1" {
		t.Errorf("a fast analysis reported %+v, want the first product of each stage", got)
	}
}

func TestTiles(t *testing.T) {
	w := make([]float64, 3*784)
	w[0], w[1], w[784] = -2, 1, math.NaN()
	tl := protocol.NewTiles(w, 2)
	if tl.Units != 2 || len(tl.Pixels) != 2*784 || tl.Pixels[0] != 1 || tl.Pixels[1] != 191 || tl.Pixels[2] != 128 || tl.Scale[0] != 2 {
		t.Errorf("tiles: %d units, pixels %v…, scale %v", tl.Units, tl.Pixels[:3], tl.Scale)
	}
	if !math.IsNaN(tl.Scale[1]) {
		t.Errorf("a row that is not finite: scale %v", tl.Scale[1])
	}
}
