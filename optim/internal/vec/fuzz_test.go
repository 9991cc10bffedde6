package vec

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"descent/internal/simd"
)

// FuzzKernels runs a kernel, chosen with its options by the fuzzer, on a
// random state of a fuzzed length, through every assembly path and the Go
// loop, and checks that they agree bit for bit.
func FuzzKernels(f *testing.F) {
	f.Add(uint8(0), uint16(17), uint64(1))
	f.Add(uint8(9), uint16(1), uint64(2))
	f.Add(uint8(40), uint16(79), uint64(3))
	cs := calls()
	f.Fuzz(func(t *testing.T, which uint8, n uint16, seed uint64) {
		c := cs[int(which)%len(cs)]
		init := randState(rand.New(rand.NewPCG(seed, 11)), int(n%512))
		ref := init.clone()
		restore := SetPortable(true)
		want := norms3(c.do(ref.theta, ref.grad, ref.s))
		restore()
		for _, impl := range []simd.Level{simd.AVX2, simd.AVX512} {
			if impl > detectImpl() {
				continue
			}
			got := init.clone()
			restore := dispatch.Set(impl)
			norms := norms3(c.do(got.theta, got.grad, got.s))
			restore()
			where := fmt.Sprintf("%s n=%d %s", c.name, len(init.theta), impl)
			if i, ok := firstDiff(got.theta, ref.theta); ok {
				t.Fatalf("%s: θ[%d] = %v (%#x), Go loop %v (%#x)", where, i, got.theta[i], math.Float32bits(got.theta[i]), ref.theta[i], math.Float32bits(ref.theta[i]))
			}
			if !close3(norms, want, 1e-12) {
				t.Fatalf("%s: norms %v, Go loop %v", where, norms, want)
			}
			for b := range c.bufs {
				if i, ok := firstDiff(got.s[b], ref.s[b]); ok {
					t.Fatalf("%s: state %d [%d] = %v, Go loop %v", where, b, i, got.s[b][i], ref.s[b][i])
				}
			}
		}
	})
}
