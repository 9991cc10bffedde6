//go:build !purego

package kernels

// dot4x512 sets out[r] = Σ_p x[p]·b[r*ldb+p] for r < 4, p < k (AVX-512).
//
//go:noescape
func dot4x512(k int, x *float32, b *float32, ldb int, out *[4]float32)

// dot4x256 is dot4x512 with AVX2.
//
//go:noescape
func dot4x256(k int, x *float32, b *float32, ldb int, out *[4]float32)

// gemvRows is the largest m computed as dot products in the A·Bᵀ case:
// below it, transposing B for the register-blocked kernels costs more
// than reading B once per row of A.
const gemvRows = 4

// gemv computes the A·Bᵀ products with few rows of A (batch 1 forward:
// y = W·x) as dot products of A rows with B rows; it reports whether it
// handled the call.
func (g *gemm) gemv() bool {
	if !g.transB || g.transA || g.m > gemvRows {
		return false
	}
	avx512 := currentImpl() == implAVX512
	var out [4]float32 // direct calls below keep it on the stack
	dot := func(x *float32, b *float32, ldb int) {
		if avx512 {
			dot4x512(g.k, x, b, ldb, &out)
		} else {
			dot4x256(g.k, x, b, ldb, &out)
		}
	}
	for i := 0; i < g.m; i++ {
		x := &g.a[i*g.lda]
		crow := g.c[i*g.ldc : i*g.ldc+g.n]
		j := 0
		for ; j+4 <= g.n; j += 4 {
			dot(x, &g.b[j*g.ldb], g.ldb)
			g.update(crow[j:j+4], out[:])
		}
		for ; j < g.n; j++ {
			dot(x, &g.b[j*g.ldb], 0) // four copies of row j
			g.update(crow[j:j+1], out[:1])
		}
	}
	return true
}

// update sets c = alpha·s + beta·c (c not read when beta == 0).
func (g *gemm) update(c, s []float32) {
	s = s[:len(c)]
	if g.beta == 0 {
		for j := range c {
			c[j] = g.alpha * s[j]
		}
		return
	}
	for j := range c {
		c[j] = g.alpha*s[j] + g.beta*c[j]
	}
}
