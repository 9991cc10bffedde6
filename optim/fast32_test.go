package optim

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"descent/optim/internal/vec"
)

// fast32Cases are every network method with every combination of the
// options that change its float32 kernel.
func fast32Cases() []firstOrderCase {
	cs := []firstOrderCase{{"gd", map[string]float64{"lr": 0.05}}}
	for _, wd := range []float64{0, 0.01} {
		hp := func(kv ...any) map[string]float64 {
			m := map[string]float64{"weightDecay": wd}
			for i := 0; i < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1].(float64)
			}
			return m
		}
		cs = append(cs,
			firstOrderCase{"sgd", hp("lr", 0.05)},
			firstOrderCase{"momentum", hp("lr", 0.05)},
			firstOrderCase{"sgd", hp("lr", 0.05, "momentum", 0.8, "dampening", 0.3)},
			firstOrderCase{"nesterov", hp("lr", 0.05)},
			firstOrderCase{"adagrad", hp("lr", 0.1, "lrDecay", 0.01, "initialAccumulatorValue", 0.1)},
			firstOrderCase{"adagrad", hp("eps", 0.0)},
		)
		for _, centered := range []float64{0, 1} {
			for _, mu := range []float64{0, 0.5} {
				cs = append(cs, firstOrderCase{"rmsprop", hp("centered", centered, "momentum", mu)})
			}
		}
		for _, ams := range []float64{0, 1} {
			cs = append(cs, firstOrderCase{"adam", hp("lr", 0.01, "amsgrad", ams)},
				firstOrderCase{"adamw", hp("lr", 0.01, "amsgrad", ams, "weightDecay", 10*wd)})
		}
	}
	return cs
}

type firstOrderCase struct {
	name string
	hp   map[string]float64
}

// fast32Lengths are slabs around the vector widths and the network's slab.
var fast32Lengths = []int{0, 1, 7, 15, 16, 17, 31, 33, 1000, slabSize}

// ulpTol is how many float32 ulps (of the largest term of an update) the
// fast path may differ from the generic float32 loop: the generic loop
// rounds once to float32, the kernels round every product, quotient and
// root, and the hyperparameters themselves (Adam's chain m·α/(√v·c + ε)
// has six roundings).
const ulpTol = 6

// TestFast32MatchesGeneric runs three steps of every float32 method both
// on the fast path (assembly, then the portable Go loops) and on the
// generic loop, each step from the same θ and state, and checks that θ and
// the state agree to ulpTol ulps and the norms are those of the step.
func TestFast32MatchesGeneric(t *testing.T) {
	worst := map[string]float64{}
	defer func() { t.Logf("largest differences from the generic loop, in ulps: %v", worst) }()
	for _, path := range []string{vec.Impl(), "portable"} {
		restore := vec.SetPortable(path == "portable")
		for _, c := range fast32Cases() {
			for _, n := range fast32Lengths {
				w := compareFast32(t, fmt.Sprintf("%s %s %v n=%d", path, c.name, c.hp, n), c, n)
				worst[c.name] = max(worst[c.name], w)
			}
		}
		restore()
	}
}

