package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// crossEntropyRef is CrossEntropyFM in float64 with math.Exp and math.Log,
// and the tolerance of a float32 kernel: a few ulps of each image's
// m − z_y and log s (2e-7 relative), plus what the float32 sum s of the
// classes' terms may be off by, relative, classes·2⁻²⁴ (and 1e-7).
func crossEntropyRef(z []float32, classes int, labels []uint8) (loss, tol float64, correct int) {
	n := len(labels)
	for i, y := range labels {
		m, arg := float64(z[i]), 0
		for j := 1; j < classes; j++ {
			if v := float64(z[j*n+i]); v > m {
				m, arg = v, j
			}
		}
		var s float64
		for j := range classes {
			s += math.Exp(float64(z[j*n+i]) - m)
		}
		if int(y) >= classes {
			return math.NaN(), 0, 0
		}
		d, ls := m-float64(z[int(y)*n+i]), math.Log(s)
		loss += d + ls
		tol += 2e-7*(math.Abs(d)+ls) + 1e-7 + float64(classes)*0x1p-24
		if arg == int(y) {
			correct++
		}
	}
	return loss, tol, correct
}

// xentCase makes logits (classes × n), feature-major, of the given scale,
// with ties for the largest in some images, and labels below classes.
func xentCase(rng *rand.Rand, n, classes int, scale float32) ([]float32, []uint8) {
	z, lab := make([]float32, classes*n), make([]uint8, n)
	for i := range n {
		for j := range classes {
			z[j*n+i] = float32(rng.NormFloat64()) * scale
		}
		lab[i] = uint8(rng.IntN(classes))
		if rng.IntN(5) == 0 { // the label ties the largest, after or before another
			j := rng.IntN(classes)
			z[int(lab[i])*n+i], z[j*n+i] = 3*scale, 3*scale
		}
	}
	return z, lab
}

// checkXent compares CrossEntropyFM with the float64 reference.
func checkXent(t *testing.T, z []float32, classes int, lab []uint8) {
	t.Helper()
	loss, correct := CrossEntropyFM(z, classes, lab)
	want, tol, wantC := crossEntropyRef(z, classes, lab)
	if math.IsNaN(want) || math.IsInf(want, 0) {
		if loss == loss && !math.IsInf(loss, 0) {
			t.Fatalf("%s: %d images, %d classes: loss %v, want %v", Impl(), len(lab), classes, loss, want)
		}
		return
	}
	if math.Abs(loss-want) > tol || correct != wantC {
		t.Fatalf("%s: %d images, %d classes: loss %.9g (%d right), want %.9g ± %.2g (%d right)",
			Impl(), len(lab), classes, loss, correct, want, tol, wantC)
	}
}

func TestCrossEntropyFM(t *testing.T) { forEachImpl(t, testCrossEntropyFM) }

func testCrossEntropyFM(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, classes := range []int{1, 2, 3, 10, 17} {
		for _, n := range []int{1, 7, 15, 16, 17, 33, 64, 256, 300} {
			for _, scale := range []float32{0, 0.1, 1, 5, 30, 400} {
				z, lab := xentCase(rng, n, classes, scale)
				checkXent(t, z, classes, lab)
			}
		}
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, v := range []float32{nan, inf, -inf, 1e30, -1e30, 88, -200} {
		for _, at := range []int{0, 3, 9} { // one image's logit of class 0, 3 or 9
			z, lab := xentCase(rng, 40, 10, 2)
			z[at*40+21] = v
			checkXent(t, z, 10, lab)
		}
	}
	z, lab := xentCase(rng, 32, 10, 1)
	lab[20] = 10 // out of range: NaN
	if loss, _ := CrossEntropyFM(z, 10, lab); loss == loss {
		t.Errorf("%s: a label ≥ classes gave loss %v, want NaN", Impl(), loss)
	}
	if loss, c := CrossEntropyFM(nil, 10, nil); loss != 0 || c != 0 {
		t.Errorf("no images: %v, %d", loss, c)
	}
	defer func() {
		if recover() == nil {
			t.Error("CrossEntropyFM of a short z did not panic")
		}
	}()
	CrossEntropyFM(make([]float32, 19), 10, make([]uint8, 2))
}

// TestCrossEntropyFMMatchesPortable: the fast paths count the same images
// right and sum the same loss as the portable path, to float32 rounding.
func TestCrossEntropyFMMatchesPortable(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	z, lab := xentCase(rng, 4099, 10, 6)
	ref, refC := crossEntropyGo(z, 10, lab, 0)
	_, tol, _ := crossEntropyRef(z, 10, lab)
	forEachImpl(t, func(t *testing.T) {
		if loss, c := CrossEntropyFM(z, 10, lab); math.Abs(loss-ref) > 2*tol || c != refC {
			t.Fatalf("%s: loss %.9g (%d right), the portable path %.9g (%d)", Impl(), loss, c, ref, refC)
		}
	})
}

// FuzzCrossEntropyFM runs CrossEntropyFM through every path on fuzzed
// shapes and logits against the float64 reference.
func FuzzCrossEntropyFM(f *testing.F) {
	f.Add(uint16(17), uint8(10), uint64(1), float32(3))
	f.Add(uint16(1), uint8(1), uint64(2), float32(0))
	f.Add(uint16(256), uint8(33), uint64(3), float32(300))
	f.Fuzz(func(t *testing.T, n uint16, classes uint8, seed uint64, scale float32) {
		if math.IsNaN(float64(scale)) || math.IsInf(float64(scale), 0) {
			scale = 1
		}
		scale = float32(math.Max(-1e4, math.Min(1e4, float64(scale))))
		rng := rand.New(rand.NewPCG(seed, 7))
		z, lab := xentCase(rng, int(n%600)+1, int(classes%40)+1, scale)
		forEachImpl(t, func(t *testing.T) { checkXent(t, z, int(classes%40)+1, lab) })
	})
}

// BenchmarkCrossEntropyFM is one grid point's loss over a chunk of the
// landscape (10 classes × 256 images).
func BenchmarkCrossEntropyFM(b *testing.B) {
	rng := rand.New(rand.NewPCG(35, 36))
	z, lab := xentCase(rng, 256, 10, 4)
	for b.Loop() {
		CrossEntropyFM(z, 10, lab)
	}
	b.ReportMetric(b.Elapsed().Seconds()*1e9/float64(b.N)/256, "ns/image")
}
