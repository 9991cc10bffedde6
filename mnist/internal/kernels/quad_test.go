package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkQuad runs Exp2Scaled(r, p, −Δ) and Sigmoid2Quad on q, p, a against
// the float64 formulas: r = 2^(−Δ·p), d[0] = σ₂(q + a·p) within sigmoid2At's
// tolerance, and, while |Δ·p| ≤ 20, d[k] = σ₂(q + (a+kΔ)·p) within that of
// the inputs' rounding and 2(k+1) more ulps of E, or 2^(3|Δ·p| − 126)
// absolute (past E₀'s clamp, where all are about 0).
func checkQuad(t *testing.T, q, p []float32, a, delta float32) {
	t.Helper()
	n := len(q)
	r := make([]float32, n)
	var d [4][]float32
	for k := range d {
		d[k] = make([]float32, n)
	}
	mx := Exp2Scaled(r, p, -delta)
	var want float32
	for i := range p {
		u := -delta * p[i]
		if u == u {
			want = max(want, abs(u))
		}
		w := math.Exp2(math.Min(math.Max(float64(u), -126), 127.4))
		if !closeRel(r[i], w, 2e-6) && !(math.IsNaN(w) && r[i] != r[i]) {
			t.Fatalf("%s: 2^(%v·%v) = %v, want %v", Impl(), -delta, p[i], r[i], w)
		}
	}
	if mx != want {
		t.Fatalf("%s: Exp2Scaled's largest |s·p| %v, want %v", Impl(), mx, want)
	}
	Sigmoid2Quad(&d, q, p, r, a)
	for i := range q {
		w0, tol0 := sigmoid2At(q[i], p[i], a)
		if !closeRel(d[0][i], w0, tol0) && !(math.IsNaN(w0) && d[0][i] != d[0][i]) {
			t.Fatalf("%s: σ₂(%v + %v·%v) = %v, want %v", Impl(), q[i], a, p[i], d[0][i], w0)
		}
		if mx > 20 {
			continue
		}
		for k := 1; k < 4; k++ {
			ak := float64(a) + float64(k)*float64(delta)
			x := (float64(q[i]) + ak*float64(p[i])) * math.Ln2
			w := 1 / (1 + math.Exp(-x))
			in := math.Abs(float64(q[i])) + math.Abs(float64(a)*float64(p[i])) + float64(k)*math.Abs(float64(delta)*float64(p[i]))
			tol := 2e-6 + (1-w)*(in*math.Ln2*0x1p-22+float64(k+1)*0x1p-22)
			got := d[k][i]
			if !closeRel(got, w, tol) && !(math.IsNaN(w) && got != got) && math.Abs(float64(got)-w) > math.Exp2(3*math.Abs(float64(delta*p[i]))-126) {
				t.Fatalf("%s: σ₂(%v + (%v+%d·%v)·%v) = %v, want %v ± %.2g (n = %d, i = %d)", Impl(), q[i], a, k, delta, p[i], got, w, tol, n, i)
			}
		}
	}
}

func TestSigmoid2Quad(t *testing.T) { forEachImpl(t, testSigmoid2Quad) }

func testSigmoid2Quad(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for _, n := range []int{1, 7, 15, 16, 17, 31, 47, 48, 49, 64, 100, 1000} {
		for _, a := range []float32{0, 1, -0.37, 3.5} {
			q, p := randSlice(rng, n), randSlice(rng, n)
			for i := range q {
				q[i], p[i] = q[i]*30, p[i]*20
			}
			checkQuad(t, q, p, a, 0.04)
			checkQuad(t, q, p, a, -0.7)
		}
	}
	xs := sweep() // σ₂'s whole range, its ends and special values
	zero := make([]float32, len(xs))
	checkQuad(t, xs, zero, 1, 0.5)
	ones := make([]float32, len(xs))
	for i := range ones {
		ones[i] = 1
	}
	checkQuad(t, xs, ones, 1, 0.5)
	checkQuad(t, zero, xs, -1, 0.04)
	checkQuad(t, xs, xs, 1, 3) // |Δ·p| past 20: d[0] only, and r's clamps
	nan := float32(math.NaN())
	checkQuad(t, []float32{nan, 0, 1, 200, -200, 5, 6, 7, 8}, []float32{1, nan, 1, 1, 1, 1, 1, 1, 1}, 2, 0.1)
	Sigmoid2Quad(&[4][]float32{}, nil, nil, nil, 1)
	if Exp2Scaled(nil, nil, 1) != 0 {
		t.Error("Exp2Scaled of nothing is not 0")
	}
	defer func() {
		if recover() == nil {
			t.Error("Sigmoid2Quad of unequal lengths did not panic")
		}
	}()
	three := make([]float32, 3)
	Sigmoid2Quad(&[4][]float32{three, three, three, three}, three, three, make([]float32, 2), 1)
}

// FuzzSigmoid2Quad runs Exp2Scaled and Sigmoid2Quad through every path on
// fuzzed lengths and values against the float64 formulas.
func FuzzSigmoid2Quad(f *testing.F) {
	f.Add(uint16(17), uint64(1), float32(1), float32(0.04), float32(3))
	f.Add(uint16(1), uint64(2), float32(-40), float32(2), float32(0.5))
	f.Add(uint16(300), uint64(3), float32(0), float32(-0.3), float32(90))
	f.Fuzz(func(t *testing.T, n uint16, seed uint64, a, delta, scale float32) {
		for _, v := range []*float32{&a, &delta, &scale} {
			if math.IsNaN(float64(*v)) || math.IsInf(float64(*v), 0) {
				*v = 1
			}
			*v = float32(math.Max(-200, math.Min(200, float64(*v))))
		}
		rng := rand.New(rand.NewPCG(seed, 9))
		q, p := make([]float32, int(n%2000)+1), make([]float32, int(n%2000)+1)
		for i := range q {
			q[i], p[i] = float32(rng.NormFloat64())*scale, float32(rng.NormFloat64())*10
		}
		forEachImpl(t, func(t *testing.T) { checkQuad(t, q, p, a, delta) })
	})
}

// BenchmarkSigmoid2Quad is four grid points' first layer over a chunk (100
// units × 256 images), per value of the four.
func BenchmarkSigmoid2Quad(b *testing.B) {
	const n = 100 * 256
	rng := rand.New(rand.NewPCG(53, 54))
	q, p, r := randSlice(rng, n), randSlice(rng, n), make([]float32, n)
	var d [4][]float32
	for k := range d {
		d[k] = make([]float32, n)
	}
	Exp2Scaled(r, p, -0.04)
	for b.Loop() {
		Sigmoid2Quad(&d, q, p, r, 0.3)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/(4*n), "ns/elem")
}
