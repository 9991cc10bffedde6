//go:build !purego

package vec

import (
	"golang.org/x/sys/cpu"

	"descent/internal/simd"
)

// detectImpl picks the best kernels the CPU (and OS) support.
func detectImpl() simd.Level {
	switch {
	case cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ:
		return simd.AVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return simd.AVX2
	}
	return simd.Portable
}

// fast does kernel k with the assembly of the current implementation:
// AVX-512 takes every element, AVX2 the multiples of 8 and the Go loop the
// rest.
func fast(k kernel, f *frame) {
	n := len(f.theta)
	if dispatch.Current() == simd.AVX512 {
		f.n = n
		call(true, k, f)
		return
	}
	f.n = n &^ 7
	if f.n > 0 {
		call(false, k, f)
	}
	if f.n < n {
		portable(k, f, f.n)
	}
}
