package optim

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

// convergenceCases: where each method must converge, and where it must not.
var convergenceCases = []struct {
	method string
	hp     map[string]float64
	fn     Function
	start  [2]float64
	steps  int
	want   Status
	near   [2]float64 // the point it must end near, if converged
}{
	{"gd", map[string]float64{"lr": 0.07}, Quadratic(25, 0), [2]float64{-4, 1.5}, 500, Converged, [2]float64{0, 0}},
	{"gd", map[string]float64{"lr": 0.081}, Quadratic(25, 0), [2]float64{-4, 1.5}, 500, Diverged, [2]float64{}}, // α > 2/κ
	{"momentum", map[string]float64{"lr": 0.01}, Quadratic(25, 30), [2]float64{-4, 1.5}, 1000, Converged, [2]float64{0, 0}},
	{"nesterov", map[string]float64{"lr": 0.01}, booth, [2]float64{-8, -8}, 1000, Converged, [2]float64{1, 3}},
	{"adam", map[string]float64{"lr": 0.05}, himmelblau, [2]float64{0, 0}, 2000, Converged, [2]float64{3, 2}},
	{"rmsprop", map[string]float64{"lr": 0.01}, Quadratic(25, 0), [2]float64{-4, 1.5}, 2000, Converged, [2]float64{0, 0}},
	{"rmsprop", map[string]float64{"lr": 0.01}, rosenbrock, [2]float64{-1.5, 2}, 500, StepLimit, [2]float64{}}, // far from (1, 1) yet
	{"adagrad", map[string]float64{"lr": 0.5}, Quadratic(25, 0), [2]float64{-4, 1.5}, 3000, Converged, [2]float64{0, 0}},
	{"gd", map[string]float64{"lr": 0.001}, rastrigin, [2]float64{3.2, -2.1}, 500, Converged, [2]float64{2.985, -1.990}}, // a local minimum
	{"newton", nil, Quadratic(1000, 20), [2]float64{-4, 1.5}, 5, Converged, [2]float64{0, 0}},
	{"newton", nil, rosenbrock, [2]float64{-1.5, 2}, 20, Converged, [2]float64{1, 1}},
	{"newton", nil, saddle, [2]float64{-1.5, 0.05}, 5, Converged, [2]float64{0, 0}}, // the saddle, not a minimum
	{"newton-damped", nil, saddle, [2]float64{-1.5, 0.05}, 100, Diverged, [2]float64{}},
	{"newton-ls", nil, himmelblau, [2]float64{-0.27, -0.9}, 50, Converged, [2]float64{3.5844283403304917, -1.8481265269644034}},
	{"cg", map[string]float64{"fletcherReeves": 1}, rosenbrock, [2]float64{-1.2, 1}, 500, Converged, [2]float64{1, 1}},
	{"bfgs", nil, beale, [2]float64{1, 1}, 200, Converged, [2]float64{3, 0.5}},
	{"bfgs", nil, goldsteinPrice, [2]float64{-0.5, 1.5}, 200, Converged, [2]float64{0, -1}},
}

func TestConvergence(t *testing.T) {
	for _, c := range convergenceCases {
		label := fmt.Sprintf("%s %v on %s from (%g, %g)", c.method, c.hp, c.fn.Title, c.start[0], c.start[1])
		t.Run(label, func(t *testing.T) {
			last := runToEnd(t, c.fn, c.start, Config{Method: c.method, Params: c.hp}, c.steps, 1e-6)
			if last.Status != c.want {
				t.Fatalf("%s: %v at step %d (%s), want %v", label, last.Status, last.Step, last.Reason, c.want)
			}
			if c.want == Converged && math.Hypot(last.X[0]-c.near[0], last.X[1]-c.near[1]) > 1e-3 {
				t.Errorf("%s: x[%d] = %v, want near %v", label, last.Step, last.X, c.near)
			}
		})
	}
}

// TestNewtonSaddle: pure Newton on x² − y² jumps straight onto the saddle
// (0, 0), saying that H is not positive definite.
func TestNewtonSaddle(t *testing.T) {
	r, _ := NewRunner(saddle, [2]float64{-1.5, 0.05}, []Config{{Method: "newton"}}, 10, 1e-8)
	r.Initial()
	it := r.Step()[0]
	if it.X != [2]float64{0, 0} || it.Status != Converged {
		t.Fatalf("newton on Saddle from (-1.5, 0.05): x[1] = %v (%v), want (0, 0), converged", it.X, it.Status)
	}
	if it.Curvature == nil || it.Curvature.String() != "not positive definite" {
		t.Errorf("newton on Saddle: curvature %v, want not positive definite", it.Curvature)
	}
	if !strings.Contains(it.Reason, "saddle point") {
		t.Errorf("newton on Saddle: reason %q does not call (0, 0) a saddle point", it.Reason)
	}
}

// TestNewtonSingular: pure Newton stops on a singular H and says so; the
// damped variant carries on and reports λ.
func TestNewtonSingular(t *testing.T) {
	flat := Function{Name: "flat", F: func(x, y float64) float64 { return x * x },
		Grad:   func(x, y float64) (float64, float64) { return 2 * x, 0.5 },
		Hess:   func(x, y float64) (float64, float64, float64) { return 2, 0, 0 },
		Domain: [4]float64{-1, 1, -1, 1}}
	r, _ := NewRunner(flat, [2]float64{0.5, 0}, []Config{{Method: "newton"}, {Method: "newton-damped"}}, 3, 1e-8)
	r.Initial()
	its := r.Step()
	if its[0].Status != Failed || !strings.Contains(its[0].Reason, "singular") {
		t.Errorf("newton with singular H: %v (%s), want failed, singular", its[0].Status, its[0].Reason)
	}
	if its[1].Status != Running || its[1].Lambda != 1 {
		t.Errorf("newton-damped with singular H: %v, λ = %g, want running with λ = 1", its[1].Status, its[1].Lambda)
	}
}

