package vec

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"

	"descent/internal/simd"
)

// lengths cover the empty slab, every remainder around one and two
// vectors of both ISAs, and the network's slab.
var lengths = []int{0, 1, 7, 8, 9, 15, 16, 17, 31, 33, 1000, 79510}

// TestFrameLayout checks the offsets that gen_vec.go compiles into the
// assembly.
func TestFrameLayout(t *testing.T) {
	var f frame
	got := []uintptr{unsafe.Offsetof(f.theta), unsafe.Offsetof(f.grad), unsafe.Offsetof(f.s1),
		unsafe.Offsetof(f.s2), unsafe.Offsetof(f.s3), unsafe.Offsetof(f.n), unsafe.Offsetof(f.flags),
		unsafe.Offsetof(f.norms), unsafe.Offsetof(f.k)}
	want := []uintptr{0, 24, 48, 72, 96, 120, 128, 136, 160}
	if len(f.k) != 10 {
		t.Errorf("frame has %d constants, gen_vec.go %d", len(f.k), 10)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("frame offsets %v, gen_vec.go has %v", got, want)
	}
}

// kcall is one kernel call on a set of slices, named for its options.
type kcall struct {
	name string
	bufs int // state buffers used
	do   func(theta, grad []float32, s [][]float32) (g2, d2, t2 float64)
}

// calls lists every kernel with every combination of its options.
func calls() []kcall {
	var cs []kcall
	for _, wd := range []float64{0, 0.01} {
		cs = append(cs, kcall{fmt.Sprintf("SGD/wd=%v", wd), 0, func(th, g []float32, s [][]float32) (float64, float64, float64) {
			return SGD(th, g, 0.1, wd)
		}})
		for _, first := range []bool{false, true} {
			for _, nest := range []bool{false, true} {
				for _, keep := range []float32{1, 0.7} {
					cs = append(cs, kcall{fmt.Sprintf("Momentum/wd=%v/first=%v/nesterov=%v/keep=%v", wd, first, nest, keep), 1,
						func(th, g []float32, s [][]float32) (float64, float64, float64) {
							return Momentum(th, g, s[0], 0.1, 0.9, keep, wd, first, nest)
						}})
				}
			}
		}
		for _, eps := range []float32{1e-10, 0} {
			cs = append(cs, kcall{fmt.Sprintf("Adagrad/wd=%v/eps=%v", wd, eps), 1, func(th, g []float32, s [][]float32) (float64, float64, float64) {
				return Adagrad(th, g, s[0], 0.05, eps, wd)
			}})
		}
		for _, centered := range []bool{false, true} {
			for _, mu := range []float32{0, 0.9} {
				cs = append(cs, kcall{fmt.Sprintf("RMSprop/wd=%v/centered=%v/mu=%v", wd, centered, mu), 3,
					func(th, g []float32, s [][]float32) (float64, float64, float64) {
						var avg, buf []float32
						if centered {
							avg = s[1]
						}
						if mu > 0 {
							buf = s[2]
						}
						return RMSprop(th, g, s[0], avg, buf, 0.01, 0.99, 1-float32(0.99), 1e-8, mu, wd)
					}})
			}
		}
		for _, decoupled := range []bool{false, true} {
			for _, ams := range []bool{false, true} {
				cs = append(cs, kcall{fmt.Sprintf("Adam/wd=%v/decoupled=%v/amsgrad=%v", wd, decoupled, ams), 3,
					func(th, g []float32, s [][]float32) (float64, float64, float64) {
						var vmax []float32
						if ams {
							vmax = s[2]
						}
						return Adam(th, g, s[0], s[1], vmax, 0.01/(1-0.9*0.9), 0.9, 0.1, 0.999, 0.001,
							float32(1/math.Sqrt(1-0.999*0.999)), 1e-8, float32(1-0.01*wd), wd, decoupled)
					}})
			}
		}
	}
	return cs
}

// state is a random θ, g and state buffers of length n (the buffers
// non-negative, as Adagrad's, RMSprop's and Adam's second moments are).
type state struct {
	theta, grad []float32
	s           [][]float32
}

func randState(r *rand.Rand, n int) state {
	v := func(scale float64, pos bool) []float32 {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(r.NormFloat64() * scale)
			if pos {
				x[i] = float32(math.Abs(float64(x[i])))
			}
		}
		return x
	}
	s := state{theta: v(1, false), grad: v(0.3, false)}
	// s[0]: momentum buffer, Adagrad's sum, RMSprop's v, Adam's m; s[1]: RMSprop's ḡ, Adam's v; s[2]: b or v̂.
	s.s = [][]float32{v(0.1, true), v(0.01, true), v(0.05, true)}
	return s
}

func (s state) clone() state {
	c := state{theta: slices.Clone(s.theta), grad: slices.Clone(s.grad)}
	for _, b := range s.s {
		c.s = append(c.s, slices.Clone(b))
	}
	return c
}

