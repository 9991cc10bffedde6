// Package simd chooses, once per package of kernels, between its assembly
// for AVX-512, its assembly for AVX2 and its Go loops, so that the kernels
// of mnist and of optim are chosen, overridden and tested the same way.
package simd

import (
	"os"
	"sync/atomic"
)

// Level is a kind of kernels, in increasing order of capability.
type Level int32

// The levels.
const (
	Portable Level = iota // the Go loops
	AVX2                  // AVX2 with FMA
	AVX512                // AVX-512
)

var names = [...]string{Portable: "portable", AVX2: "avx2", AVX512: "avx512"}

// String is "portable", "avx2" or "avx512".
func (l Level) String() string { return names[l] }

// EnvVar names the environment variable read when a Dispatch is made:
// "portable" forces the Go loops, "avx2" caps the kernels at AVX2.
const EnvVar = "DESCENT_KERNELS"

// choose applies an EnvVar value to the level the CPU supports.
func choose(detected Level, env string) Level {
	switch env {
	case "portable", "purego", "go":
		return Portable
	case "avx2":
		return min(detected, AVX2)
	}
	return detected
}

// Dispatch holds the level a package's kernels use.
type Dispatch struct {
	detected Level        // what the CPU (and OS) support
	best     Level        // detected, capped by EnvVar; read-only
	mode     atomic.Int32 // the level in use (best unless SetPortable or Set)
}

// New makes the Dispatch of a package whose CPU supports detected.
func New(detected Level) *Dispatch {
	d := &Dispatch{detected: detected, best: choose(detected, os.Getenv(EnvVar))}
	d.mode.Store(int32(d.best))
	return d
}

// Current is the level in use.
func (d *Dispatch) Current() Level { return Level(d.mode.Load()) }

// Best is the level chosen when the Dispatch was made.
func (d *Dispatch) Best() Level { return d.best }

// SetPortable forces (on) or releases (off) the Go loops for all later
// calls and returns a function that restores the level before. It is
// meant for tests and benchmarks; calls already running are not affected.
func (d *Dispatch) SetPortable(on bool) (restore func()) {
	if on {
		return d.Set(Portable)
	}
	return d.Set(d.best)
}

// Set selects l, capped at the detected level, for tests that compare the
// levels' kernels; it returns a function that restores the level before.
func (d *Dispatch) Set(l Level) (restore func()) {
	old := d.mode.Swap(int32(min(l, d.detected)))
	return func() { d.mode.Store(old) }
}