// compareFast32 checks three steps of c on a slab of n and returns the
// largest difference seen, in ulps.
func compareFast32(t *testing.T, name string, c firstOrderCase, n int) float64 {
	t.Helper()
	gen, err := New[float32](c.name, c.hp)
	if err != nil {
		t.Fatal(err)
	}
	fast, _ := New[float32](c.name, c.hp)
	r := rand.New(rand.NewPCG(uint64(n), 11))
	theta := randSlab(r, n, 1)
	worst := 0.0
	for step := 1; step <= 3; step++ {
		grad := randSlab(r, n, 0.3)
		if step > 1 {
			syncState(t, gen, fast, n)
		}
		old, mine := slices.Clone(theta), slices.Clone(theta)
		var oldState [][]float32
		for _, in := range fast.Internals() {
			oldState = append(oldState, slices.Clone(in.Values))
		}
		useFast32 = false
		want := gen.(Measured[float32]).StepMeasured(theta, grad)
		useFast32 = true
		got := fast.(Measured[float32]).StepMeasured(mine, grad)

		at := fmt.Sprintf("%s step %d", name, step)
		// θ ← θ − αb: the momentum buffer's terms μb and (1 − τ)g are terms of θ's update.
		var buf, bufOld []float32
		for i, in := range gen.Internals() {
			if in.Name == "buf" && i < len(oldState) {
				buf, bufOld = in.Values, oldState[i]
			}
		}
		// Adam's θ ← θ − α/(1 − β₁ᵗ)·m/(√v̂/√(1 − β₂ᵗ) + ε) has the term β₁m.
		var adamTerm func(i int) float64
		if a, ok := adamOf(gen); ok && len(oldState) > 0 {
			m, v, mOld := a.m, a.v, oldState[0]
			if a.AMSGrad {
				v = a.vmax
			}
			bc1, bc2 := 1-math.Pow(a.Beta1, float64(step)), math.Sqrt(1-math.Pow(a.Beta2, float64(step)))
			adamTerm = func(i int) float64 {
				den := math.Sqrt(float64(v[i]))/bc2 + a.Eps
				return a.LearningRate / bc1 * max(a.Beta1*abs32(mOld[i]), abs32(m[i])) / den
			}
		}
		worst = max(worst, ulpDiff(t, at+": θ", mine, theta, func(i int) float64 {
			s := max(abs32(theta[i]), abs32(old[i]))
			if buf != nil {
				s = max(s, gen.LR()*abs32(bufOld[i]), gen.LR()*abs32(buf[i]))
			}
			if adamTerm != nil {
				s = max(s, adamTerm(i))
			}
			return s
		}))
		for i, in := range gen.Internals() {
			prev := in.Values // the state is sized (zero or s₀) on the first step
			if i < len(oldState) {
				prev = oldState[i]
			}
			worst = max(worst, ulpDiff(t, at+": "+in.Name, fast.Internals()[i].Values, in.Values, func(j int) float64 {
				return max(abs32(in.Values[j]), abs32(prev[j]))
			}))
		}
		own := stepNorms(grad, old, mine)
		if !near(got.Grad, want.Grad, 1e-12) || !near(got.Theta, want.Theta, 1e-6) || !near(got.Delta, want.Delta, 1e-4) {
			t.Errorf("%s: norms %+v, generic %+v", at, got, want)
		}
		if !near(got.Grad, own.Grad, 1e-9) || !near(got.Theta, own.Theta, 1e-9) || !near(got.Delta, own.Delta, 1e-9) {
			t.Errorf("%s: norms %+v, those of its step %+v", at, got, own)
		}
	}
	return worst
}

// ulpDiff checks that got and want differ by at most ulpTol float32 ulps of
// scale(i), the largest term of the update of element i: at least the
// value before and after the step, which bound the update but where terms
// cancel. It returns the largest difference, in those ulps.
func ulpDiff(t *testing.T, name string, got, want []float32, scale func(i int) float64) float64 {
	t.Helper()
	worst := 0.0
	for i := range want {
		s := float32(scale(i))
		ulp := float64(math.Nextafter32(s, float32(math.Inf(1))) - s)
		d := math.Abs(float64(got[i])-float64(want[i])) / ulp
		if d > ulpTol || math.IsNaN(d) {
			t.Errorf("%s[%d] = %v, generic %v (%.2g ulps of %v)", name, i, got[i], want[i], d, s)
			return d
		}
		worst = max(worst, d)
	}
	return worst
}

func abs32(x float32) float64 { return math.Abs(float64(x)) }

// stepNorms are the norms of a step from before to after, as measure sums them.
func stepNorms(grad, before, after []float32) Norms {
	var n Norms
	for i := range grad {
		measure(&n, grad[i], float64(before[i]), after[i])
	}
	return n
}

func near(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Abs(b) }

// adamOf returns the Adam inside m (Adam or AdamW).
func adamOf(m Method[float32]) (*Adam[float32], bool) {
	switch a := m.(type) {
	case *Adam[float32]:
		return a, true
	case *AdamW[float32]:
		return &a.Adam, true
	}
	return nil, false
}

// syncState copies gen's state into fast, so that both take the next step
// from the same state.
func syncState(t *testing.T, gen, fast Method[float32], n int) {
	t.Helper()
	b, err := SaveState(gen)
	if err != nil {
		return // gd has no state
	}
	if err := LoadState(fast, b, n); err != nil {
		t.Fatal(err)
	}
}

func randSlab(r *rand.Rand, n int, scale float64) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64() * scale)
	}
	return x
}
