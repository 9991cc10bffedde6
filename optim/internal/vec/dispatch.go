package vec

import (
	"os"
	"sync/atomic"
)

// Implementations, in increasing order of capability.
const (
	implPortable int32 = iota
	implAVX2
	implAVX512
)

var implNames = [...]string{implPortable: "portable", implAVX2: "avx2", implAVX512: "avx512"}

// EnvVar names the environment variable read at init: "portable" forces
// the Go loops, "avx2" caps the kernels at AVX2.
const EnvVar = "DESCENT_KERNELS"

var (
	// bestImpl is the implementation chosen at init; read-only afterwards.
	bestImpl = chooseImpl(detectImpl(), os.Getenv(EnvVar))
	// mode is the implementation in use (bestImpl unless SetPortable).
	mode atomic.Int32
)

func init() { mode.Store(bestImpl) }

// chooseImpl applies the DESCENT_KERNELS override to the detected path.
func chooseImpl(detected int32, env string) int32 {
	switch env {
	case "portable", "purego", "go":
		return implPortable
	case "avx2":
		return min(detected, implAVX2)
	}
	return detected
}

func currentImpl() int32 { return mode.Load() }

// Impl names the implementation in use: "avx512", "avx2" or "portable".
func Impl() string { return implNames[currentImpl()] }

// SetPortable forces (on) or releases (off) the Go loops for all
// subsequent calls and returns a function restoring the previous state.
// It is meant for tests and benchmarks; calls already running are not
// affected.
func SetPortable(on bool) (restore func()) {
	impl := bestImpl
	if on {
		impl = implPortable
	}
	old := mode.Swap(impl)
	return func() { mode.Store(old) }
}

// setImpl selects impl (capped at the detected one) for tests that
// compare the AVX2 and AVX-512 kernels; it returns a restore function.
func setImpl(impl int32) (restore func()) {
	old := mode.Swap(min(impl, detectImpl()))
	return func() { mode.Store(old) }
}
