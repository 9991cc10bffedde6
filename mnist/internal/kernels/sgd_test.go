package kernels

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// fma32Big is x·y + z rounded once to float32, with big.Float.
func fma32Big(x, y, z float32) float32 {
	p := new(big.Float).SetPrec(200).Mul(big.NewFloat(float64(x)).SetPrec(200), big.NewFloat(float64(y)))
	p.Add(p, big.NewFloat(float64(z)))
	f, _ := p.Float32()
	return f
}

// TestFMA32 checks the portable fma32 against big.Float on random values
// and on sums built to land on float32 rounding ties.
func TestFMA32(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range 200000 {
		x := float32(rng.NormFloat64()) * float32(math.Pow(2, float64(rng.IntN(40)-20)))
		y := float32(rng.NormFloat64()) * float32(math.Pow(2, float64(rng.IntN(40)-20)))
		z := float32(rng.NormFloat64()) * float32(math.Pow(2, float64(rng.IntN(40)-20)))
		if i%3 == 0 { // z cancels most of x·y: ties and tiny results
			z = -float32(float64(x) * float64(y))
		}
		if i%5 == 0 { // x·y a half ulp of z: a tie if the rest is zero
			x, y = float32(math.Ldexp(1, -24)), z
		}
		if got, want := fma32(x, y, z), fma32Big(x, y, z); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fma32(%v, %v, %v) = %v, want %v", x, y, z, got, want)
		}
	}
}

// sgdRef is θ' = fma(−α, g, θ) with the norms in float64.
func sgdRef(theta, grad []float32, lr float32) Norms {
	var n Norms
	for i, g := range grad {
		after := fma32Big(-lr, g, theta[i])
		d := float64(after) - float64(theta[i])
		n = n.Add(Norms{float64(g) * float64(g), d * d, float64(after) * float64(after)})
		theta[i] = after
	}
	return n
}

func closeNorms(got, want Norms) bool {
	ok := func(a, b float64) bool { return a == b || math.Abs(a-b) <= 1e-5*math.Abs(b)+1e-300 || a != a && b != b }
	return ok(got.Grad, want.Grad) && ok(got.Delta, want.Delta) && ok(got.Theta, want.Theta)
}

// TestSGD checks every path: θ bit for bit against fma(−α, g, θ), the norms
// within float32 roundings of the float64 sums, at every length up to 70,
// lengths around the runs, and the network's.
func TestSGD(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		lengths := []int{511, 512, 513, 1023, 1024, 1025, 12730, 79510}
		for n := range 71 {
			lengths = append(lengths, n)
		}
		for _, n := range lengths {
			theta, grad := randSlice(rng, n), randSlice(rng, n)
			for i := range grad {
				grad[i] *= 1e-3
			}
			want := append([]float32(nil), theta...)
			wn := sgdRef(want, grad, 0.1)
			got := SGD(theta, grad, 0.1)
			for i := range theta {
				if theta[i] != want[i] {
					t.Fatalf("n %d: θ[%d] = %v, want %v", n, i, theta[i], want[i])
				}
			}
			if !closeNorms(got, wn) {
				t.Fatalf("n %d: norms %+v, want %+v", n, got, wn)
			}
		}
	})
}

// TestSGDOuter checks every path against forming a ⊗ b and then SGD's
// step, on many shapes and a padded stride.
func TestSGDOuter(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 16))
		shapes := [][2]int{{100, 784}, {10, 100}, {1, 100}, {1, 10}, {16, 784}, {1024, 10}, {3, 1100}}
		for m := 1; m <= 5; m++ {
			for n := 1; n <= 40; n++ {
				shapes = append(shapes, [2]int{m, n})
			}
		}
		for _, s := range shapes {
			m, n := s[0], s[1]
			ldt := n + m%3
			a, b := randSlice(rng, m), randSlice(rng, n)
			theta := randSlice(rng, m*ldt)
			want := append([]float32(nil), theta...)
			var wn Norms
			for i := range m {
				g := make([]float32, n)
				for j := range g {
					g[j] = a[i] * b[j]
				}
				wn = wn.Add(sgdRef(want[i*ldt:i*ldt+n], g, 0.25))
			}
			got := SGDOuter(theta, ldt, a, b, 0.25)
			for i := range theta {
				if theta[i] != want[i] {
					t.Fatalf("%d×%d: θ[%d] = %v, want %v", m, n, i, theta[i], want[i])
				}
			}
			if !closeNorms(got, wn) {
				t.Fatalf("%d×%d: norms %+v, want %+v", m, n, got, wn)
			}
		}
	})
}

func BenchmarkSGD(b *testing.B) {
	theta, grad := make([]float32, 79510), make([]float32, 79510)
	b.Run("slab", func(b *testing.B) {
		for b.Loop() {
			SGD(theta, grad, 1e-9)
		}
	})
	x, d := make([]float32, 784), make([]float32, 100)
	b.Run("outer100x784", func(b *testing.B) {
		for b.Loop() {
			SGDOuter(theta, 784, d, x, 1e-9)
		}
	})
}

// TestSGDOuterDot checks that the fused update-and-product gives SGDOuter's
// θ and, bit for bit, the one-row Sgemm of the new θ, on every path and on
// row lengths around the kernels' vectors and pairs of vectors.
func TestSGDOuterDot(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(17, 18))
		for _, m := range []int{1, 3, 4, 5, 10, 100} {
			for _, n := range []int{1, 5, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 100, 111, 784} {
				ldt := n + m%2
				a, b, x2 := randSlice(rng, m), randSlice(rng, n), randSlice(rng, n)
				theta := randSlice(rng, m*ldt)
				want := append([]float32(nil), theta...)
				wn := SGDOuter(want, ldt, a, b, 0.5)
				wz := make([]float32, m)
				Sgemm(false, true, 1, m, n, 1, x2, n, want, ldt, 0, wz, m)
				z := make([]float32, m)
				got := SGDOuterDot(theta, ldt, a, b, 0.5, x2, z)
				if !slices.Equal(theta, want) {
					t.Fatalf("%d×%d: θ differs from SGDOuter's", m, n)
				}
				if !slices.Equal(z, wz) {
					t.Fatalf("%d×%d: z = %v, Sgemm %v", m, n, z, wz)
				}
				if !closeNorms(got, wn) {
					t.Fatalf("%d×%d: norms %+v, SGDOuter %+v", m, n, got, wn)
				}
			}
		}
	})
}
