package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// softmaxCase makes rows of logits: random, large, tied, and with the
// values that take math.Exp's slow paths (gaps past −708, ±Inf, NaN).
func softmaxCase(rng *rand.Rand, rows, classes int) []float32 {
	z := make([]float32, rows*classes)
	for r := range rows {
		row := z[r*classes : (r+1)*classes]
		scale := []float32{1, 5, 30, 400, 1000}[rng.IntN(5)]
		for j := range row {
			row[j] = float32(rng.NormFloat64()) * scale
		}
		switch rng.IntN(12) {
		case 0:
			row[rng.IntN(classes)] = float32(math.NaN())
		case 1:
			row[rng.IntN(classes)] = float32(math.Inf(1))
		case 2:
			row[rng.IntN(classes)] = float32(math.Inf(-1))
		case 3: // ties for the largest
			row[0] = 7
			row[classes-1] = 7
		}
	}
	return z
}

// TestSoftmax checks every path against softmaxGo, bit for bit, on many
// shapes, with and without dz.
func TestSoftmax(t *testing.T) { forEachImpl(t, testSoftmax) }

func testSoftmax(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, classes := range []int{1, 2, 3, 5, 8, 10, 15, 16, 17, 32, 33} {
		for _, rows := range []int{1, 7, 8, 9, 16, 64, 100} {
			z := softmaxCase(rng, rows, classes)
			m, s := make([]float64, rows), make([]float64, rows)
			m0, s0 := make([]float64, rows), make([]float64, rows)
			arg, arg0 := make([]int32, rows), make([]int32, rows)
			dz, dz0 := make([]float32, rows*classes), make([]float32, rows*classes)
			scale := 1 / float64(rows)
			Softmax(dz, z, rows, classes, scale, m, s, arg)
			softmaxGo(dz0, z, 0, rows, classes, scale, m0, s0, arg0)
			for r := range rows {
				if !same64(m[r], m0[r]) || !same64(s[r], s0[r]) || arg[r] != arg0[r] {
					t.Fatalf("%d×%d row %d: m %v s %v arg %d, want %v %v %d", rows, classes, r, m[r], s[r], arg[r], m0[r], s0[r], arg0[r])
				}
			}
			for i := range dz {
				if !same64(float64(dz[i]), float64(dz0[i])) {
					t.Fatalf("%d×%d: dz[%d] = %v, want %v", rows, classes, i, dz[i], dz0[i])
				}
			}
			Softmax(nil, z, rows, classes, scale, m, s, arg)
			for r := range rows {
				if !same64(s[r], s0[r]) {
					t.Fatalf("%d×%d without dz: s[%d] = %v, want %v", rows, classes, r, s[r], s0[r])
				}
			}
		}
	}
}

// same64 reports whether a and b are the same float, NaN equal to NaN.
func same64(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b }

// TestSoftmaxExpIsMathExp checks the vector exponential against math.Exp on
// every lane over [−745, 0]: one-row softmaxes of two logits, 0 and −x,
// give s = 1 + e^{−x}, and dz₁ carries e^{−x}/s.
func TestSoftmaxExpIsMathExp(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 9))
		const rows = 4096
		z := make([]float32, rows*2)
		for r := range rows {
			x := -rng.Float64() * 745
			if r%7 == 0 {
				x = -rng.Float64() * 2
			}
			z[2*r+1] = float32(x)
		}
		m, s, arg := make([]float64, rows), make([]float64, rows), make([]int32, rows)
		Softmax(nil, z, rows, 2, 1, m, s, arg)
		for r := range rows {
			if want := 1 + math.Exp(float64(z[2*r+1])); s[r] != want {
				t.Fatalf("s = %v for x = %v, want %v", s[r], z[2*r+1], want)
			}
		}
	})
}

func BenchmarkSoftmax(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	z := softmaxCase(rng, 64, 10)
	for i := range z {
		z[i] = float32(rng.NormFloat64() * 3)
	}
	m, s, arg := make([]float64, 64), make([]float64, 64), make([]int32, 64)
	dz := make([]float32, len(z))
	for b.Loop() {
		Softmax(dz, z, 64, 10, 1.0/64, m, s, arg)
	}
}
