package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas/blas32"
)

// peakGFLOPS is the assumed one-core float32 FMA peak of the benchmark
// machine (AMD EPYC, Zen 5): 2 FMA pipes × 16 lanes (512-bit) × 2 flops
// × ~3.3 GHz ≈ 211 GFLOP/s.
const peakGFLOPS = 2 * 16 * 2 * 3.3

// benchShape is one GEMM of the MNIST network.
type benchShape struct {
	name           string
	transA, transB bool
	m, n, k        int
	beta           float32
}

// benchShapes lists the products of layer 1 (784 → hidden) and layer 2
// (hidden → 10) for a few hidden sizes and batches: fwd Y = X·Wᵀ, dW =
// dYᵀ·X, dX = dY·W.
func benchShapes() []benchShape {
	var s []benchShape
	add := func(batch, in, out int, dx bool) {
		s = append(s,
			benchShape{fmt.Sprintf("fwd_b%d_%dx%d", batch, in, out), false, true, batch, out, in, 0},
			benchShape{fmt.Sprintf("dW_b%d_%dx%d", batch, in, out), true, false, out, in, batch, 0})
		if dx {
			s = append(s, benchShape{fmt.Sprintf("dX_b%d_%dx%d", batch, in, out), false, false, batch, in, out, 0})
		}
	}
	for _, h := range []int{16, 100, 1024} {
		add(64, 784, h, false)
		add(64, h, 10, true)
	}
	add(1, 784, 100, false)
	add(1, 100, 10, true)
	// Full batch (9.4 GFLOP each): fast path only.
	s = append(s, benchShape{"fwd_b60000_784x100", false, true, 60000, 100, 784, 0},
		benchShape{"dW_b60000_784x100", true, false, 100, 784, 60000, 0})
	return s
}

// BenchmarkSgemm measures the network shapes on the current path (avx512,
// avx2 or portable), the forced portable path and gonum's blas32. Run it
// on one core:
//
//	GOMAXPROCS=1 go test -run X -bench Sgemm -benchtime=0.3s
//
// (DESCENT_KERNELS=avx2 measures the AVX2 kernels on an AVX-512 machine.)
func BenchmarkSgemm(b *testing.B) {
	for _, sh := range benchShapes() {
		rng := rand.New(rand.NewPCG(3, 4))
		tc := gemmCase{sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, sh.beta, 0}
		a, lda, bb, ldb, c, ldc := tc.operands(rng)
		flops := 2 * float64(sh.m) * float64(sh.n) * float64(sh.k)
		run := func(b *testing.B, f func()) {
			b.ReportAllocs()
			f() // warm up the workspace pool
			for b.Loop() {
				f()
			}
			gf := flops * float64(b.N) / b.Elapsed().Seconds() / 1e9
			b.ReportMetric(gf, "GFLOP/s")
			b.ReportMetric(100*gf/peakGFLOPS, "%peak")
		}
		sgemm := func() { Sgemm(sh.transA, sh.transB, sh.m, sh.n, sh.k, 1, a, lda, bb, ldb, sh.beta, c, ldc) }
		b.Run(sh.name+"/"+Impl(), func(b *testing.B) { run(b, sgemm) })
		if sh.m*sh.n*sh.k > 1e8 {
			continue // the slow paths would take too long
		}
		b.Run(sh.name+"/portable", func(b *testing.B) {
			defer SetPortable(true)()
			run(b, sgemm)
		})
		b.Run(sh.name+"/gonum", func(b *testing.B) {
			impl := blas32.Implementation()
			run(b, func() {
				impl.Sgemm(bt(sh.transA), bt(sh.transB), sh.m, sh.n, sh.k, 1, a, lda, bb, ldb, sh.beta, c, ldc)
			})
		})
	}
}
