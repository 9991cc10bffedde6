package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// gemmCase is one Sgemm problem.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	pad            int // extra stride beyond the minimum
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("%s%s/m%d_n%d_k%d/a%g_b%g/pad%d", tr(tc.transA), tr(tc.transB),
		tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad)
}

func tr(t bool) string {
	if t {
		return "T"
	}
	return "N"
}

func bt(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// operands builds random A, B, C with the case's strides. C holds NaN
// when beta == 0 (it must be overwritten).
func (tc gemmCase) operands(rng *rand.Rand) (a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	lda, ldb, ldc = max(1, ac)+tc.pad, max(1, bc)+tc.pad, max(1, tc.n)+tc.pad
	a, b, c = randSlice(rng, ar*lda), randSlice(rng, br*ldb), randSlice(rng, tc.m*ldc)
	if tc.beta == 0 {
		for i := range c {
			c[i] = float32(math.NaN())
		}
	}
	return a, lda, b, ldb, c, ldc
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// check runs the case with Sgemm and gonum and compares C entry-wise.
// The tolerance of entry (i, j) is 2(k+2)·eps·(|alpha|·Σ_p|a_ip||b_pj| +
// |beta·c_ij|), the classic bound of a float32 dot product.
func (tc gemmCase) check(t *testing.T, rng *rand.Rand) {
	t.Helper()
	a, lda, b, ldb, c, ldc := tc.operands(rng)
	impl := blas32.Implementation()
	want := append([]float32(nil), c...)
	impl.Sgemm(bt(tc.transA), bt(tc.transB), tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	bound := make([]float32, len(c))
	for i, v := range c {
		if tc.beta != 0 {
			bound[i] = abs32(tc.beta * v)
		}
	}
	impl.Sgemm(bt(tc.transA), bt(tc.transB), tc.m, tc.n, tc.k, abs32(tc.alpha), absAll(a), lda, absAll(b), ldb, 1, bound, ldc)
	got := append([]float32(nil), c...)
	Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
	const eps = 1.0 / (1 << 24)
	for i := 0; i < tc.m; i++ {
		for j := 0; j < ldc; j++ {
			x := i*ldc + j
			if j >= tc.n { // padding must be left untouched
				if math.Float32bits(got[x]) != math.Float32bits(c[x]) {
					t.Fatalf("%v (%s): padding C[%d][%d] changed to %v", tc, Impl(), i, j, got[x])
				}
				continue
			}
			tol := 2 * float64(tc.k+2) * eps * float64(bound[x])
			if d := math.Abs(float64(got[x] - want[x])); !(d <= tol) {
				t.Fatalf("%v (%s): C[%d][%d] = %v, want %v (|diff| %g > tol %g)", tc, Impl(), i, j, got[x], want[x], d, tol)
			}
		}
	}
}

func abs32(x float32) float32 { return math.Float32frombits(math.Float32bits(x) &^ (1 << 31)) }

func absAll(s []float32) []float32 {
	r := make([]float32, len(s))
	for i, v := range s {
		r[i] = abs32(v)
	}
	return r
}

// forEachImpl runs f with every implementation the machine supports
// (avx512, avx2, portable), the last one forced through SetPortable.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	for impl := dispatch.Best(); impl > implPortable; impl-- {
		restore := setImpl(impl)
		t.Run(Impl(), f)
		restore()
	}
	restore := SetPortable(true)
	defer restore()
	t.Run(Impl(), f)
}

var smallSizes = []int{1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33}

func TestSgemmSmallShapes(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				for _, m := range smallSizes {
					for _, n := range smallSizes {
						for _, k := range smallSizes {
							gemmCase{ta, tb, m, n, k, 1, 0, 0}.check(t, rng)
						}
					}
				}
			}
		}
	})
}

var allSizes = []int{1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 63, 64, 65, 100, 127, 784}

// scalars are the (alpha, beta) variants, cycled through the cases.
var scalars = [][2]float32{{1, 0}, {0.5, 1}, {-1.5, 0.25}, {1, -1}, {0, 2}, {2, 0}, {0, 0}}

// TestSgemmShapes covers every size triple of allSizes (bounded in work)
// for all transpositions, cycling alpha/beta variants and extra strides.
func TestSgemmShapes(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		v := 0
		for _, m := range allSizes {
			for _, n := range allSizes {
				for _, k := range allSizes {
					if m*n*k > 1<<18 || (m < 63 && n < 63 && k < 63) {
						continue
					}
					for tr := 0; tr < 4; tr++ {
						ab := scalars[v%len(scalars)]
						gemmCase{tr&1 != 0, tr&2 != 0, m, n, k, ab[0], ab[1], []int{0, 3, 17}[v%3]}.check(t, rng)
						v++
					}
				}
			}
		}
	})
}

