//go:build !purego

package kernels

// normalize512 and normalize256 do Normalize's work on the first n &^ 15
// (AVX-512) or n &^ 7 (AVX2) bytes.
//
//go:noescape
func normalize512(n int, dst *float32, src *uint8, scale, shift float64)

//go:noescape
func normalize256(n int, dst *float32, src *uint8, scale, shift float64)

// prefetchLines issues PREFETCHT0 for every cache line of n bytes at p.
//
//go:noescape
func prefetchLines(p *uint8, n int)

// normalize is Normalize on equal lengths > 0.
func normalize(dst []float32, src []uint8, scale, shift float64) {
	n := len(src)
	done := 0
	switch currentImpl() {
	case implAVX512:
		done = n &^ 15
		if done > 0 {
			normalize512(done, &dst[0], &src[0], scale, shift)
		}
	case implAVX2:
		done = n &^ 7
		if done > 0 {
			normalize256(done, &dst[0], &src[0], scale, shift)
		}
	}
	if done < n {
		normalizeGo(dst[done:], src[done:], scale, shift)
	}
}

// prefetch is Prefetch on a non-empty p.
func prefetch(p []uint8) {
	if currentImpl() != implPortable {
		prefetchLines(&p[0], len(p))
	}
}
