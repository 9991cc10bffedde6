package mnist

import (
	"unsafe"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"descent/mnist/internal/kernels"
	"descent/optim"
)

// impl is gonum's pure-Go BLAS, for the float64 path that the tests compare
// with PyTorch's float64 numbers.
var impl gonum.Implementation

// gemm computes C = op(A)·op(B) + beta·C, row-major, in T's precision.
// A is (m, k) after op, B is (k, n) after op, C is (m, n). float32, the
// precision of training, goes to this package's own kernels (AVX-512 or AVX2
// with FMA where the CPU has them, a portable Go path elsewhere); float64 to
// gonum.
func gemm[T optim.Float](transA, transB bool, m, n, k int, a []T, lda int, b []T, ldb int, beta T, c []T, ldc int) {
	tA, tB := trans(transA), trans(transB)
	if is32[T]() {
		kernels.Sgemm(transA, transB, m, n, k, 1, f32(a), lda, f32(b), ldb, float32(beta), f32(c), ldc)
		return
	}
	impl.Dgemm(tA, tB, m, n, k, 1, f64(a), lda, f64(b), ldb, float64(beta), f64(c), ldc)
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// is32 reports whether T is float32. Both T are distinct GC shapes, so this is
// resolved per instantiation.
func is32[T optim.Float]() bool {
	var z T
	return unsafe.Sizeof(z) == 4
}

// f32 and f64 view a []T as the concrete slice type it is, without copying or
// allocating. They must only be called after is32 has told which it is.
func f32[T optim.Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

func f64[T optim.Float](s []T) []float64 {
	return unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}
