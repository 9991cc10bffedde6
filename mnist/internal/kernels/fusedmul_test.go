package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sigmoid2At is σ₂(q + a·p) = σ(ln2·(q + a·p)) in float64 and its
// tolerance, as sigmoidAt's in base 2.
func sigmoid2At(q, p, a float32) (want, tol float64) {
	ap := float64(a) * float64(p)
	x := (float64(q) + ap) * math.Ln2
	want = 1 / (1 + math.Exp(-x))
	if math.IsInf(x, 0) || math.IsInf(ap, 0) {
		return want, 2e-6
	}
	return want, 2e-6 + (math.Abs(x)+math.Abs(ap*math.Ln2))*0x1p-23*(1-want)
}

// checkAxpySigmoid2Mul compares AxpySigmoid2Mul with the float64 formula
// z = W·σ₂(q + a·p) + b: each σ₂ within sigmoid2At's tolerance, plus the
// classic bound of a float32 dot product, 2(h+2)·2⁻²⁴·(Σ|w·σ| + |b|).
func checkAxpySigmoid2Mul(t *testing.T, wt, b, q, p []float32, a float32, m, h, n int) {
	t.Helper()
	z := make([]float32, m*n)
	AxpySigmoid2Mul(z, wt, b, q, p, a, m, h, n)
	for o := range m {
		for i := range n {
			want, tol, abs := float64(b[o]), 0.0, math.Abs(float64(b[o]))
			for u := range h {
				s, ts := sigmoid2At(q[u*n+i], p[u*n+i], a)
				w := float64(wt[u*m+o])
				want += w * s
				tol += math.Abs(w) * s * ts
				abs += math.Abs(w * s)
			}
			tol += 2 * float64(h+2) * 0x1p-24 * abs
			if got := float64(z[o*n+i]); math.IsNaN(want) != math.IsNaN(got) || math.Abs(got-want) > tol {
				t.Fatalf("%s: m %d, h %d, n %d, a %v: z[%d, %d] = %v, want %v ± %.2g", Impl(), m, h, n, a, o, i, got, want, tol)
			}
		}
	}
}

func TestAxpySigmoid2Mul(t *testing.T) { forEachImpl(t, testAxpySigmoid2Mul) }

func testAxpySigmoid2Mul(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, m := range []int{10, 3} {
		for _, h := range []int{1, 2, 3, 4, 5, 7, 100} {
			for _, n := range []int{1, 15, 16, 17, 33, 256} {
				for _, a := range []float32{0, 1.3, -2} {
					q, p := randSlice(rng, h*n), randSlice(rng, h*n)
					for i := range q {
						q[i] *= 8
					}
					checkAxpySigmoid2Mul(t, randSlice(rng, h*m), randSlice(rng, m), q, p, a, m, h, n)
				}
			}
		}
	}
	q, p := randSlice(rng, 4*20), randSlice(rng, 4*20)
	q[2*20+17] = float32(math.NaN()) // column 17 of every logit is NaN
	q[20+3] = 200                    // σ₂ = 1 and 0 at the clamps
	q[3*20+4] = -200
	checkAxpySigmoid2Mul(t, randSlice(rng, 4*10), randSlice(rng, 10), q, p, 1, 10, 4, 20)
	b := randSlice(rng, 10)
	z := make([]float32, 10*5)
	AxpySigmoid2Mul(z, nil, b, nil, nil, 1, 10, 0, 5) // no units: z = b
	if z[3*5+4] != b[3] {
		t.Errorf("h = 0: z[3, 4] = %v, want b[3] = %v", z[3*5+4], b[3])
	}
	defer func() {
		if recover() == nil {
			t.Error("AxpySigmoid2Mul of a short q did not panic")
		}
	}()
	AxpySigmoid2Mul(make([]float32, 20), make([]float32, 20), make([]float32, 10), make([]float32, 3), make([]float32, 4), 1, 10, 2, 2)
}

// FuzzAxpySigmoid2Mul runs AxpySigmoid2Mul through every path on fuzzed
// shapes and values against the float64 formula.
func FuzzAxpySigmoid2Mul(f *testing.F) {
	f.Add(uint16(17), uint8(100), uint64(1), float32(1), float32(3))
	f.Add(uint16(1), uint8(1), uint64(2), float32(-40), float32(0.5))
	f.Add(uint16(256), uint8(4), uint64(3), float32(0), float32(90))
	f.Fuzz(func(t *testing.T, n uint16, h uint8, seed uint64, a, scale float32) {
		for _, v := range []*float32{&a, &scale} {
			if math.IsNaN(float64(*v)) || math.IsInf(float64(*v), 0) {
				*v = 1
			}
			*v = float32(math.Max(-200, math.Min(200, float64(*v))))
		}
		rng := rand.New(rand.NewPCG(seed, 8))
		nn, hh := int(n%300)+1, int(h%120)+1
		q, p := make([]float32, hh*nn), make([]float32, hh*nn)
		for i := range q {
			q[i], p[i] = float32(rng.NormFloat64())*scale, float32(rng.NormFloat64())
		}
		wt, b := randSlice(rng, hh*10), randSlice(rng, 10)
		forEachImpl(t, func(t *testing.T) { checkAxpySigmoid2Mul(t, wt, b, q, p, a, 10, hh, nn) })
	})
}

// BenchmarkAxpySigmoid2Mul is the landscape's second layer over its first
// at one grid point of a chunk (10 × 100 weights, 256 images): the fused
// pass against AxpySigmoid and Sgemm.
func BenchmarkAxpySigmoid2Mul(b *testing.B) {
	const h, n = 100, 256
	rng := rand.New(rand.NewPCG(43, 44))
	q, p, wt, bias := randSlice(rng, h*n), randSlice(rng, h*n), randSlice(rng, h*10), randSlice(rng, 10)
	z := make([]float32, 10*n)
	b.Run("fused", func(b *testing.B) {
		for b.Loop() {
			AxpySigmoid2Mul(z, wt, bias, q, p, 0.3, 10, h, n)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/(h*n), "ns/elem")
	})
	b.Run("two-passes", func(b *testing.B) {
		for b.Loop() {
			axpySigmoid2MulGo(z, wt, bias, q, p, 0.3, 10, h, n)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/(h*n), "ns/elem")
	})
}
