//go:build !purego

package kernels

// microKernel computes one register tile; see gen_kernels.go.
type microKernel func(k int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, alpha, beta float32, rem int)

// transpose8 sets dst[p*ldd+r] = src[r*lds+p] for r < 8, p < 8·k8.
//
//go:noescape
func transpose8(k8 int, src *float32, lds int, dst *float32, ldd int)

// transpose4 sets dst[p*ldd+r] = src[r*lds+p] for r < 4, p < 4·k4.
//
//go:noescape
func transpose4(k4 int, src *float32, lds int, dst *float32, ldd int)

// arch describes the micro-kernels of one instruction set.
type arch struct {
	mr    int // rows of the largest tile
	lanes int // float32 lanes per vector
	nv    int // vectors per tile row; the panel width is nr = lanes·nv
	// full and masked kernels indexed by [transA][mr][nv]; masked ones
	// take the number of valid lanes of the last vector.
	full, masked [2][][3]microKernel
}

var (
	archAVX512 = arch{mr: 14, lanes: 16, nv: 2,
		full:   [2][][3]microKernel{k512ntab[:], k512ttab[:]},
		masked: [2][][3]microKernel{k512ntab[:], k512ttab[:]}}
	archAVX2 = arch{mr: 6, lanes: 8, nv: 2,
		full:   [2][][3]microKernel{k256ntab[:], k256ttab[:]},
		masked: [2][][3]microKernel{k256nmtab[:], k256tmtab[:]}}
)

// Cache blocking: k is cut in blocks of at most kcMax, and the B block
// (kc, nc) is kept under bBlockFloats so it stays in L2 while every row
// tile of A sweeps over it.
const (
	kcMax        = 512
	bBlockFloats = 96 << 10
)

func (ar *arch) nr() int { return ar.lanes * ar.nv }

// pick returns the kernel for a tile of mr rows and w (1..nr) columns and
// the number of valid lanes in its last vector.
func (ar *arch) pick(transA bool, mr, w int) (microKernel, int) {
	nv := (w + ar.lanes - 1) / ar.lanes
	rem := w - (nv-1)*ar.lanes
	t := 0
	if transA {
		t = 1
	}
	if rem < ar.lanes {
		return ar.masked[t][mr][nv], rem
	}
	return ar.full[t][mr][nv], rem
}

// fast runs the blocked assembly path.
func (g *gemm) fast() {
	ar := &archAVX2
	if currentImpl() == implAVX512 {
		ar = &archAVX512
	}
	if g.gemv() {
		return
	}
	nr := ar.nr()
	kb := balance(g.k, kcMax)
	nb := roundUp(balance(g.n, max(nr, bBlockFloats/kb/nr*nr)), nr)
	if g.pf != nil { // spread the queue over the micro-kernels
		calls := (g.k + kb - 1) / kb * ((g.m + ar.mr - 1) / ar.mr) * ((g.n + nr - 1) / nr)
		g.pfLines = min(maxLinesPerKernel, (g.pf.lines()+calls-1)/calls)
	}
	var ws *workspace
	if g.transB {
		ws = getWorkspace(kb * nb)
		defer putWorkspace(ws)
	}
	for pc := 0; pc < g.k; pc += kb {
		kc := min(kb, g.k-pc)
		beta := g.beta
		if pc > 0 {
			beta = 1
		}
		for jc := 0; jc < g.n; jc += nb {
			g.block(ar, ws, pc, kc, jc, min(nb, g.n-jc), beta)
		}
	}
}

// block computes C[:, jc:jc+nc] (+)= alpha·op(A)[:, pc:pc+kc]·op(B)[pc:pc+kc, jc:jc+nc].
func (g *gemm) block(ar *arch, ws *workspace, pc, kc, jc, nc int, beta float32) {
	nr := ar.nr()
	var bp []float32
	ldb, pstride := g.ldb, nr
	if g.transB {
		bp, ldb, pstride = ws.buf, nr, kc*nr
		packBT(bp, g.b, g.ldb, jc, nc, pc, kc, nr)
	} else {
		bp = g.b[pc*g.ldb+jc:]
	}
	tiles := (g.m + ar.mr - 1) / ar.mr
	for t, i0 := 0, 0; t < tiles; t++ {
		mr := (g.m - i0) / (tiles - t) // balanced tiles, largest first
		if (g.m-i0)%(tiles-t) != 0 {
			mr++
		}
		var ap *float32
		if g.transA {
			ap = &g.a[pc*g.lda+i0]
		} else {
			ap = &g.a[i0*g.lda+pc]
		}
		crow := g.c[i0*g.ldc+jc:]
		for q, j := 0, 0; j < nc; q, j = q+1, j+nr {
			kern, rem := ar.pick(g.transA, mr, min(nr, nc-j))
			kern(kc, ap, g.lda, &bp[q*pstride], ldb, &crow[j], g.ldc, g.alpha, beta, rem)
			if g.pfLines > 0 {
				g.pf.issue(g.pfLines)
			}
		}
		i0 += mr
	}
}

// packBT packs op(B)[p0:p0+kc, j0:j0+nc] = Bᵀ (B stored (n, k), stride
// ldb) into dst as panels of nr columns: panel q holds (kc, nr) with
// stride nr. Columns past nc in the last panel are left unset; the
// kernels mask them.
func packBT(dst, b []float32, ldb, j0, nc, p0, kc, nr int) {
	for q := 0; q*nr < nc; q++ {
		panel := dst[q*kc*nr : (q+1)*kc*nr]
		src := b[(j0+q*nr)*ldb+p0:]
		w := min(nr, nc-q*nr)
		// 8×8 transposes, a chunk of columns at a time so that the
		// destination chunk stays in L1 while the row groups fill it.
		k8, w8 := kc/8, w&^7
		for p := 0; p < 8*k8; p += 8 * packChunk {
			n8 := min(packChunk, k8-p/8)
			for r := 0; r < w8; r += 8 {
				_ = src[(r+7)*ldb+p+8*n8-1]
				_ = panel[(p+8*n8-1)*nr+r+7]
				transpose8(n8, &src[r*ldb+p], ldb, &panel[p*nr+r], nr)
			}
		}
		packTail(panel, src, ldb, 0, w8, 8*k8, kc, nr)
		r := w8
		if k4 := kc / 4; w-r >= 4 && k4 > 0 {
			_ = src[(r+3)*ldb+4*k4-1]
			_ = panel[(4*k4-1)*nr+r+3]
			transpose4(k4, &src[r*ldb], ldb, &panel[r], nr)
			packTail(panel, src, ldb, r, r+4, 4*k4, kc, nr)
			r += 4
		}
		packTail(panel, src, ldb, r, w, 0, kc, nr)
	}
}

// packTail copies rows [r0, r1) × columns [p0, kc) of src (stride ldb)
// transposed into panel (stride nr).
func packTail(panel, src []float32, ldb, r0, r1, p0, kc, nr int) {
	for r := r0; r < r1; r++ {
		row := src[r*ldb : r*ldb+kc]
		for p := p0; p < kc; p++ {
			panel[p*nr+r] = row[p]
		}
	}
}

// packChunk is the number of 8-column blocks packBT transposes per call.
const packChunk = 8

// balance splits n into ⌈n/limit⌉ nearly equal blocks and returns the
// block length.
func balance(n, limit int) int {
	blocks := (n + limit - 1) / limit
	return (n + blocks - 1) / blocks
}

func roundUp(n, to int) int { return (n + to - 1) / to * to }