// TestLockstep: several optimizers advance together, one iterate each per
// Step, and finished ones drop out.
func TestLockstep(t *testing.T) {
	cfgs := []Config{{Method: "gd", Params: map[string]float64{"lr": 0.001}}, {Method: "adam"}, {Method: "bfgs"}}
	r, err := NewRunner(rosenbrock, [2]float64{-1.5, 2}, cfgs, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Initial()); n != 3 {
		t.Fatalf("Initial: %d iterates, want 3", n)
	}
	for k := 1; k <= 3; k++ {
		its := r.Step()
		for i, it := range its {
			if it.Step != k || it.Trajectory != i {
				t.Errorf("step %d: iterate %d is (trajectory %d, step %d)", k, i, it.Trajectory, it.Step)
			}
		}
	}
	if !r.Done() || len(r.Step()) != 0 {
		t.Error("after the step limit the runner is not done")
	}
}

// TestDivergence: SGD with momentum at α = 0.01 on Beale from (1, 1.5) blows
// up (as in PyTorch), and the diverged iterate stays finite.
func TestDivergence(t *testing.T) {
	last := runToEnd(t, beale, [2]float64{1, 1.5}, Config{Method: "momentum", Params: map[string]float64{"lr": 0.01}}, 500, 0)
	if last.Status != Diverged || !isFinite2(last.X) || !isFinite(last.F) {
		t.Errorf("momentum on Beale from (1, 1.5): %v at step %d, x = %v, want diverged with a finite last point", last.Status, last.Step, last.X)
	}
}

func TestSchedule(t *testing.T) {
	for _, c := range []struct {
		s    Schedule
		t    int
		want float64
	}{
		{Schedule{}, 7, 0.1},
		{Schedule{Kind: "step", StepSize: 10}, 25, 0.1 * 0.1 * 0.1},
		{Schedule{Kind: "exponential", Gamma: 0.5}, 3, 0.1 * 0.125},
		{Schedule{Kind: "cosine", TMax: 100}, 50, 0.05},
		{Schedule{Kind: "cosine", TMax: 100, EtaMin: 0.01}, 100, 0.01},
		{Schedule{Kind: "warmup"}, 0, 0.1 / 3},
		{Schedule{Kind: "warmup", WarmupSteps: 4, StartFactor: 0.5}, 2, 0.075},
		{Schedule{Kind: "warmup", WarmupSteps: 4, StartFactor: 0.5}, 40, 0.1},
	} {
		if err := c.s.Validate(); err != nil {
			t.Fatal(err)
		}
		if got := c.s.LR(0.1, c.t); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("%+v: LR(0.1, %d) = %.17g, want %.17g (torch)", c.s, c.t, got, c.want)
		}
	}
	for _, bad := range []Schedule{{Kind: "linear"}, {Kind: "step"}, {Kind: "cosine"}, {Kind: "exponential", Gamma: -1}} {
		if bad.Validate() == nil {
			t.Errorf("%+v: Validate accepted it", bad)
		}
	}
}

func TestNewErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		hp   map[string]float64
		want string
	}{
		{"adam", map[string]float64{"beta1": 1.5}, "optim: adam: beta1 = 1.5 is out of range [0, 1)"},
		{"adam", map[string]float64{"beta1": 1}, "optim: adam: beta1 = 1 is out of range [0, 1)"},
		{"sgd", map[string]float64{"lr": -0.1}, "optim: sgd: lr = -0.1 is out of range [0, 10]"},
		{"sgd", map[string]float64{"lr": math.NaN()}, "optim: sgd: lr = NaN is out of range [0, 10]"},
		{"sgd", map[string]float64{"lr": math.Inf(1)}, "optim: sgd: lr = +Inf is out of range [0, 10]"},
		{"sgd", map[string]float64{"nesterov": 1}, "optim: sgd: nesterov needs momentum > 0"},
		{"adam", map[string]float64{"amsgrad": 0.5}, "optim: adam: amsgrad = 0.5 must be 0 or 1"},
		{"adam", map[string]float64{"momentum": 0.9}, `optim: adam: unknown hyperparameter "momentum"`},
		{"lbfgs", nil, `optim: unknown optimizer "lbfgs"`},
		{"newton", nil, "optim: newton works on the 2-D surfaces only"},
		{"bfgs", nil, "79,510²"},
		{"cg", nil, "line search"},
	} {
		_, err := New[float32](c.name, c.hp)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%q, %v) = %v, want an error containing %q", c.name, c.hp, err, c.want)
		}
	}
	if _, err := New[float32]("newton", nil); !errors.Is(err, ErrNeedsSurface) {
		t.Errorf("New(newton) = %v, want ErrNeedsSurface", err)
	}
	for _, s := range Specs() {
		if _, err := New[float64](s.Name, nil); (err == nil) != s.Network {
			t.Errorf("New(%q) with defaults: %v, network = %v", s.Name, err, s.Network)
		}
	}
}
