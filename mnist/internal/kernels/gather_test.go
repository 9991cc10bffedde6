package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// MNIST's normalisation, x = (u/255 − μ)/σ, as the fused form takes it.
const (
	testScale = 1 / (255 * 0.3081)
	testShift = -0.1307 / 0.3081
)

// TestNormalize checks every path against the float64 formula on every
// byte value, at lengths and offsets that leave every kind of tail.
func TestNormalize(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		src := make([]uint8, 1200)
		for i := range src {
			src[i] = uint8(i*37 + i/256)
		}
		for _, n := range []int{0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 255, 256, 784, 1000} {
			for _, off := range []int{0, 1, 3} {
				in := src[off : off+n]
				dst := make([]float32, n+1)
				dst[n] = 42
				Normalize(dst, in, testScale, testShift)
				for i, u := range in {
					if want := float32(math.FMA(float64(u), testScale, testShift)); dst[i] != want {
						t.Fatalf("n %d off %d: dst[%d] = %v for u = %d, want %v", n, off, i, dst[i], u, want)
					}
				}
				if dst[n] != 42 {
					t.Fatalf("n %d: wrote past the end", n)
				}
			}
		}
	})
}

// TestNormalizeIsTheFormula checks that for MNIST's constants the fused form
// is the direct formula (u/255 − μ)/σ rounded to float32, for every byte.
func TestNormalizeIsTheFormula(t *testing.T) {
	for u := range 256 {
		direct := float32((float64(u)/255 - 0.1307) / 0.3081)
		if fused := float32(math.FMA(float64(u), testScale, testShift)); fused != direct {
			t.Errorf("u = %d: fused %v, direct %v", u, fused, direct)
		}
	}
}

func TestPrefetchChangesNothing(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 1))
		p := make([]uint8, 3000)
		for i := range p {
			p[i] = uint8(rng.IntN(256))
		}
		want := append([]uint8(nil), p...)
		for _, n := range []int{0, 1, 63, 64, 65, 784, 2999} {
			for _, off := range []int{0, 1} {
				Prefetch(p[off : off+n])
			}
		}
		for i := range p {
			if p[i] != want[i] {
				t.Fatalf("byte %d changed", i)
			}
		}
	})
}

func BenchmarkNormalize(b *testing.B) {
	src := make([]uint8, 64*784)
	dst := make([]float32, len(src))
	for b.Loop() {
		Normalize(dst, src, testScale, testShift)
	}
	b.ReportMetric(float64(len(src))*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gpixel/s")
}
