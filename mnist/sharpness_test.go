package mnist

import (
	"context"
	"math"
	"strings"
	"testing"

	"descent/optim"
	"descent/optim/spectrum"
)

// sharpConfig is a small run that measures its sharpness every 3 steps on
// 100 images.
func sharpConfig(optimizer string, hyper map[string]float64, lr float64) Config {
	c := DefaultConfig()
	c.Arch.Hidden = []int{20}
	c.Optimizer, c.Hyper, c.LR = optimizer, hyper, lr
	c.Batch, c.Epochs = 30, 1
	c.SharpnessEvery, c.SharpnessExamples = 3, 100
	return c
}

// exactSharpness is λmax of D(H + λI)D (D = P^(−½), or I when p is nil) at
// the model's weights on the first n images, with float64 products and a
// tight tolerance.
func exactSharpness(t *testing.T, m *Model, d *Dataset, n int, p []float64, wd float64) float64 {
	t.Helper()
	h, err := NewHessian[float64](m.Arch, d, n)
	if err != nil {
		t.Fatal(err)
	}
	theta := make([]float64, len(m.Params))
	for i, v := range m.Params {
		theta[i] = float64(v)
	}
	h.SetParams(theta)
	dv := make([]float64, h.Dim())
	op := func(dst, v []float64) {
		for i, x := range v {
			dv[i] = x
			if p != nil {
				dv[i] = x / math.Sqrt(p[i])
			}
		}
		h.Apply(dst, dv)
		for i := range dst {
			dst[i] += wd * dv[i]
			if p != nil {
				dst[i] /= math.Sqrt(p[i])
			}
		}
	}
	e, err := spectrum.Lanczos(context.Background(), op, h.Dim(), spectrum.LanczosOptions{K: 1, Tol: 1e-9, Seed: 7})
	if err != nil || !e.Converged {
		t.Fatalf("exact λmax: %v, converged %v", err, e.Converged)
	}
	return e.Values[0]
}

// TestSharpnessEveryK runs each kind of method with SharpnessEvery = 3 and
// checks that steps 3, 6 and 9 (and only they) carry the sharpness at their
// starting weights, which the float64 products confirm, and the threshold
// of their α.
func TestSharpnessEveryK(t *testing.T) {
	data := sparseData(300, 8)
	cases := []struct {
		name     string
		opt      string
		hyper    map[string]float64
		factor   float64 // threshold·α; 0 for none
		schedule optim.Schedule
	}{
		{"gd", "sgd", nil, 2, optim.Schedule{}},
		{"gd with a step schedule", "sgd", nil, 2, optim.Schedule{Kind: "step", StepSize: 4, Gamma: 0.5}},
		{"momentum", "sgd", map[string]float64{"momentum": 0.9}, 3.8, optim.Schedule{}},
		{"nesterov with weight decay", "nesterov", map[string]float64{"momentum": 0.5, "weightDecay": 0.01}, 3.0 / 2, optim.Schedule{}},
		{"adam", "adam", nil, 38, optim.Schedule{}},
		{"rmsprop", "rmsprop", nil, 0, optim.Schedule{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := sharpConfig(c.opt, c.hyper, 0.05)
			cfg.Schedule = c.schedule
			tr, err := NewTrainer(cfg, data, nil)
			if err != nil {
				t.Fatal(err)
			}
			before := map[int]*Model{}     // the weights each step starts from
			precond := map[int][]float64{} // Adam's P before each step
			stab, _ := optim.StabilityOf(tr.opt)
			var events []StepEvent
			hook := func(ev StepEvent) {
				events = append(events, ev)
				before[ev.Step+1] = tr.CurrentModel()
				if stab.Preconditioned {
					p := make([]float64, len(tr.net.Params))
					tr.opt.(optim.Preconditioner).Preconditioner(p)
					precond[ev.Step+1] = p
				}
			}
			before[1] = tr.CurrentModel()
			if _, err := tr.Run(context.Background(), Hooks{Step: hook}); err != nil {
				t.Fatal(err)
			}
			if len(events) != 10 {
				t.Fatalf("%d steps, want 10", len(events))
			}
			for _, ev := range events {
				if ev.Step%3 != 0 {
					if ev.Sharpness != 0 || ev.Threshold != 0 {
						t.Errorf("step %d: sharpness %v, threshold %v; want none", ev.Step, ev.Sharpness, ev.Threshold)
					}
					continue
				}
				if math.Abs(ev.Threshold*ev.LR-c.factor) > 1e-12 {
					t.Errorf("step %d: threshold %v at α = %v, want %v/α", ev.Step, ev.Threshold, ev.LR, c.factor)
				}
				want := exactSharpness(t, before[ev.Step], data, 100, precond[ev.Step], stab.WeightDecay)
				if math.Abs(ev.Sharpness-want) > 1e-4*want {
					t.Errorf("step %d: sharpness %.8g, want %.8g (float64 products)", ev.Step, ev.Sharpness, want)
				}
			}
		})
	}
}

func TestTrainExamples(t *testing.T) {
	data := randomData(300, 2)
	c := smallConfig()
	c.TrainExamples, c.Batch, c.Epochs = 100, 100, 3
	tr, err := NewTrainer(c, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tr.StepsPerEpoch() != 1 || tr.TotalSteps() != 3 {
		t.Errorf("%d steps an epoch, %d in all; want full-batch GD: 1 and 3", tr.StepsPerEpoch(), tr.TotalSteps())
	}
	// The loss of the one full batch is the loss of the first 100 images.
	net, _ := NewNet[float32](c.Arch, c.Seed)
	want, _ := net.Loss(data, seq(100))
	var first float64
	tr.Run(context.Background(), Hooks{Step: func(ev StepEvent) {
		if ev.Step == 1 {
			first = ev.Loss
		}
	}})
	if math.Abs(first-want) > 1e-6 {
		t.Errorf("first loss %v, want the first 100 images' %v", first, want)
	}
}

func TestSharpnessConfigErrors(t *testing.T) {
	data := randomData(50, 2)
	for _, c := range []struct {
		change func(*Config)
		want   string
	}{
		{func(c *Config) { c.TrainExamples = 51 }, "trainExamples = 51, but there are 50"},
		{func(c *Config) { c.TrainExamples = -1 }, "trainExamples = -1 is out of range"},
		{func(c *Config) { c.SharpnessEvery = -2 }, "sharpnessEvery = -2 is negative"},
		{func(c *Config) { c.SharpnessEvery, c.SharpnessExamples = 1, 60001 }, "sharpnessExamples = 60001 is out of range"},
		{func(c *Config) { c.TrainExamples, c.SharpnessEvery, c.SharpnessExamples = 20, 1, 30 }, "sharpnessExamples = 30, but the run trains on 20"},
	} {
		cfg := smallConfig()
		c.change(&cfg)
		_, err := NewTrainer(cfg, data, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
}
