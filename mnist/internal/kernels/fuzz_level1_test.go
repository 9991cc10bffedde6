package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// FuzzFused runs the fused bias-and-activation passes and the column sum on
// fuzzed shapes and values, through every path, against float64 formulas.
func FuzzFused(f *testing.F) {
	f.Add(uint8(3), uint8(17), uint64(1), float32(1))
	f.Add(uint8(1), uint8(1), uint64(2), float32(40))
	f.Add(uint8(64), uint8(100), uint64(3), float32(0.01))
	f.Fuzz(func(t *testing.T, rows, cols uint8, seed uint64, scale float32) {
		r, c := int(rows%70)+1, int(cols%130)+1
		if math.IsNaN(float64(scale)) || math.IsInf(float64(scale), 0) {
			scale = 1
		}
		scale = float32(math.Min(math.Abs(float64(scale)), 100))
		rng := rand.New(rand.NewPCG(seed, 5))
		x := make([]float32, r*c)
		for i := range x {
			x[i] = float32(rng.NormFloat64()) * scale
		}
		bias := make([]float32, c)
		for j := range bias {
			bias[j] = float32(rng.NormFloat64())
		}
		forEachImpl(t, func(t *testing.T) { checkFused(t, x, bias, r, c) })
	})
}

func checkFused(t *testing.T, x, bias []float32, r, c int) {
	for _, tc := range []struct {
		name string
		f    func([]float32, int, int, []float32)
		ref  func(float64) float64
		rel  float64
	}{
		{"sigmoid", AddBiasSigmoid, func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }, 1e-6},
		{"tanh", AddBiasTanh, math.Tanh, 1e-6},
		{"relu", AddBiasReLU, func(v float64) float64 { return math.Max(0, v) }, 0},
	} {
		y := append([]float32(nil), x...)
		tc.f(y, r, c, bias)
		for i := range y {
			in := x[i] + bias[i%c]
			if want := tc.ref(float64(in)); !closeRel(y[i], want, tc.rel) {
				t.Fatalf("%s(%v) = %v, want %v (%d×%d)", tc.name, in, y[i], want, r, c)
			}
		}
	}
	sums := make([]float32, c)
	ColSum(sums, x, r, c, 0)
	for j := range c {
		var want, mag float64
		for i := range r {
			want += float64(x[i*c+j])
			mag += math.Abs(float64(x[i*c+j]))
		}
		if math.Abs(float64(sums[j])-want) > 1e-6*mag*float64(r)+1e-30 {
			t.Fatalf("ColSum[%d] = %v, want %v (%d×%d)", j, sums[j], want, r, c)
		}
	}
}