// TestSgemmBlocking exercises several k blocks (k > kcMax) and n blocks.
func TestSgemmBlocking(t *testing.T) {
	cases := []gemmCase{
		{true, false, 100, 784, 1200, 1, 0, 0},
		{false, true, 70, 1100, 600, 0.5, 1, 5},
		{false, false, 33, 1500, 700, 1, 0.5, 0},
		{true, true, 65, 300, 1030, -1, 0, 1},
		{false, true, 64, 100, 784, 1, 0, 0},
		{true, false, 100, 784, 64, 1, 1, 0},
	}
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, tc := range cases {
			tc.check(t, rng)
		}
	})
}

func TestSgemmAllScalars(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 10))
		for _, ab := range scalars {
			for tr := 0; tr < 4; tr++ {
				for _, k := range []int{0, 1, 37} {
					gemmCase{tr&1 != 0, tr&2 != 0, 29, 45, k, ab[0], ab[1], 2}.check(t, rng)
				}
			}
		}
	})
}

func TestSgemmPanics(t *testing.T) {
	s := make([]float32, 100)
	cases := []struct {
		want string
		f    func()
	}{
		{errMLT0, func() { Sgemm(false, false, -1, 1, 1, 1, s, 1, s, 1, 0, s, 1) }},
		{errNLT0, func() { Sgemm(false, false, 1, -1, 1, 1, s, 1, s, 1, 0, s, 1) }},
		{errKLT0, func() { Sgemm(false, false, 1, 1, -1, 1, s, 1, s, 1, 0, s, 1) }},
		{errLdA, func() { Sgemm(false, false, 2, 2, 3, 1, s, 2, s, 2, 0, s, 2) }},
		{errLdA, func() { Sgemm(true, false, 3, 2, 2, 1, s, 2, s, 2, 0, s, 2) }},
		{errLdB, func() { Sgemm(false, false, 2, 3, 2, 1, s, 2, s, 2, 0, s, 3) }},
		{errLdB, func() { Sgemm(false, true, 2, 2, 3, 1, s, 3, s, 2, 0, s, 2) }},
		{errLdC, func() { Sgemm(false, false, 2, 3, 2, 1, s, 2, s, 3, 0, s, 2) }},
		{errShortA, func() { Sgemm(false, false, 11, 1, 10, 1, s, 10, s, 1, 0, s, 1) }},
		{errShortB, func() { Sgemm(false, true, 1, 11, 10, 1, s, 10, s, 10, 0, s, 11) }},
		{errShortC, func() { Sgemm(false, false, 11, 10, 1, 1, s, 1, s, 10, 0, s, 10) }},
	}
	for _, tc := range cases {
		func() {
			defer func() {
				if r := recover(); r != tc.want {
					t.Errorf("panic %v, want %q", r, tc.want)
				}
			}()
			tc.f()
		}()
	}
	// Empty products with valid strides do not panic, even with nil slices.
	Sgemm(false, false, 0, 5, 5, 1, nil, 5, nil, 5, 0, nil, 5)
	Sgemm(true, true, 3, 0, 5, 1, nil, 3, nil, 5, 0, nil, 1)
}

// TestSgemmConcurrent runs many products at once (run with -race).
func TestSgemmConcurrent(t *testing.T) {
	done := make(chan struct{})
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- struct{}{} }()
			rng := rand.New(rand.NewPCG(uint64(g), 11))
			for i := 0; i < 20; i++ {
				gemmCase{g&1 != 0, true, 20 + i, 40 + g, 100, 1, 0, 0}.check(t, rng)
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}

// FuzzSgemm checks random small problems (sizes from the fuzz input,
// bounded by 96) on the current and the portable path against gonum.
func FuzzSgemm(f *testing.F) {
	f.Add(uint8(0), uint8(1), uint8(2), uint8(3), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(3), uint8(64), uint8(100), uint8(64), uint8(2), uint8(1), uint64(2))
	f.Add(uint8(1), uint8(15), uint8(33), uint8(17), uint8(5), uint8(3), uint64(3))
	f.Fuzz(func(t *testing.T, tr, m, n, k, pad, sc uint8, seed uint64) {
		ab := scalars[int(sc)%len(scalars)]
		tc := gemmCase{tr&1 != 0, tr&2 != 0, int(m) % 97, int(n) % 97, int(k) % 97, ab[0], ab[1], int(pad) % 8}
		rng := rand.New(rand.NewPCG(seed, 12))
		tc.check(t, rng)
		defer SetPortable(true)()
		tc.check(t, rng)
	})
}
