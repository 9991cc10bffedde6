//go:build !purego

package kernels

// transpose16 transposes 16·kr rows × 16 columns (AVX-512); see its
// assembly.
//
//go:noescape
func transpose16(kr int, src *float32, lds int, dst *float32, ldd int)

// transpose is Transpose on checked, non-empty arguments. AVX-512 moves
// 16×16 blocks, a block column at a time; the rows below the last whole
// group of 16 and the columns right of the last whole block are done as
// AVX2 does the whole: 8×8 register transposes over whole blocks of eight
// rows and columns, 4×4 ones over a group of four rows left, and a Go loop
// over the edges.
func transpose(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	switch currentImpl() {
	case implPortable:
		transposeGo(dst, ldd, src, lds, 0, rows, 0, cols)
		return
	case implAVX512:
		r16, c16 := rows&^15, cols&^15
		if r16 == 0 || c16 == 0 {
			break
		}
		for c := 0; c < c16; c += 16 {
			transpose16(r16/16, &src[c], lds, &dst[c*ldd], ldd)
		}
		if c16 < cols { // the columns right of the blocks
			transpose8s(dst[c16*ldd:], ldd, src[c16:], lds, r16, cols-c16)
		}
		if r16 < rows { // the rows below them
			transpose8s(dst[r16:], ldd, src[r16*lds:], lds, rows-r16, cols)
		}
		return
	}
	transpose8s(dst, ldd, src, lds, rows, cols)
}

// transpose8s is transpose with 8×8 and 4×4 blocks.
func transpose8s(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	r8, k8 := rows&^7, cols/8
	if k8 > 0 {
		for r := 0; r < r8; r += 8 {
			transpose8(k8, &src[r*lds], lds, &dst[r], ldd)
		}
	}
	transposeGo(dst, ldd, src, lds, 0, r8, 8*k8, cols)
	r := r8
	if k4 := cols / 4; rows-r >= 4 && k4 > 0 {
		transpose4(k4, &src[r*lds], lds, &dst[r], ldd)
		transposeGo(dst, ldd, src, lds, r, r+4, 4*k4, cols)
		r += 4
	}
	transposeGo(dst, ldd, src, lds, r, rows, 0, cols)
}
