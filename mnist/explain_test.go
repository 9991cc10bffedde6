package mnist

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// testModel is a model of the given shape from seed, with its weights scaled
// by scale (3 makes every unit matter on random images, as in
// TestGradientFiniteDifferences).
func testModel(t testing.TB, arch Arch, seed uint64, scale float32) *Model {
	t.Helper()
	net, err := NewNet[float32](arch, seed)
	if err != nil {
		t.Fatal(err)
	}
	for i := range net.Params {
		net.Params[i] *= scale
	}
	return net.Model()
}

// explainArchs are the shapes every derivative is checked on: each
// activation with one, two and four hidden layers.
func explainArchs() []Arch {
	var archs []Arch
	for _, act := range Activations() {
		archs = append(archs, Arch{Hidden: []int{5}, Activation: act}, Arch{Hidden: []int{4, 3}, Activation: act},
			Arch{Hidden: []int{6, 5, 4, 3}, Activation: act}) // MaxHiddenLayers

	}
	return archs
}

// worstRel is the largest |got − want| / max(1e-4, |got| + |want|), the
// measure of TestGradientFiniteDifferences.
func worstRel[T float32 | float64](got []T, want []float64) (worst float64, at int) {
	for i := range want {
		d := math.Abs(float64(got[i])-want[i]) / math.Max(1e-4, math.Abs(float64(got[i]))+math.Abs(want[i]))
		if d > worst {
			worst, at = d, i
		}
	}
	return worst, at
}

// TestExplainAgainstFiniteDifferences checks every layer's δ (as ∂J/∂b),
// ∂J/∂W = δaᵀ and the saliency ∂ log p_C/∂u against central differences of
// plain forward passes, for every activation with one and two hidden layers,
// for a label and a class that differ and for the top class.
func TestExplainAgainstFiniteDifferences(t *testing.T) {
	img := randomData(1, 11).Images
	for _, arch := range explainArchs() {
		for _, cl := range [][2]int{{3, 7}, {TopClass, TopClass}} {
			t.Run(fmt.Sprintf("%s class %d label %d", arch, cl[0], cl[1]), func(t *testing.T) {
				e, err := NewExplainer(testModel(t, arch, 7, 3))
				if err != nil {
					t.Fatal(err)
				}
				ex, err := e.Explain(img, cl[0], cl[1])
				if err != nil {
					t.Fatal(err)
				}
				checkParamGradients(t, e, ex)
				checkSaliency(t, e, ex)
			})
		}
	}
}

// loss64 is J = −log p_L of e's network at its current weights on the input x.
func loss64(e *Explainer, x []float64, label int) float64 {
	copy(e.p.x, x)
	forwardPass(e.net, e.p)
	return crossEntropy64(e.p.z[len(e.p.z)-1], label)
}

