package kernels

// Sgemm computes, in row-major storage,
//
//	C = alpha·op(A)·op(B) + beta·C
//
// where op(X) is X or Xᵀ as selected by transA and transB. It has the
// semantics of BLAS sgemm (and of gonum's blas32 Sgemm with blas.NoTrans /
// blas.Trans):
//
//   - op(A) is (m, k): a holds A as (m, k) with stride lda when !transA,
//     as (k, m) with stride lda when transA;
//   - op(B) is (k, n): b holds B as (k, n) with stride ldb when !transB,
//     as (n, k) with stride ldb when transB;
//   - c holds C as (m, n) with stride ldc;
//   - beta == 0 overwrites C without reading it (NaN in C is discarded);
//     alpha == 0 or k == 0 only scales C by beta.
//
// It panics on negative sizes, too small strides or too short slices,
// with the same checks (and order) as gonum.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(nil, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemm is Sgemm with the prefetch queue of SgemmPrefetch, or nil.
func sgemm(pf *Prefetcher, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scaleC(m, n, beta, c, ldc)
		return
	}
	if beta == 0 {
		beta = 0 // turn -0 into +0: the kernels test the bits.
	}
	g := gemm{transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, pf, 0}
	if currentImpl() == implPortable {
		g.portable()
		return
	}
	g.fast()
}

// gemm bundles the arguments of one Sgemm call.
type gemm struct {
	transA, transB bool
	m, n, k        int
	alpha          float32
	a              []float32
	lda            int
	b              []float32
	ldb            int
	beta           float32
	c              []float32
	ldc            int
	pf             *Prefetcher // memory to ask for between micro-kernels, or nil
	pfLines        int         // lines to ask for after each micro-kernel
}

// Panic messages of checkGemm.
const (
	errMLT0   = "kernels: m < 0"
	errNLT0   = "kernels: n < 0"
	errKLT0   = "kernels: k < 0"
	errLdA    = "kernels: bad leading dimension of A"
	errLdB    = "kernels: bad leading dimension of B"
	errLdC    = "kernels: bad leading dimension of C"
	errShortA = "kernels: insufficient length of a"
	errShortB = "kernels: insufficient length of b"
	errShortC = "kernels: insufficient length of c"
)

// checkGemm panics if the arguments do not describe valid matrices.
func checkGemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	switch {
	case m < 0:
		panic(errMLT0)
	case n < 0:
		panic(errNLT0)
	case k < 0:
		panic(errKLT0)
	}
	ar, ac := m, k // stored shape of A
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n // stored shape of B
	if transB {
		br, bc = n, k
	}
	switch {
	case lda < max(1, ac):
		panic(errLdA)
	case ldb < max(1, bc):
		panic(errLdB)
	case ldc < max(1, n):
		panic(errLdC)
	}
	if m == 0 || n == 0 {
		return
	}
	switch {
	case ar > 0 && len(a) < (ar-1)*lda+ac:
		panic(errShortA)
	case br > 0 && len(b) < (br-1)*ldb+bc:
		panic(errShortB)
	case len(c) < (m-1)*ldc+n:
		panic(errShortC)
	}
}

// scaleC sets C = beta·C, writing zeros when beta == 0.
func scaleC(m, n int, beta float32, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}
