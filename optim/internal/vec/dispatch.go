package vec

import "descent/internal/simd"

// dispatch holds the kernels in use: AVX-512, AVX2 or the Go loops, as the
// CPU and DESCENT_KERNELS (simd.EnvVar) allow.
var dispatch = simd.New(detectImpl())

// Impl names the implementation in use: "avx512", "avx2" or "portable".
func Impl() string { return dispatch.Current().String() }

// SetPortable forces (on) or releases (off) the Go loops for all later
// calls and returns a function that restores the state before; for tests
// and benchmarks.
func SetPortable(on bool) (restore func()) { return dispatch.SetPortable(on) }
