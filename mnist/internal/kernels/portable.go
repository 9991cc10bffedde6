package kernels

// portable computes the product with blocked pure-Go loops. It is the
// fallback of machines without AVX2/FMA and the reference of the tests.
func (g *gemm) portable() {
	scaleC(g.m, g.n, g.beta, g.c, g.ldc)
	switch {
	case !g.transB:
		g.axpyForm(g.b, g.ldb)
	case !g.transA && g.m < portableDotRows:
		g.dotForm()
	default:
		// op(A)·Bᵀ: transpose B once, then it is the op(A)·B case.
		ws := getWorkspace(g.k * g.n)
		bt := ws.buf[:g.k*g.n]
		transposeInto(bt, g.b, g.ldb, g.n, g.k)
		g.axpyForm(bt, g.n)
		putWorkspace(ws)
	}
}

// portableDotRows is the number of rows of A below which A·Bᵀ is
// computed as dot products instead of transposing B first.
const portableDotRows = 8

// transposeInto writes the (rows, cols) matrix src (stride lds) into dst
// as (cols, rows) with stride rows.
func transposeInto(dst, src []float32, lds, rows, cols int) {
	for i := 0; i < rows; i++ {
		row := src[i*lds : i*lds+cols]
		for p, v := range row {
			dst[p*rows+i] = v
		}
	}
}

// aStrides returns (rs, cs) such that op(A)(i, p) = a[i*rs+p*cs].
func (g *gemm) aStrides() (rs, cs int) {
	if g.transA {
		return 1, g.lda
	}
	return g.lda, 1
}

// axpyForm adds alpha·op(A)·B to C for B stored (k, n) with stride ldb:
// every C row is updated by whole B rows, two C rows and four B rows at
// a time.
func (g *gemm) axpyForm(b []float32, ldb int) {
	m, n, k := g.m, g.n, g.k
	rs, cs := g.aStrides()
	at := func(i, p int) float32 { return g.alpha * g.a[i*rs+p*cs] }
	i := 0
	for ; i+2 <= m; i += 2 {
		c0 := g.c[i*g.ldc : i*g.ldc+n]
		c1 := g.c[(i+1)*g.ldc : (i+1)*g.ldc+n]
		p := 0
		for ; p+4 <= k; p += 4 {
			bs := [4][]float32{b[p*ldb : p*ldb+n], b[(p+1)*ldb : (p+1)*ldb+n],
				b[(p+2)*ldb : (p+2)*ldb+n], b[(p+3)*ldb : (p+3)*ldb+n]}
			x := [4]float32{at(i, p), at(i, p+1), at(i, p+2), at(i, p+3)}
			y := [4]float32{at(i+1, p), at(i+1, p+1), at(i+1, p+2), at(i+1, p+3)}
			axpy2x4(c0, c1, &x, &y, &bs)
		}
		for ; p < k; p++ {
			brow := b[p*ldb : p*ldb+n]
			axpyUnitary(at(i, p), brow, c0)
			axpyUnitary(at(i+1, p), brow, c1)
		}
	}
	for ; i < m; i++ {
		c0 := g.c[i*g.ldc : i*g.ldc+n]
		for p := 0; p < k; p++ {
			axpyUnitary(at(i, p), b[p*ldb:p*ldb+n], c0)
		}
	}
}

// axpy2x4 does c0 += Σ_q x[q]·bs[q] and c1 += Σ_q y[q]·bs[q].
func axpy2x4(c0, c1 []float32, x, y *[4]float32, bs *[4][]float32) {
	b0, b1, b2, b3 := bs[0], bs[1], bs[2], bs[3]
	n := len(c0)
	c1, b0, b1, b2, b3 = c1[:n], b0[:n], b1[:n], b2[:n], b3[:n]
	x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
	y0, y1, y2, y3 := y[0], y[1], y[2], y[3]
	for j := range c0 {
		v0, v1, v2, v3 := b0[j], b1[j], b2[j], b3[j]
		c0[j] += x0*v0 + x1*v1 + x2*v2 + x3*v3
		c1[j] += y0*v0 + y1*v1 + y2*v2 + y3*v3
	}
}

// axpyUnitary does y += alpha·x for len(x) elements.
func axpyUnitary(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for j, v := range x {
		y[j] += alpha * v
	}
}

// dotForm adds alpha·A·Bᵀ to C (A and B both stored with k contiguous):
// every entry is a dot product, four B rows at a time.
func (g *gemm) dotForm() {
	m, n, k := g.m, g.n, g.k
	for i := 0; i < m; i++ {
		arow := g.a[i*g.lda : i*g.lda+k]
		crow := g.c[i*g.ldc : i*g.ldc+n]
		j := 0
		for ; j+4 <= n; j += 4 {
			s := dot4(arow, g.b[j*g.ldb:], g.ldb)
			crow[j] += g.alpha * s[0]
			crow[j+1] += g.alpha * s[1]
			crow[j+2] += g.alpha * s[2]
			crow[j+3] += g.alpha * s[3]
		}
		for ; j < n; j++ {
			crow[j] += g.alpha * dotUnitary(arow, g.b[j*g.ldb:j*g.ldb+k])
		}
	}
}

// dot4 returns the dot products of x with the four rows of b (stride ldb).
func dot4(x, b []float32, ldb int) [4]float32 {
	k := len(x)
	b0, b1 := b[:k], b[ldb:ldb+k]
	b2, b3 := b[2*ldb:2*ldb+k], b[3*ldb:3*ldb+k]
	var s0, s1, s2, s3 float32
	for p, v := range x {
		s0 += v * b0[p]
		s1 += v * b1[p]
		s2 += v * b2[p]
		s3 += v * b3[p]
	}
	return [4]float32{s0, s1, s2, s3}
}

// dotUnitary returns Σ x[i]·y[i] over len(x) elements.
func dotUnitary(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1 float32
	i := 0
	for ; i+2 <= len(x); i += 2 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
	}
	if i < len(x) {
		s0 += x[i] * y[i]
	}
	return s0 + s1
}
