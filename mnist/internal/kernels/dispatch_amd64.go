//go:build !purego

package kernels

import (
	"golang.org/x/sys/cpu"

	"descent/internal/simd"
)

// detectImpl picks the best kernels the CPU (and OS) support.
func detectImpl() simd.Level {
	switch {
	case cpu.X86.HasAVX512F:
		return implAVX512
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		return implAVX2
	}
	return implPortable
}
