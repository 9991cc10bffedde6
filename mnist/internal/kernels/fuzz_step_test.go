package kernels

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// FuzzStep runs the kernels of a training step around its products (the
// pixels' normalisation, the transposes, the activations' derivatives,
// softmax with cross-entropy, the SGD steps, the update that makes the next
// step's first product) on fuzzed shapes and values
// through every path, against their portable code: bit for bit, the SGD
// steps' norms within float32 roundings.
func FuzzStep(f *testing.F) {
	f.Add(uint8(64), uint8(100), uint64(1), float32(1))
	f.Add(uint8(1), uint8(10), uint64(2), float32(800))
	f.Add(uint8(17), uint8(33), uint64(3), float32(1e-3))
	f.Fuzz(func(t *testing.T, rows, cols uint8, seed uint64, scale float32) {
		r, c := int(rows%80)+1, int(cols%140)+1
		if math.IsNaN(float64(scale)) || math.IsInf(float64(scale), 0) || scale == 0 {
			scale = 1
		}
		scale = float32(math.Min(math.Abs(float64(scale)), 2000))
		s := newStepCase(rand.New(rand.NewPCG(seed, 21)), r, c, scale)
		forEachImpl(t, s.check)
	})
}

// stepCase holds one fuzzed problem: a (rows, cols) matrix of values, one
// of bytes, and vectors for the outer product.
type stepCase struct {
	rows, cols int
	x, a       []float32 // (rows, cols): values, activations in [−1, 1] or special
	u          []uint8   // (rows, cols) pixels
	av, bv     []float32 // rows, cols: the outer product's factors
}

func newStepCase(rng *rand.Rand, rows, cols int, scale float32) stepCase {
	n := rows * cols
	s := stepCase{rows: rows, cols: cols, x: make([]float32, n), u: make([]uint8, n)}
	for i := range s.x {
		s.x[i] = float32(rng.NormFloat64()) * scale
		s.u[i] = uint8(rng.IntN(256))
	}
	_, s.a = gradInputs(rng, n)
	s.av, s.bv = randSlice(rng, rows), randSlice(rng, cols)
	return s
}

func (s stepCase) check(t *testing.T) {
	n := s.rows * s.cols
	got, want := make([]float32, n+s.cols), make([]float32, n+s.cols)
	Normalize(got, s.u, testScale, testShift)
	normalizeGo(want, s.u, testScale, testShift)
	s.same(t, "Normalize", got, want)

	Transpose(got, s.rows+1, s.x, s.cols, s.rows, s.cols)
	transposeGo(want, s.rows+1, s.x, s.cols, 0, s.rows, 0, s.cols)
	s.same(t, "Transpose", got[:(s.cols-1)*(s.rows+1)+s.rows], want[:(s.cols-1)*(s.rows+1)+s.rows])

	for _, g := range []struct {
		name      string
		fast, ref func(d, a []float32)
	}{{"SigmoidGrad", SigmoidGrad, sigmoidGradGo}, {"TanhGrad", TanhGrad, tanhGradGo}, {"ReLUGrad", ReLUGrad, reluGradGo}} {
		copy(got, s.x)
		copy(want, s.x)
		g.fast(got[:n], s.a)
		g.ref(want[:n], s.a)
		s.same(t, g.name, got[:n], want[:n])
	}
	s.checkSoftmax(t)
	s.checkSGD(t)
}

func (s stepCase) checkSoftmax(t *testing.T) {
	rows, classes := s.rows, min(s.cols, 40)
	z := make([]float32, rows*classes)
	for i := range z {
		z[i] = s.x[i%len(s.x)] + s.a[i%len(s.a)]
	}
	m, sum, arg := make([]float64, rows), make([]float64, rows), make([]int32, rows)
	m0, sum0, arg0 := make([]float64, rows), make([]float64, rows), make([]int32, rows)
	dz, dz0 := make([]float32, len(z)), make([]float32, len(z))
	Softmax(dz, z, rows, classes, 1/float64(rows), m, sum, arg)
	softmaxGo(dz0, z, 0, rows, classes, 1/float64(rows), m0, sum0, arg0)
	for r := range rows {
		if !same64(m[r], m0[r]) || !same64(sum[r], sum0[r]) || arg[r] != arg0[r] {
			t.Fatalf("Softmax %d×%d row %d: m %v s %v arg %d, want %v %v %d", rows, classes, r, m[r], sum[r], arg[r], m0[r], sum0[r], arg0[r])
		}
	}
	s.same(t, "Softmax dz", dz, dz0)
}

func (s stepCase) checkSGD(t *testing.T) {
	theta, ref := slices.Clone(s.x), slices.Clone(s.x)
	grad := slices.Clone(s.a[:len(s.x)])
	for i, g := range grad {
		if g != g || math.IsInf(float64(g), 0) {
			grad[i] = 0.5
		}
	}
	gotN, wantN := SGD(theta, grad, 0.1), sgdGo(ref, grad, 0.1)
	s.same(t, "SGD θ", theta, ref)
	if !closeNorms(gotN, wantN) {
		t.Fatalf("SGD %d: norms %+v, portable %+v", len(theta), gotN, wantN)
	}
	theta, ref = slices.Clone(s.x), slices.Clone(s.x)
	gotN = SGDOuter(theta, s.cols, s.av, s.bv, 0.1)
	wantN = sgdOuterGo(ref, s.cols, s.av, s.bv, 0.1)
	s.same(t, "SGDOuter θ", theta, ref)
	if !closeNorms(gotN, wantN) {
		t.Fatalf("SGDOuter %d×%d: norms %+v, portable %+v", s.rows, s.cols, gotN, wantN)
	}
	theta, ref = slices.Clone(s.x), slices.Clone(s.x)
	z, z0 := make([]float32, s.rows), make([]float32, s.rows)
	x2 := slices.Clone(s.a[:s.cols])
	for i, v := range x2 {
		if v != v || math.IsInf(float64(v), 0) {
			x2[i] = -0.25
		}
	}
	SGDOuterDot(theta, s.cols, s.av, s.bv, 0.1, x2, z)
	sgdOuterDotGo(ref, s.cols, s.av, s.bv, 0.1, x2, z0)
	s.same(t, "SGDOuterDot θ", theta, ref)
	s.same(t, "SGDOuterDot z", z, z0)
}

// same fails t unless got and want hold the same floats (NaN equal to NaN).
func (s stepCase) same(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if !same64(float64(got[i]), float64(want[i])) {
			t.Fatalf("%s (%d×%d): [%d] = %v, portable %v", what, s.rows, s.cols, i, got[i], want[i])
		}
	}
}
