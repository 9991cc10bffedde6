package kernels

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSgemmPrefetch checks that a product asking for memory on the side
// computes what Sgemm computes, bit for bit, and asks for the whole queue
// when it has micro-kernels enough, on every path.
func TestSgemmPrefetch(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(19, 20))
		mem := make([]uint8, 100000)
		for _, tc := range []gemmCase{
			{true, false, 100, 784, 64, 1, 0, 0}, {true, false, 16, 784, 64, 1, 1, 0},
			{false, true, 64, 100, 784, 1, 0, 0}, {false, false, 3, 5, 7, 1, 0, 2}, {true, false, 1, 1, 1, 1, 0, 0},
		} {
			a, lda, b, ldb, c, ldc := tc.operands(rng)
			want := slices.Clone(c)
			Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
			var pf Prefetcher
			for i := range 64 {
				pf.Add(mem[i*1000+i : i*1000+i+784])
			}
			pf.Add(nil)
			pf.Add(mem[99999:])
			SgemmPrefetch(&pf, tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
			for i := range c {
				if !same64(float64(c[i]), float64(want[i])) {
					t.Fatalf("%v: c[%d] = %v, Sgemm %v", tc, i, c[i], want[i])
				}
			}
			if tc.m*tc.n >= 100*784 && Impl() != "portable" && pf.lines() != 0 {
				t.Errorf("%v: %d lines never asked for", tc, pf.lines())
			}
			pf.Clear()
			if pf.lines() != 0 {
				t.Errorf("a cleared queue has %d lines", pf.lines())
			}
		}
	})
}
