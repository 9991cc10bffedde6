package mnist

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestCheckGradientTinyOnCorrect checks backpropagation against central
// differences on 64 weights of each network: the relative error is float64's,
// far under the 1e-5 that the page promises, for every activation and depth.
func TestCheckGradientTinyOnCorrect(t *testing.T) {
	img := randomData(1, 31).Images
	archs := append(explainArchs(), DefaultArch(), Arch{Hidden: []int{64, 32}, Activation: ReLU})
	for _, arch := range archs {
		for _, label := range []int{TopClass, 4} {
			t.Run(fmt.Sprintf("%s label %d", arch, label), func(t *testing.T) {
				m := testModel(t, arch, 9, 3)
				before := slices.Clone(m.Params)
				e, _ := NewExplainer(m)
				gc, err := e.CheckGradient(img, label, MaxChecks, 1)
				if err != nil {
					t.Fatal(err)
				}
				if gc.MaxRelError > 1e-8 {
					worst := slices.MaxFunc(gc.Checks, func(a, b WeightCheck) int { return cmp.Compare(a.RelError, b.RelError) })
					t.Errorf("largest relative error %.3g at %+v, want ≤ 1e-8", gc.MaxRelError, worst)
				}
				seen := map[int]bool{}
				for _, c := range gc.Checks {
					seen[c.Layer] = true
					ly := e.net.layers[c.Layer]
					if float32(c.Weight) != m.Params[c.Index] || c.Weight != ly.w[c.Row*ly.in+c.Col] {
						t.Errorf("%+v: weight %v, model's %v", c, c.Weight, m.Params[c.Index])
					}
				}
				if len(seen) != len(arch.Hidden)+1 || gc.Step != FDStep {
					t.Errorf("layers checked %v, step %v; want every layer, h = %v", seen, gc.Step, FDStep)
				}
				if !slices.Equal(before, m.Params) || !slices.Equal(e.net.Params, to64(m.Params)) {
					t.Error("the check changed the weights")
				}
				again, _ := e.CheckGradient(img, label, MaxChecks, 1)
				if !slices.Equal(again.Checks, gc.Checks) {
					t.Error("the same seed checked other weights or got other numbers")
				}
			})
		}
	}
}

func to64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// TestCheckGradientCatchesWrongGradient feeds the check two classic bugs: a
// δ that forgets σ′(z) and an output δ of the wrong sign, y − p. Both must
// show a large relative error.
func TestCheckGradientCatchesWrongGradient(t *testing.T) {
	img := randomData(1, 32).Images
	for _, act := range Activations() {
		e, _ := NewExplainer(testModel(t, Arch{Hidden: []int{16, 8}, Activation: act}, 2, 3))
		e.load(img)
		forwardPass(e.net, e.p)
		backwardPass(e.net, e.g, e.p, 3)
		last := len(e.net.layers) - 1
		picks := e.pickWeights(30, 5)
		noSlope := func(w WeightCheck) float64 { // δ = Wᵀδ, without ⊙ σ′(z)
			if w.Layer == last {
				return e.g.delta[w.Layer][w.Row] * e.layerIn(w.Layer)[w.Col]
			}
			return e.g.gradA[w.Layer][w.Row] * e.layerIn(w.Layer)[w.Col]
		}
		flipped := func(w WeightCheck) float64 { // δ_last = y − p in the last layer
			bp := e.g.delta[w.Layer][w.Row] * e.layerIn(w.Layer)[w.Col]
			if w.Layer == last {
				return -bp
			}
			return bp
		}
		for name, bp := range map[string]func(WeightCheck) float64{"without σ′": noSlope, "δ = y − p": flipped} {
			worst := 0.0
			for _, c := range e.compare(picks, 3, bp, FDStep) {
				worst = max(worst, c.RelError)
			}
			if worst < 0.1 {
				t.Errorf("%s, %s: largest relative error %.3g, want a wrong gradient to show ≥ 0.1", act, name, worst)
			}
		}
	}
}

// TestLossChangeMatchesForwardDifference checks the differences carried
// through the layers against the subtraction of two plain forward passes, at
// a step large enough for the subtraction to be accurate.
func TestLossChangeMatchesForwardDifference(t *testing.T) {
	img := randomData(1, 33).Images
	for _, arch := range explainArchs() {
		e, _ := NewExplainer(testModel(t, arch, 4, 3))
		e.load(img)
		x := slices.Clone(e.p.x)
		j0 := loss64(e, x, 6)
		ch := newChange(arch)
		for _, c := range e.pickWeights(20, 8) {
			for _, d := range []float64{0.05, -0.05} {
				forwardPass(e.net, e.p)
				got := e.lossChange(ch, c.Layer, c.Row, c.Col, d, 6)
				w := e.net.Params[c.Index]
				e.net.Params[c.Index] = w + d
				want := loss64(e, x, 6) - j0
				e.net.Params[c.Index] = w
				if math.Abs(got-want) > 1e-12+1e-9*math.Abs(want) {
					t.Errorf("%s W%d[%d][%d] + %g: ΔJ = %.17g, forward passes %.17g", arch, c.Layer+1, c.Row, c.Col, d, got, want)
				}
			}
		}
	}
}

// TestActivationChange checks σ(z + d) − σ(z) against the subtraction where
// the subtraction is exact enough, and that it keeps its precision where the
// subtraction loses it.
func TestActivationChange(t *testing.T) {
	z := []float64{-30, -3, -0.5, 0, 0.4, 2, 25}
	for _, act := range Activations() {
		for _, d := range []float64{0.3, -0.3} {
			dz := slices.Repeat([]float64{d}, len(z))
			got := make([]float64, len(z))
			activationChange(act, got, z, dz)
			a, b := slices.Clone(z), slices.Clone(z)
			for i := range b {
				b[i] += d
			}
			activationForward(act, a)
			activationForward(act, b)
			for i := range z {
				if want := b[i] - a[i]; math.Abs(got[i]-want) > 1e-15 {
					t.Errorf("%s(%g + %g) − %s(%g) = %g, want %g", act, z[i], d, act, z[i], got[i], want)
				}
			}
		}
	}
	// σ(30 + 1e-9) − σ(30) = σ′(30)·1e-9 ≈ 9.4e-23, far below σ(30)'s ulp.
	got := make([]float64, 1)
	activationChange(Sigmoid, got, []float64{30}, []float64{1e-9})
	if want := 1e-9 * sigmoid(30) * sigmoid(-30); math.Abs(got[0]-want) > 1e-9*want {
		t.Errorf("sigmoid change at 30: %g, want %g", got[0], want)
	}
}

func TestCheckGradientRefusesBadInput(t *testing.T) {
	e, _ := NewExplainer(testModel(t, DefaultArch(), 1, 1))
	img := make([]uint8, InputSize)
	for _, c := range []struct {
		img      []uint8
		label, n int
		want     string
	}{
		{img, TopClass, 0, "0 weights to check"},
		{img, TopClass, MaxChecks + 1, "want 1 to 64"},
		{img, 10, 5, "label 10"},
		{img[:10], TopClass, 5, "image has 10 pixels"},
	} {
		if _, err := e.CheckGradient(c.img, c.label, c.n, 1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("CheckGradient(label %d, n %d): %v, want %q", c.label, c.n, err, c.want)
		}
	}
}
