package mnist

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// sameBits reports the first parameter whose float32 bits differ, or −1.
func sameBits(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestLearnStepMatchesTrainer takes three steps on one example with a
// Learner and with the trainer on a minibatch of that one example, from the
// same weights, and compares every parameter bit for bit after each step.
func TestLearnStepMatchesTrainer(t *testing.T) {
	cases := []struct {
		opt   string
		hyper map[string]float64
		lr    float64
		arch  Arch
	}{
		{"sgd", nil, 0.1, DefaultArch()},
		{"gd", nil, 0.5, Arch{Hidden: []int{32, 16}, Activation: ReLU}},
		{"momentum", map[string]float64{"momentum": 0.9}, 0.05, Arch{Hidden: []int{20}, Activation: Tanh}},
		{"adam", nil, 0.001, DefaultArch()},
		{"rmsprop", map[string]float64{"centered": 1}, 0.001, DefaultArch()},
	}
	example := randomData(1, 41)
	test := randomData(50, 42)
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %s lr %g", c.opt, c.arch, c.lr), func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Arch, cfg.Optimizer, cfg.Hyper, cfg.LR, cfg.Batch, cfg.Seed = c.arch, c.opt, c.hyper, c.lr, 1, 3
			tr, err := NewTrainer(cfg, example, nil)
			if err != nil {
				t.Fatal(err)
			}
			l, err := NewLearner(tr.Snapshot(), c.opt, c.hyper, test)
			if err != nil {
				t.Fatal(err)
			}
			for k := 1; k <= 3; k++ {
				ev, ok := tr.step([]int32{0})
				res, err := l.Step(example.Image(0), int(example.Labels[0]), c.lr)
				if !ok || err != nil {
					t.Fatalf("step %d: trainer ok %v, learner %v", k, ok, err)
				}
				if i := sameBits(tr.net.Params, l.net.Params); i >= 0 {
					t.Fatalf("step %d: θ[%d] = %v, the trainer's %v", k, i, l.net.Params[i], tr.net.Params[i])
				}
				// The weights and the loss are the trainer's bit for bit; the norms
				// for the page, which the trainer's fused SGD step sums in float32
				// runs (sgdstep.go), within a few float32 roundings.
				near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Abs(b) }
				if res.LossBefore != ev.Loss || !near(res.GradNorm, ev.GradNorm) || !near(res.UpdateRatio, ev.UpdateRatio) || res.Step != k {
					t.Errorf("step %d: loss %v ‖∇J‖ %v ratio %v, the trainer's %v %v %v", k, res.LossBefore, res.GradNorm, res.UpdateRatio, ev.Loss, ev.GradNorm, ev.UpdateRatio)
				}
			}
		})
	}
}