func checkParamGradients(t *testing.T, e *Explainer, ex *Explanation) {
	t.Helper()
	x := append([]float64(nil), e.p.x...)
	theta := append([]float64(nil), e.net.Params...)
	numeric := fd.Gradient(nil, func(p []float64) float64 {
		copy(e.net.Params, p)
		return loss64(e, x, ex.Label)
	}, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
	copy(e.net.Params, theta)
	off := 0
	for l, lv := range ex.Layers {
		nw := lv.In * lv.Out
		if w, at := worstRel(ex.GradW(l), numeric[off:off+nw]); w > 1e-5 {
			t.Errorf("layer %d: ∂J/∂W = δaᵀ at %d is %g, central difference %g (relative %.2g)",
				l, at, ex.GradW(l)[at], numeric[off+at], w)
		}
		off += nw
		if w, at := worstRel(lv.Delta, numeric[off:off+lv.Out]); w > 1e-5 {
			t.Errorf("layer %d: δ[%d] = %g, central difference of J in b %g (relative %.2g)", l, at, lv.Delta[at], numeric[off+at], w)
		}
		off += lv.Out
	}
}

func checkSaliency(t *testing.T, e *Explainer, ex *Explanation) {
	t.Helper()
	u := make([]float64, InputSize)
	for i, g := range ex.Input {
		u[i] = float64(g) / 255
	}
	x := make([]float64, InputSize)
	logp := func(u []float64) float64 {
		for i, v := range u {
			x[i] = (v - Mean) / Std
		}
		return -loss64(e, x, ex.Class)
	}
	numeric := fd.Gradient(nil, logp, u, &fd.Settings{Formula: fd.Central, Step: 1e-5})
	if w, at := worstRel(ex.Saliency, numeric); w > 1e-5 {
		t.Errorf("∂ log p_%d/∂u[%d] = %g, central difference %g (relative %.2g)", ex.Class, at, ex.Saliency[at], numeric[at], w)
	}
}

// TestExplainForwardValues checks z, a = σ(z), σ′(z) (against a central
// difference of σ) and ∂J/∂a = Wᵀδ, layer by layer.
func TestExplainForwardValues(t *testing.T) {
	img := randomData(1, 12).Images
	for _, arch := range explainArchs() {
		e, _ := NewExplainer(testModel(t, arch, 3, 3))
		ex, err := e.Explain(img, TopClass, 2)
		if err != nil {
			t.Fatal(err)
		}
		last := len(ex.Layers) - 1
		for l, lv := range ex.Layers[:last] {
			for i, z := range lv.Z {
				a, up, down := []float64{float64(z)}, []float64{float64(z) + 1e-6}, []float64{float64(z) - 1e-6}
				activationForward(arch.Activation, a)
				activationForward(arch.Activation, up)
				activationForward(arch.Activation, down)
				slope := (up[0] - down[0]) / 2e-6
				if math.Abs(a[0]-float64(lv.A[i])) > 1e-6 || math.Abs(slope-float64(lv.Slope[i])) > 1e-5 {
					t.Errorf("%s layer %d unit %d: z %g a %g σ′ %g, want a %g σ′ %g", arch, l, i, z, lv.A[i], lv.Slope[i], a[0], slope)
				}
				if d := float64(lv.GradA[i] * lv.Slope[i]); math.Abs(d-float64(lv.Delta[i])) > 1e-6*(1+math.Abs(d)) {
					t.Errorf("%s layer %d unit %d: δ %g, want ∂J/∂a·σ′ = %g", arch, l, i, lv.Delta[i], d)
				}
			}
		}
		out := ex.Layers[last]
		if out.Activation != "softmax" || out.Slope != nil || out.GradA != nil || !slices.Equal(to32(ex.Probs), out.A) {
			t.Errorf("%s: last layer %q, slope %v, gradA %v, a %v, want softmax with a = p", arch, out.Activation, out.Slope, out.GradA, out.A)
		}
		var sum float64
		for j, d := range out.Delta {
			y := 0.0
			if j == ex.Label {
				y = 1
			}
			sum += float64(d)
			if math.Abs(float64(d)-(ex.Probs[j]-y)) > 1e-7 {
				t.Errorf("%s: δ_last[%d] = %g, want p − y = %g", arch, j, d, ex.Probs[j]-y)
			}
		}
		if math.Abs(sum) > 1e-6 || math.Abs(ex.Loss+math.Log(ex.Probs[ex.Label])) > 1e-9 {
			t.Errorf("%s: Σδ_last = %g, J = %g, want 0 and −log p_L = %g", arch, sum, ex.Loss, -math.Log(ex.Probs[ex.Label]))
		}
	}
}

// TestExplainMatchesTraining compares the explanation of one image with the
// training's own backward pass on a minibatch of that one image (float64),
// and its probabilities with a float32 Predictor's, on the report's network
// and on two hidden layers.
func TestExplainMatchesTraining(t *testing.T) {
	data := randomData(1, 21)
	for _, arch := range []Arch{DefaultArch(), {Hidden: []int{32, 16}, Activation: ReLU}} {
		m := testModel(t, arch, 5, 1)
		e, _ := NewExplainer(m)
		ex, err := e.Explain(data.Image(0), TopClass, int(data.Labels[0]))
		if err != nil {
			t.Fatal(err)
		}
		net, _ := NetFrom[float64](m)
		loss, _ := net.Loss(data, []int32{0})
		if math.Abs(loss-ex.Loss) > 1e-12 {
			t.Errorf("%s: loss %v, training's %v", arch, ex.Loss, loss)
		}
		for l, ly := range net.layers {
			if w, at := worstRel(ex.Layers[l].Delta, ly.db); w > 1e-6 {
				t.Errorf("%s layer %d: δ[%d] = %g, training's ∂J/∂b %g", arch, l, at, ex.Layers[l].Delta[at], ly.db[at])
			}
			if w, at := worstRel(ex.GradW(l), ly.dw); w > 1e-6 {
				t.Errorf("%s layer %d: ∂J/∂W[%d] = %g, training's %g", arch, l, at, ex.GradW(l)[at], ly.dw[at])
			}
		}
		pr, _ := NewPredictor(m)
		probs, _ := pr.PredictPixels(data.Image(0))
		for j := range probs {
			if math.Abs(probs[j]-ex.Probs[j]) > 1e-5 {
				t.Errorf("%s: p[%d] = %v, the float32 Predictor's %v", arch, j, ex.Probs[j], probs[j])
			}
		}
		if ex.Top != ArgMax(probs[:]) || ex.Class != ex.Top {
			t.Errorf("%s: top %d class %d, Predictor's top %d", arch, ex.Top, ex.Class, ArgMax(probs[:]))
		}
	}
}

func TestExplainRefusesBadInput(t *testing.T) {
	e, _ := NewExplainer(testModel(t, DefaultArch(), 1, 1))
	img := make([]uint8, InputSize)
	for _, c := range []struct {
		img          []uint8
		class, label int
		want         string
	}{
		{img[:783], TopClass, TopClass, "image has 783 pixels"},
		{img, 10, TopClass, "class 10 is not a digit"},
		{img, TopClass, -2, "label -2 is not a digit"},
	} {
		if _, err := e.Explain(c.img, c.class, c.label); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Explain(%d pixels, %d, %d): %v, want %q", len(c.img), c.class, c.label, err, c.want)
		}
	}
	bad := testModel(t, DefaultArch(), 1, 1)
	bad.Params[0] = float32(math.NaN())
	e, _ = NewExplainer(bad)
	img[0] = 255
	if _, err := e.Explain(img, TopClass, TopClass); err == nil || !strings.Contains(err.Error(), "not finite") {
		t.Errorf("NaN weights: %v, want an error that says not finite", err)
	}
}