// TestKernelsMatchPortable checks that every assembly kernel computes the
// Go loop's results bit for bit, over three steps, on every length, and
// that its norms are those of the step it took.
func TestKernelsMatchPortable(t *testing.T) {
	impls := []simd.Level{simd.AVX2, simd.AVX512}
	for _, c := range calls() {
		for _, n := range lengths {
			r := rand.New(rand.NewPCG(uint64(n), 7))
			init := randState(r, n)
			ref := init.clone()
			restore := SetPortable(true)
			var refNorms [3][3]float64
			for step := range 3 {
				refNorms[step] = norms3(c.do(ref.theta, ref.grad, ref.s))
			}
			restore()
			for _, impl := range impls {
				if impl > detectImpl() {
					continue
				}
				got := init.clone()
				restore := dispatch.Set(impl)
				for step := range 3 {
					before := slices.Clone(got.theta)
					n3 := norms3(c.do(got.theta, got.grad, got.s))
					checkNorms(t, fmt.Sprintf("%s n=%d %s step %d", c.name, n, impl, step), n3, got.grad, before, got.theta)
					if !close3(n3, refNorms[step], 1e-12) {
						t.Errorf("%s n=%d %s step %d: norms %v, portable %v", c.name, n, impl, step, n3, refNorms[step])
					}
				}
				restore()
				if i, ok := firstDiff(got.theta, ref.theta); ok {
					t.Errorf("%s n=%d %s: θ[%d] = %v, portable %v", c.name, n, impl, i, got.theta[i], ref.theta[i])
				}
				for b := range c.bufs {
					if i, ok := firstDiff(got.s[b], ref.s[b]); ok {
						t.Errorf("%s n=%d %s: state %d [%d] = %v, portable %v", c.name, n, impl, b, i, got.s[b][i], ref.s[b][i])
					}
				}
			}
		}
	}
}

// TestPortableNorms checks the Go loops' norms against the step they took.
func TestPortableNorms(t *testing.T) {
	defer SetPortable(true)()
	for _, c := range calls() {
		s := randState(rand.New(rand.NewPCG(3, 4)), 1000)
		before := slices.Clone(s.theta)
		n3 := norms3(c.do(s.theta, s.grad, s.s))
		checkNorms(t, c.name, n3, s.grad, before, s.theta)
	}
}

func norms3(g2, d2, t2 float64) [3]float64 { return [3]float64{g2, d2, t2} }

// checkNorms compares n with the norms of the step from before to after.
func checkNorms(t *testing.T, name string, n [3]float64, grad, before, after []float32) {
	t.Helper()
	var want [3]float64
	for i := range grad {
		d := float64(after[i]) - float64(before[i])
		want[0] += float64(grad[i]) * float64(grad[i])
		want[1] += d * d
		want[2] += float64(after[i]) * float64(after[i])
	}
	if !close3(n, want, 1e-12) {
		t.Errorf("%s: norms %v, want %v", name, n, want)
	}
}

func close3(a, b [3]float64, rel float64) bool {
	for i := range a {
		if math.Abs(a[i]-b[i]) > rel*math.Max(math.Abs(b[i]), 1e-300) {
			return false
		}
	}
	return true
}

// firstDiff returns the first index where a and b differ in their bits.
func firstDiff(a, b []float32) (int, bool) {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i, true
		}
	}
	return 0, false
}

// TestFMA32 checks the Go fma32 against the exact x·y + z rounded once,
// on random operands and on ones where a float64 FMA rounded again to
// float32 would be wrong: x·y = (1 + 2⁻¹²)(2⁻²⁴ − 2⁻³⁶ + 2⁻⁴⁸) = 2⁻²⁴ + 2⁻⁶⁰,
// and 1 + x·y rounds in float64 to the float32 tie 1 + 2⁻²⁴.
func TestFMA32(t *testing.T) {
	x, y := float32(1+0x1p-12), float32(0x1p-24-0x1p-36+0x1p-48)
	cases := [][3]float32{{x, y, 1}, {-x, y, -1}, {x, -y, -1}, {x, y, 3}, {x, y, 1 + 0x1p-23},
		{0x1p-70, 0x1p-70, 0}, {0x1p-70, 0x1p-60, 0x1p-149}, {1e30, 1e30, 1}}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		x, y := float32(r.NormFloat64()), float32(r.NormFloat64())
		cases = append(cases, [3]float32{x, y, float32(r.NormFloat64())}, [3]float32{x, y, -x * y})
	}
	for _, c := range cases {
		want := exactFMA32(c[0], c[1], c[2])
		if got := fma32(c[0], c[1], c[2]); got != want {
			t.Fatalf("fma32(%v, %v, %v) = %v, want %v", c[0], c[1], c[2], got, want)
		}
		if got := fma32Slow(c[0], c[1], c[2]); got != want {
			t.Fatalf("fma32Slow(%v, %v, %v) = %v, want %v", c[0], c[1], c[2], got, want)
		}
	}
	if naive := float32(math.FMA(float64(x), float64(y), 1)); naive == exactFMA32(x, y, 1) {
		t.Errorf("the double-rounding case does not round twice: %v", naive)
	}
}

// exactFMA32 is x·y + z computed exactly, then rounded to float32.
func exactFMA32(x, y, z float32) float32 {
	f := func(v float32) *big.Float { return new(big.Float).SetPrec(200).SetFloat64(float64(v)) }
	p := new(big.Float).SetPrec(200).Mul(f(x), f(y))
	p.Add(p, f(z))
	v, _ := p.Float32()
	return v
}