// TestLearnReportsBeforeAndAfter checks what one step reports against the
// model before and after it, measured independently.
func TestLearnReportsBeforeAndAfter(t *testing.T) {
	m := testModel(t, DefaultArch(), 8, 1)
	test := randomData(1200, 43)
	img, label := randomData(1, 44).Image(0), 6
	l, err := NewLearner(m, "sgd", nil, test)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := l.Step(img, label, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	net0, _ := NetFrom[float32](m)
	net1, _ := NetFrom[float32](l.Model())
	for name, c := range map[string]struct {
		net          *Net[float32]
		probs        []float64
		loss, acc, j float64
	}{
		"before": {net0, r1.ProbsBefore, r1.LossBefore, r1.AccuracyBefore, r1.TestLossBefore},
		"after":  {net1, r1.ProbsAfter, r1.LossAfter, r1.AccuracyAfter, r1.TestLossAfter},
	} {
		pr := &Predictor{net: c.net}
		c.net.reserve(1)
		p, _ := pr.PredictPixels(img)
		j, acc, _ := c.net.Evaluate(test, EvalImages)
		if !slices.Equal(p[:], c.probs) || math.Abs(c.loss+math.Log(p[label])) > 1e-5 || acc != c.acc || j != c.j {
			t.Errorf("%s: probs %v loss %v accuracy %v test loss %v, want %v %v %v %v", name, c.probs, c.loss, c.acc, c.j, p, -math.Log(p[label]), acc, j)
		}
	}
	if r1.EvalImages != EvalImages || r1.ProbsAfter[label] <= r1.ProbsBefore[label] || r1.LossAfter >= r1.LossBefore {
		t.Errorf("eval images %d, p_L %v → %v, J %v → %v: want 1000 and a step toward the label",
			r1.EvalImages, r1.ProbsBefore[label], r1.ProbsAfter[label], r1.LossBefore, r1.LossAfter)
	}
	var dd float64
	for i, v := range l.net.Params {
		d := float64(v) - float64(m.Params[i])
		dd += d * d
	}
	if math.Abs(math.Sqrt(dd)-r1.DeltaNorm) > 1e-9*r1.DeltaNorm || math.Abs(r1.DeltaNorm-0.5*r1.GradNorm) > 1e-6*r1.DeltaNorm {
		t.Errorf("‖Δθ‖ = %v, measured %v, α‖∇J‖ = %v", r1.DeltaNorm, math.Sqrt(dd), 0.5*r1.GradNorm)
	}
	r2, _ := l.Step(img, label, 0.5)
	if r2.Step != 2 || r2.AccuracyBefore != r1.AccuracyAfter || !slices.Equal(r2.ProbsBefore, r1.ProbsAfter) {
		t.Errorf("step 2 starts from accuracy %v probs %v, step 1 ended at %v %v", r2.AccuracyBefore, r2.ProbsBefore, r1.AccuracyAfter, r1.ProbsAfter)
	}
}

// TestLearnResetAndOriginal checks that the original model never changes,
// that Reset goes back to it with a fresh optimizer (Adam's moments and step
// count), and that the copy saves as a model.
func TestLearnResetAndOriginal(t *testing.T) {
	m := testModel(t, Arch{Hidden: []int{30}, Activation: Sigmoid}, 9, 1)
	m.Meta = ModelMeta{Optimizer: "sgd", LR: 0.1, Epochs: 3, TestAccuracy: 0.9}
	orig := slices.Clone(m.Params)
	img := randomData(1, 45).Image(0)
	l, _ := NewLearner(m, "adam", nil, randomData(20, 46))
	first, _ := l.Step(img, 2, 0.01)
	l.Step(img, 2, 0.01)
	l.Step(img, 5, 0.01)
	if sameBits(orig, m.Params) >= 0 || l.Original() != m {
		t.Fatal("learning changed the original model")
	}
	l.Reset()
	if l.Steps() != 0 || sameBits(l.net.Params, orig) >= 0 {
		t.Fatalf("after Reset: %d steps, weights differ from the original", l.Steps())
	}
	again, _ := l.Step(img, 2, 0.01)
	if again.Step != 1 || again.DeltaNorm != first.DeltaNorm || !slices.Equal(again.ProbsAfter, first.ProbsAfter) || again.AccuracyBefore != first.AccuracyBefore {
		t.Errorf("the first step after Reset differs from the first step: ‖Δθ‖ %v vs %v", again.DeltaNorm, first.DeltaNorm)
	}
	var buf bytes.Buffer
	if _, err := l.Model().WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	saved, err := ParseModel(buf.Bytes())
	if err != nil || sameBits(saved.Params, l.net.Params) >= 0 || saved.Meta.Optimizer != "sgd" || saved.Meta.TestAccuracy != 0 {
		t.Errorf("saved copy: %v, meta %+v; want the copy's weights, the original's meta without its accuracy", err, saved.Meta)
	}
	kept := l.Model()
	held := slices.Clone(kept.Params)
	if l.Model() != kept {
		t.Error("Model made a second copy without a step between")
	}
	l.Step(img, 2, 0.01)
	if l.Model() == kept || sameBits(kept.Params, held) >= 0 {
		t.Error("a step changed a Model already handed out, or Model did not follow the step")
	}
}

func TestLearnRefusesBadInput(t *testing.T) {
	m := testModel(t, DefaultArch(), 1, 1)
	for _, c := range []struct {
		opt   string
		hyper map[string]float64
		want  string
	}{
		{"newton", nil, "newton"},
		{"lbfgs", nil, "lbfgs"},
		{"adam", map[string]float64{"beta1": 2}, "beta1"},
	} {
		if _, err := NewLearner(m, c.opt, c.hyper, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewLearner(%s, %v): %v, want %q", c.opt, c.hyper, err, c.want)
		}
	}
	l, _ := NewLearner(m, "sgd", nil, nil)
	img := make([]uint8, InputSize)
	for _, c := range []struct {
		img   []uint8
		label int
		lr    float64
		want  string
	}{
		{img[:5], 1, 0.1, "image has 5 pixels"},
		{img, TopClass, 0.1, "label -1 is not a digit"},
		{img, 10, 0.1, "label 10"},
		{img, 1, 0, "lr = 0 is out of range"},
		{img, 1, math.NaN(), "lr = NaN"},
		{img, 1, 1e4, "lr = 10000"},
	} {
		if _, err := l.Step(c.img, c.label, c.lr); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Step(%d pixels, %d, %g): %v, want %q", len(c.img), c.label, c.lr, err, c.want)
		}
	}
	if l.Steps() != 0 {
		t.Errorf("refused steps counted: %d", l.Steps())
	}
}

// TestLearnBlownUpNeedsReset checks that a step to non-finite weights is
// refused from then on until Reset, and reports no numbers JSON cannot hold.
func TestLearnBlownUpNeedsReset(t *testing.T) {
	m := testModel(t, Arch{Hidden: []int{4}, Activation: ReLU}, 1, 1e37)
	img := slices.Repeat([]uint8{255}, InputSize)
	l, _ := NewLearner(m, "sgd", nil, nil)
	if _, err := l.Step(img, 1, 100); err == nil || !strings.Contains(err.Error(), "Reset") {
		t.Fatalf("blown-up step: %v, want an error that says Reset", err)
	}
	if _, err := l.Step(img, 1, 0.001); err == nil {
		t.Error("a step after the weights blew up was taken")
	}
	l.Reset()
	if l.broken != nil || l.Steps() != 0 || sameBits(l.net.Params, m.Params) >= 0 {
		t.Errorf("Reset left %v, %d steps", l.broken, l.Steps())
	}
}