// TestExplainerUse checks that switching models gives what a new Explainer
// gives, with the buffers kept for the same shape.
func TestExplainerUse(t *testing.T) {
	img := randomData(1, 4).Images
	a, b := testModel(t, DefaultArch(), 1, 1), testModel(t, DefaultArch(), 2, 1)
	c := testModel(t, Arch{Hidden: []int{7}, Activation: Tanh}, 3, 1)
	e, _ := NewExplainer(a)
	for _, m := range []*Model{b, c, a} {
		if err := e.Use(m); err != nil {
			t.Fatal(err)
		}
		fresh, _ := NewExplainer(m)
		got, _ := e.Explain(img, TopClass, TopClass)
		want, _ := fresh.Explain(img, TopClass, TopClass)
		if e.Model() != m || !slices.Equal(got.Probs, want.Probs) || !slices.Equal(got.Saliency, want.Saliency) {
			t.Errorf("after Use(%s): probs %v, want %v", m.Arch, got.Probs, want.Probs)
		}
	}
}

// TestExplanationJSON checks the names and lengths that `descent explain
// --json` and the page rely on.
func TestExplanationJSON(t *testing.T) {
	e, _ := NewExplainer(testModel(t, Arch{Hidden: []int{6, 4}, Activation: Sigmoid}, 1, 1))
	ex, _ := e.Explain(randomData(1, 5).Images, TopClass, TopClass)
	raw, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Probs    []float64
		Input    []int
		Saliency []float64
		Layers   []struct{ Z, A, Delta, Slope []float64 }
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Probs) != 10 || len(got.Input) != 784 || len(got.Saliency) != 784 || len(got.Layers) != 3 {
		t.Fatalf("probs %d, input %d, saliency %d, layers %d; want 10, 784, 784, 3", len(got.Probs), len(got.Input), len(got.Saliency), len(got.Layers))
	}
	for l, n := range []int{6, 4, 10} {
		lv := got.Layers[l]
		if len(lv.Z) != n || len(lv.A) != n || len(lv.Delta) != n || (l < 2) != (len(lv.Slope) == n) {
			t.Errorf("layer %d: z %d a %d delta %d slope %d, want %d each (no slope on the last)", l, len(lv.Z), len(lv.A), len(lv.Delta), len(lv.Slope), n)
		}
	}
	if got.Input[0] != int(ex.Input[0]) || float32(got.Saliency[9]) != ex.Saliency[9] {
		t.Errorf("input[0] %d saliency[9] %v, want %d %v", got.Input[0], got.Saliency[9], ex.Input[0], ex.Saliency[9])
	}
	var back Explanation
	if err := json.Unmarshal(raw, &back); err != nil || !slices.Equal(back.Input, ex.Input) {
		t.Errorf("Grey does not read back: %v", err)
	}
}

