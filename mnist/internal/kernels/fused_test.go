package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// sigmoidAt is σ at the exact q + a·p, in float64, and how far from it a
// float32 kernel may be: a few ulps (2e-6 relative), plus what rounding
// the input to float32 moves σ by, |Δx|·(1 − σ(x)) relative, with
// |Δx| ≤ (|x| + |a·p|)·2⁻²³: the fast paths round q + a·p once (fused), the
// portable one rounds a·p first, which matters when q and a·p cancel.
func sigmoidAt(q, p, a float32) (want, tol float64) {
	ap := float64(a) * float64(p)
	x := float64(q) + ap
	want = 1 / (1 + math.Exp(-x))
	if math.IsInf(x, 0) || math.IsInf(ap, 0) {
		return want, 2e-6
	}
	return want, 2e-6 + (math.Abs(x)+math.Abs(ap))*0x1p-23*(1-want)
}

// checkAxpySigmoid runs AxpySigmoid on q, p, a, into a fresh dst and into
// q itself, against the float64 formula.
func checkAxpySigmoid(t *testing.T, q, p []float32, a float32) {
	t.Helper()
	dst := make([]float32, len(q))
	AxpySigmoid(dst, q, p, a)
	in := append([]float32(nil), q...)
	AxpySigmoid(in, in, p, a) // in place
	for i := range dst {
		want, tol := sigmoidAt(q[i], p[i], a)
		if math.IsNaN(want) {
			if dst[i] == dst[i] {
				t.Fatalf("σ(%v + %v·%v) = %v, want NaN", q[i], a, p[i], dst[i])
			}
			continue
		}
		if !closeRel(dst[i], want, tol) || in[i] != dst[i] && !(in[i] != in[i] && dst[i] != dst[i]) {
			t.Fatalf("σ(%v + %v·%v) = %v (in place %v), want %v (n = %d, i = %d)", q[i], a, p[i], dst[i], in[i], want, len(q), i)
		}
	}
}

func TestAxpySigmoid(t *testing.T) { forEachImpl(t, testAxpySigmoid) }

func testAxpySigmoid(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 100, 256, 1000} {
		for _, a := range []float32{0, 1, -0.37, 3.5} {
			checkAxpySigmoid(t, randSlice(rng, n), randSlice(rng, n), a)
		}
	}
	xs := sweep() // the whole range of σ, its ends and its special values
	zero := make([]float32, len(xs))
	checkAxpySigmoid(t, xs, zero, 1)
	checkAxpySigmoid(t, zero, xs, -1)
	nan := float32(math.NaN())
	checkAxpySigmoid(t, []float32{nan, 0, 1, 2, 3, 4, 5, 6, 7}, make([]float32, 9), 2)
	checkAxpySigmoid(t, []float32{1, 2}, []float32{nan, float32(math.Inf(1))}, 1)
	AxpySigmoid(nil, nil, nil, 1) // nothing to do
	defer func() {
		if recover() == nil {
			t.Error("AxpySigmoid of unequal lengths did not panic")
		}
	}()
	AxpySigmoid(make([]float32, 3), make([]float32, 3), make([]float32, 2), 1)
}

// TestAxpySigmoidMatchesPortable: every fast path gives the portable
// reference's values, within the rounding of the input and a few ulps.
func TestAxpySigmoidMatchesPortable(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	n := 4099
	q, p := randSlice(rng, n), randSlice(rng, n)
	for i := range q {
		q[i] *= 20
	}
	ref := make([]float32, n)
	axpySigmoidGo(ref, q, p, 1.75)
	forEachImpl(t, func(t *testing.T) {
		got := make([]float32, n)
		AxpySigmoid(got, q, p, 1.75)
		for i := range got {
			_, tol := sigmoidAt(q[i], p[i], 1.75)
			if !closeRel(got[i], float64(ref[i]), 2*tol) {
				t.Fatalf("%s: σ(%v + 1.75·%v) = %v, the portable path %v", Impl(), q[i], p[i], got[i], ref[i])
			}
		}
	})
}

// FuzzAxpySigmoid runs AxpySigmoid through every path on fuzzed lengths
// and values against the float64 formula.
func FuzzAxpySigmoid(f *testing.F) {
	f.Add(uint16(17), uint64(1), float32(1), float32(3))
	f.Add(uint16(1), uint64(2), float32(-40), float32(0.5))
	f.Add(uint16(256), uint64(3), float32(0), float32(90))
	f.Fuzz(func(t *testing.T, n uint16, seed uint64, a, scale float32) {
		for _, v := range []*float32{&a, &scale} {
			if math.IsNaN(float64(*v)) || math.IsInf(float64(*v), 0) {
				*v = 1
			}
			*v = float32(math.Max(-200, math.Min(200, float64(*v))))
		}
		rng := rand.New(rand.NewPCG(seed, 6))
		q, p := make([]float32, int(n%2000)+1), make([]float32, int(n%2000)+1)
		for i := range q {
			q[i], p[i] = float32(rng.NormFloat64())*scale, float32(rng.NormFloat64())
		}
		forEachImpl(t, func(t *testing.T) { checkAxpySigmoid(t, q, p, a) })
	})
}

// BenchmarkAxpySigmoid is the landscape's first layer at one grid point of
// a chunk (100 units × 256 images): the fused pass against the copy, Axpy
// and AddBiasSigmoid it replaces.
func BenchmarkAxpySigmoid(b *testing.B) {
	const n = 100 * 256
	rng := rand.New(rand.NewPCG(25, 26))
	q, p, x := randSlice(rng, n), randSlice(rng, n), make([]float32, n)
	zero := make([]float32, 256)
	b.Run("fused", func(b *testing.B) {
		for b.Loop() {
			AxpySigmoid(x, q, p, 0.3)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/n, "ns/elem")
	})
	b.Run("three-passes", func(b *testing.B) {
		for b.Loop() {
			copy(x, q)
			Axpy(0.3, p, x)
			AddBiasSigmoid(x, 100, 256, zero)
		}
		b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/n, "ns/elem")
	})
}
