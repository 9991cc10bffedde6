package kernels

import (
	"math"
	"math/rand/v2"
	"testing"

	"descent/internal/simd"
)

// sweep returns test inputs: a dense grid over [-110, 110], special
// values and random points.
func sweep() []float32 {
	var xs []float32
	for x := -110.0; x <= 110; x += 0.0137 {
		xs = append(xs, float32(x))
	}
	rng := rand.New(rand.NewPCG(13, 14))
	for i := 0; i < 10000; i++ {
		xs = append(xs, float32(rng.NormFloat64()*4))
	}
	return append(xs, 0, -0, 1e-30, -1e-30, 1e-8, -1e-8, 88.7, 88.8, -87.4, -103, -104, 500, -500)
}

// closeRel reports whether got is within rel of want, or within the
// smallest normal float32 for results too small to be normal.
func closeRel(got float32, want, rel float64) bool {
	d := math.Abs(float64(got) - want)
	return d <= rel*math.Abs(want) || d <= 0x1p-126
}

func TestExp32(t *testing.T) {
	for _, x := range sweep() {
		want := math.Exp(float64(x))
		if want > math.MaxFloat32 {
			if !math.IsInf(float64(exp32(x)), 1) {
				t.Fatalf("exp32(%v) = %v, want +Inf", x, exp32(x))
			}
			continue
		}
		if got := exp32(x); !closeRel(got, want, 3e-7) {
			t.Fatalf("exp32(%v) = %v, want %v (rel %g)", x, got, want, math.Abs(float64(got)-want)/want)
		}
	}
	if nan := exp32(float32(math.NaN())); nan == nan {
		t.Fatal("exp32(NaN) is not NaN")
	}
}

func TestActivations(t *testing.T) { forEachImpl(t, testActivations) }

func testActivations(t *testing.T) {
	xs := sweep()
	cols := 7
	rows := len(xs) / cols
	bias := []float32{0, 0.5, -0.5, 1, -1, 2, -2}
	cases := []struct {
		name string
		f    func([]float32, int, int, []float32)
		ref  func(float64) float64
		rel  float64
	}{
		{"sigmoid", AddBiasSigmoid, func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }, 1e-6},
		{"tanh", AddBiasTanh, math.Tanh, 1e-6},
		{"relu", AddBiasReLU, func(x float64) float64 { return math.Max(0, x) }, 0},
	}
	for _, tc := range cases {
		y := append([]float32(nil), xs[:rows*cols]...)
		tc.f(y, rows, cols, bias)
		for i := range y {
			in := xs[i] + bias[i%cols]
			if want := tc.ref(float64(in)); !closeRel(y[i], want, tc.rel) {
				t.Fatalf("%s(%v) = %v, want %v", tc.name, in, y[i], want)
			}
		}
	}
}

func TestActivationNaN(t *testing.T) { forEachImpl(t, testActivationNaN) }

func testActivationNaN(t *testing.T) {
	nan := float32(math.NaN())
	for _, f := range []func([]float32, int, int, []float32){AddBiasSigmoid, AddBiasTanh, AddBiasReLU} {
		y := []float32{nan}
		f(y, 1, 1, []float32{0})
		if y[0] == y[0] {
			t.Errorf("NaN input gave %v", y[0])
		}
	}
}

func TestLevel1(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 16))
		for _, n := range []int{0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 784} {
			x, y := randSlice(rng, n), randSlice(rng, n)
			var want float64
			for i := range x {
				want += float64(x[i]) * float64(y[i])
			}
			if got := Dot(x, y); math.Abs(float64(got)-want) > 1e-5*float64(n+1) {
				t.Fatalf("Dot n=%d: %v, want %v", n, got, want)
			}
			y0 := append([]float32(nil), y...)
			Axpy(-0.75, x, y)
			for i := range y {
				if w := y0[i] + -0.75*x[i]; math.Abs(float64(y[i]-w)) > 1e-6 {
					t.Fatalf("Axpy n=%d: y[%d] = %v, want %v", n, i, y[i], w)
				}
			}
		}
	})
}

func TestColSum(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(17, 18))
		for _, beta := range []float32{0, 1, 0.5} {
			rows, cols := 37, 45
			a := randSlice(rng, rows*cols)
			dst := randSlice(rng, cols)
			if beta == 0 {
				dst[3] = float32(math.NaN())
			}
			want := make([]float64, cols)
			for j := range want {
				if beta != 0 {
					want[j] = float64(beta * dst[j])
				}
				for i := 0; i < rows; i++ {
					want[j] += float64(a[i*cols+j])
				}
			}
			ColSum(dst, a, rows, cols, beta)
			for j := range dst {
				if math.Abs(float64(dst[j])-want[j]) > 1e-5 {
					t.Fatalf("beta %v: dst[%d] = %v, want %v", beta, j, dst[j], want[j])
				}
			}
		}
	})
}

func BenchmarkActivation(b *testing.B) {
	const rows, cols = 64, 100
	src := make([]float32, rows*cols)
	for i := range src {
		src[i] = float32(i%200)/10 - 10
	}
	y := make([]float32, rows*cols)
	bias := make([]float32, cols)
	for name, f := range map[string]func([]float32, int, int, []float32){
		"sigmoid": AddBiasSigmoid, "tanh": AddBiasTanh, "relu": AddBiasReLU} {
		b.Run(name+"_64x100", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				copy(y, src)
				f(y, rows, cols, bias)
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/rows/cols, "ns/elem")
		})
	}
}

// TestActivationPathsAgree checks that the AVX-512 activations give the
// AVX2 kernels' values bit for bit (they run the same operations in wider
// vectors), and ReLU the Go loop's on every path, at every row length up
// to 40 and on the sweep.
func TestActivationPathsAgree(t *testing.T) {
	xs := append(sweep(), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)))
	type act struct {
		name string
		f    func([]float32, int, int, []float32)
	}
	acts := []act{{"sigmoid", AddBiasSigmoid}, {"tanh", AddBiasTanh}, {"relu", AddBiasReLU}}
	run := func(impl simd.Level, a act, cols int) []float32 {
		defer setImpl(impl)()
		rows := len(xs) / cols
		y := append([]float32(nil), xs[:rows*cols]...)
		bias := make([]float32, cols)
		for j := range bias {
			bias[j] = float32(j%5) - 2
		}
		a.f(y, rows, cols, bias)
		return y
	}
	for _, a := range acts {
		for cols := 1; cols <= 40; cols++ {
			ref := implAVX2
			if a.name == "relu" {
				ref = implPortable
			}
			if dispatch.Best() < ref {
				continue
			}
			want := run(ref, a, cols)
			for impl := dispatch.Best(); impl > implPortable; impl-- {
				got := run(impl, a, cols)
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
						t.Fatalf("%s %s, %d columns: y[%d] = %v, want %v", a.name, impl, cols, i, got[i], want[i])
					}
				}
			}
		}
	}
}
