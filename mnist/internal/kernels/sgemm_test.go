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

// check runs the case with Sgemm and gonum and compares C entry-wise with
// a tolerance of k·eps·(|alpha|·Σ|a||b| + |beta·c|) (values are in [-1,1]).
func (tc gemmCase) check(t *testing.T, rng *rand.Rand) {
	t.Helper()
	a, lda, b, ldb, c, ldc := tc.operands(rng)
	want := append([]float32(nil), c...)
	blas32.Implementation().Sgemm(bt(tc.transA), bt(tc.transB), tc.m, tc.n, tc.k,
		tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	got := append([]float32(nil), c...)
	Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
	const eps = 1.0 / (1 << 23)
	tol := 4 * eps * float64(tc.k+2) * (math.Abs(float64(tc.alpha))*float64(tc.k) + math.Abs(float64(tc.beta)) + 1)
	for i := 0; i < tc.m; i++ {
		for j := 0; j < ldc; j++ {
			g, w := got[i*ldc+j], want[i*ldc+j]
			if j >= tc.n { // padding must be untouched (NaN == NaN here)
				if math.Float32bits(g) != math.Float32bits(c[i*ldc+j]) {
					t.Fatalf("%v (%s): padding C[%d][%d] changed to %v", tc, Impl(), i, j, g)
				}
				continue
			}
			if d := math.Abs(float64(g - w)); !(d <= tol) {
				t.Fatalf("%v (%s): C[%d][%d] = %v, want %v (|diff| %g > tol %g)", tc, Impl(), i, j, g, w, d, tol)
			}
		}
	}
}

// forEachImpl runs f with every implementation the machine supports
// (avx512, avx2, portable), the last one forced through SetPortable.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	for impl := bestImpl; impl > implPortable; impl-- {
		old := mode.Swap(impl)
		t.Run(Impl(), f)
		mode.Store(old)
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
