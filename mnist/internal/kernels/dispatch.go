package kernels

import "descent/internal/simd"

// Implementations, in increasing order of capability.
const (
	implPortable = simd.Portable
	implAVX2     = simd.AVX2
	implAVX512   = simd.AVX512
)

// dispatch holds the implementation in use: the best the CPU has, unless
// DESCENT_KERNELS (simd.EnvVar) says "portable" (the pure-Go path) or
// "avx2".
var dispatch = simd.New(detectImpl())

func currentImpl() simd.Level { return dispatch.Current() }

// Impl names the GEMM implementation in use: "avx512", "avx2" or
// "portable".
func Impl() string { return currentImpl().String() }

// SetPortable forces (on) or releases (off) the pure-Go path for all
// subsequent calls and returns a function restoring the previous state.
// It is meant for tests and benchmarks; calls already running are not
// affected.
func SetPortable(on bool) (restore func()) { return dispatch.SetPortable(on) }

// setImpl selects impl (capped at the detected one) for tests that
// compare the AVX2 and AVX-512 kernels; it returns a restore function.
func setImpl(impl simd.Level) (restore func()) { return dispatch.Set(impl) }