func TestGreyJSONRefusesBadLevels(t *testing.T) {
	var g Grey
	for _, in := range []string{`[0,256]`, `[-1]`, `"AAAA"`, `[1.5]`} {
		if err := json.Unmarshal([]byte(in), &g); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
	if err := json.Unmarshal([]byte(`null`), &g); err != nil || g != nil {
		t.Errorf("null: %v %v", g, err)
	}
}

func TestSignedBytes(t *testing.T) {
	s := SignedBytes([]float32{0, 2, -2, 1, -0.5}, 1, 5)
	if s.Scale != 2 || !slices.Equal(s.Pixels, []byte{128, 255, 1, 192, 96}) {
		t.Errorf("scale %v pixels %v, want 2 [128 255 1 192 96]", s.Scale, s.Pixels)
	}
	if z := SignedBytes(make([]float32, 3), 1, 3); z.Scale != 0 || !slices.Equal(z.Pixels, []byte{128, 128, 128}) {
		t.Errorf("zeros: %v", z)
	}
	// ∂J/∂W₁ has one scale: a tile's brightness says how much its unit moves.
	e, _ := NewExplainer(testModel(t, DefaultArch(), 1, 1))
	ex, _ := e.Explain(randomData(1, 6).Images, TopClass, TopClass)
	img := ex.GradWImage(0)
	if img.Rows != 100 || img.Cols != 784 || len(img.Pixels) != 78400 {
		t.Fatalf("∂J/∂W₁ image %d×%d, %d bytes", img.Rows, img.Cols, len(img.Pixels))
	}
	if sal := ex.SaliencyImage(); sal.Rows != 28 || sal.Cols != 28 || len(sal.Pixels) != 784 {
		t.Errorf("saliency image %d×%d", sal.Rows, sal.Cols)
	}
}

// FuzzGreyJSON checks that Grey's decoder never panics, accepts only levels
// 0 to 255, and reads back what its encoder writes.
func FuzzGreyJSON(f *testing.F) {
	for _, s := range []string{`[0,255,17]`, `[]`, `null`, `[256]`, `"AAAA"`, `[1e2]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var g Grey
		if json.Unmarshal(data, &g) != nil {
			return
		}
		raw, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		var back Grey
		if err := json.Unmarshal(raw, &back); err != nil || !slices.Equal(back, g) || (back == nil) != (g == nil) {
			t.Fatalf("%s → %v → %s → %v (%v)", data, g, raw, back, err)
		}
	})
}
