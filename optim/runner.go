package optim

import (
	"fmt"
	"math"
)

// Status is where a trajectory stands.
type Status int

const (
	// Running: the trajectory has more steps to take.
	Running Status = iota
	// Converged: ‖∇J‖ < Tol (Reason gives the value and what H says there).
	Converged
	// Diverged: a value became non-finite, or the point left the domain by
	// more than EscapeFactor domain widths (Reason says which, and Step when).
	Diverged
	// StepLimit: Steps steps were taken without convergence.
	StepLimit
	// Failed: the method could not take a step (a singular Hessian for pure
	// Newton, a line search that found no acceptable step); see Reason.
	Failed
)

var statusNames = [...]string{"running", "converged", "diverged", "stepLimit", "failed"}

// String returns "running", "converged", "diverged", "stepLimit" or "failed".
func (s Status) String() string { return statusNames[s] }

// MarshalText writes the status as its String, for JSON.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// EscapeFactor is how many domain widths away from the display domain a point
// may go before its trajectory is declared diverged.
const EscapeFactor = 1e3

// Iterate is one point of a trajectory: w after Step steps, J(w), ∇J(w), the
// step Δw that led to it, and what the method knew when it took that step.
// A diverged iterate keeps the last finite point (X, F, Grad), so that it
// always encodes as JSON; Step is then the step that diverged.
type Iterate struct {
	// Trajectory is the index of the Config in NewRunner's list.
	Trajectory int `json:"trajectory"`
	// Step is k, the number of iterations taken (0 at the start).
	Step int `json:"step"`
	// X is the point wₖ, F is J(wₖ) and Grad is ∇J(wₖ).
	X    [2]float64 `json:"x"`
	F    float64    `json:"f"`
	Grad [2]float64 `json:"grad"`
	// Delta is the step Δw = wₖ − wₖ₋₁ that led here.
	Delta [2]float64 `json:"delta"`
	// LR is the learning rate αₜ that the schedule set for this step.
	LR float64 `json:"lr,omitempty"`
	// Internals are the first-order method's state after the step ("m", "v", "buf", …).
	Internals map[string][2]float64 `json:"internals,omitempty"`
	// Hessian (hxx, hxy, hyy), its eigenvalues and its Curvature, at the
	// point the Newton step started from; Lambda is the damping λ.
	Hessian   *[3]float64 `json:"hessian,omitempty"`
	Eigen     *[2]float64 `json:"eigen,omitempty"`
	Curvature *Curvature  `json:"curvature,omitempty"`
	Lambda    float64     `json:"lambda,omitempty"`
	// FEvals, GEvals and HEvals count, cumulatively from the start, the
	// evaluations of J, ∇J and H that the method needed. First-order methods
	// need only ∇J, one per step; J is computed at every iterate for display
	// but not counted. Line searches count every trial point.
	FEvals int    `json:"fEvals"`
	GEvals int    `json:"gEvals"`
	HEvals int    `json:"hEvals"`
	Status Status `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// Config is one optimizer of a run: a registered method name, its
// hyperparameters (as for New) and a learning-rate schedule.
type Config struct {
	// Method is a registry name, such as "adam" or "bfgs".
	Method string `json:"method"`
	// Params are its hyperparameters by name; missing ones take the defaults.
	Params map[string]float64 `json:"params,omitempty"`
	// Schedule sets αₜ from Params["lr"] at every step (first-order methods).
	Schedule Schedule `json:"schedule"`
}

// Runner moves one or more optimizers from the same start on a Function in
// lockstep: each call of Step advances every running trajectory by one
// iteration (one update for first-order methods and Newton, one line search
// for CG, BFGS and Newton with line search), so that a caller can pause,
// single-step or stream in batches.
type Runner struct {
	fn    Function
	steps int
	tol   float64
	trajs []*trajectory
}

// NewRunner validates configs and returns a Runner at start. steps is the
// step limit; the run converges when ‖∇J‖ < tol (tol ≤ 0 never converges).
func NewRunner(fn Function, start [2]float64, configs []Config, steps int, tol float64) (*Runner, error) {
	if !isFinite2(start) {
		return nil, fmt.Errorf("optim: start (%g, %g) is not finite", start[0], start[1])
	}
	if steps < 0 {
		return nil, fmt.Errorf("optim: steps = %d must be ≥ 0", steps)
	}
	r := &Runner{fn: fn, steps: steps, tol: tol}
	for i, c := range configs {
		t, err := newTrajectory(fn, start, c)
		if err != nil {
			return nil, err
		}
		t.cur.Trajectory = i
		r.trajs = append(r.trajs, t)
	}
	return r, nil
}

// Initial returns the start of every trajectory (Step 0). Its status is
// Converged if the start already satisfies ‖∇J‖ < tol, Diverged if J or ∇J
// is not finite there.
func (r *Runner) Initial() []Iterate {
	its := make([]Iterate, len(r.trajs))
	for i, t := range r.trajs {
		r.judge(t, &t.cur)
		its[i] = t.cur
	}
	return its
}

// Step advances every running trajectory by one iteration and returns their
// new iterates (finished trajectories are left out; the last iterate of each
// carries its final Status).
func (r *Runner) Step() []Iterate {
	var its []Iterate
	for _, t := range r.trajs {
		if t.cur.Status != Running {
			continue
		}
		its = append(its, r.advance(t))
	}
	return its
}

// Done reports whether every trajectory has finished.
func (r *Runner) Done() bool {
	for _, t := range r.trajs {
		if t.cur.Status == Running {
			return false
		}
	}
	return true
}

// Run calls Initial, then Step until Done, handing every iterate to visit.
func (r *Runner) Run(visit func(Iterate)) {
	for _, it := range r.Initial() {
		visit(it)
	}
	for !r.Done() {
		for _, it := range r.Step() {
			visit(it)
		}
	}
}

// advance takes one step of t and judges the result.
func (r *Runner) advance(t *trajectory) Iterate {
	prev := t.cur
	it := Iterate{Trajectory: prev.Trajectory, Step: prev.Step + 1, X: prev.X, F: prev.F, Grad: prev.Grad}
	err := t.walker.step(&t.surface, &it)
	it.FEvals, it.GEvals, it.HEvals = t.surface.fe, t.surface.ge, t.surface.he
	switch {
	case err != nil:
		it.X, it.F, it.Grad, it.Delta = prev.X, prev.F, prev.Grad, [2]float64{}
		it.Status, it.Reason = Failed, fmt.Sprintf("step %d: %v", it.Step, err)
	default:
		it.Delta = [2]float64{it.X[0] - prev.X[0], it.X[1] - prev.X[1]}
		r.judge(t, &it)
		if !isFinite2(it.X) || !isFinite(it.F) || !isFinite2(it.Grad) {
			it.X, it.F, it.Grad, it.Delta = prev.X, prev.F, prev.Grad, [2]float64{}
		}
	}
	t.cur = it
	return it
}

// judge sets the status of it after it.Step steps.
func (r *Runner) judge(t *trajectory, it *Iterate) {
	it.Status = Running
	d := r.fn.Domain
	switch {
	case !isFinite2(it.X) || !isFinite(it.F) || !isFinite2(it.Grad):
		it.Status = Diverged
		it.Reason = fmt.Sprintf("diverged at step %d: not finite (x = (%g, %g), J = %g, ∇J = (%g, %g))",
			it.Step, it.X[0], it.X[1], it.F, it.Grad[0], it.Grad[1])
	case outside(it.X[0], d[0], d[1]) || outside(it.X[1], d[2], d[3]):
		it.Status = Diverged
		it.Reason = fmt.Sprintf("diverged at step %d: (%g, %g) is more than %g domain widths outside the domain",
			it.Step, it.X[0], it.X[1], EscapeFactor)
	case math.Hypot(it.Grad[0], it.Grad[1]) < r.tol:
		it.Status = Converged
		it.Reason = r.convergedReason(it)
	case it.Step >= r.steps:
		it.Status = StepLimit
		it.Reason = fmt.Sprintf("step limit: %d steps, ‖∇J‖ = %.3g", it.Step, math.Hypot(it.Grad[0], it.Grad[1]))
	}
}

// convergedReason gives the criterion and what the Hessian says about the point.
func (r *Runner) convergedReason(it *Iterate) string {
	s := fmt.Sprintf("converged at step %d: ‖∇J‖ = %.3g < tol %g", it.Step, math.Hypot(it.Grad[0], it.Grad[1]), r.tol)
	if r.fn.Hess == nil {
		return s
	}
	hxx, hxy, hyy := r.fn.Hess(it.X[0], it.X[1])
	h := [3]float64{hxx, hxy, hyy}
	e := eigen2(h)
	switch classify(e, h) {
	case Indefinite:
		if e[1] > 0 {
			return s + "; H is not positive definite there: a saddle point, not a minimum"
		}
		return s + "; H is negative definite there: a maximum, not a minimum"
	case Singular:
		return s + "; H is singular there: a degenerate critical point"
	}
	return s + "; H is positive definite there: a minimum"
}

func outside(v, lo, hi float64) bool {
	w := hi - lo
	return v < lo-EscapeFactor*w || v > hi+EscapeFactor*w
}

func isFinite(v float64) bool     { return !math.IsNaN(v) && !math.IsInf(v, 0) }
func isFinite2(v [2]float64) bool { return isFinite(v[0]) && isFinite(v[1]) }
