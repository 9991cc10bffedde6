package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gradInputs returns activation outputs a and gradients d of length n, with
// special values among them.
func gradInputs(rng *rand.Rand, n int) (d, a []float32) {
	special := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 0.5, float32(math.NaN()),
		float32(math.Inf(1)), float32(math.Inf(-1)), 1e-30, -1e-30, 3e38}
	d, a = make([]float32, n), make([]float32, n+3)
	for i := range d {
		d[i] = float32(rng.NormFloat64())
	}
	for i := range a {
		a[i] = rng.Float32()*2 - 1
		if rng.IntN(8) == 0 {
			a[i] = special[rng.IntN(len(special))]
		}
	}
	return d, a
}

// TestActivationGrads checks every path against the Go loops, bit for bit,
// at every length up to 70 and with special values.
func TestActivationGrads(t *testing.T) { forEachImpl(t, testActivationGrads) }

func testActivationGrads(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		name      string
		fast, ref func(d, a []float32)
	}{
		{"sigmoid", SigmoidGrad, sigmoidGradGo},
		{"tanh", TanhGrad, tanhGradGo},
		{"relu", ReLUGrad, reluGradGo},
	} {
		for n := range 71 {
			d, a := gradInputs(rng, n)
			want := append([]float32(nil), d...)
			tc.ref(want, a)
			tc.fast(d, a)
			for i := range d {
				if math.Float32bits(d[i]) != math.Float32bits(want[i]) && !(d[i] != d[i] && want[i] != want[i]) {
					t.Fatalf("%s n=%d: d[%d] = %v, want %v (a = %v)", tc.name, n, i, d[i], want[i], a[i])
				}
			}
		}
	}
}
