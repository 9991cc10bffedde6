package optim

import (
	"fmt"
	"math"
)

// Schedule sets the learning rate αₜ of each step from the base rate α, in
// the closed forms of torch.optim.lr_scheduler. t counts the scheduler steps
// taken so far, 0 for the first: the runner passes the step index (one
// scheduler step per optimizer step); a training loop may pass the epoch
// instead, as torch users usually do.
//
//	"constant" (or ""): αₜ = α
//	"step":        αₜ = α·γ^⌊t/StepSize⌋                 (StepLR)
//	"exponential": αₜ = α·γᵗ                             (ExponentialLR)
//	"cosine":      αₜ = η + (α − η)(1 + cos(πt/TMax))/2  (CosineAnnealingLR, η = EtaMin)
//	"warmup":      αₜ = α·(f + (1 − f)·min(t, W)/W)      (LinearLR, f = StartFactor, W = WarmupSteps)
type Schedule struct {
	// Kind is "constant", "step", "exponential", "cosine" or "warmup".
	Kind string `json:"kind"`
	// StepSize is the period of "step" decay, in scheduler steps.
	StepSize int `json:"stepSize,omitempty"`
	// Gamma is the decay factor γ of "step" (if 0, torch's default 0.1) and
	// of "exponential" (required).
	Gamma float64 `json:"gamma,omitempty"`
	// TMax is the half period of "cosine", in scheduler steps.
	TMax int `json:"tMax,omitempty"`
	// EtaMin is the smallest rate η of "cosine"; default 0.
	EtaMin float64 `json:"etaMin,omitempty"`
	// WarmupSteps is the length W of "warmup"; if 0, torch's default 5.
	WarmupSteps int `json:"warmupSteps,omitempty"`
	// StartFactor is the factor f of α at t = 0 in "warmup"; if 0, torch's
	// default 1/3.
	StartFactor float64 `json:"startFactor,omitempty"`
}

// LR returns αₜ for base rate α = base after t scheduler steps.
func (s Schedule) LR(base float64, t int) float64 {
	switch s.Kind {
	case "step":
		return base * math.Pow(s.gamma(), float64(t/s.StepSize))
	case "exponential":
		return base * math.Pow(s.Gamma, float64(t))
	case "cosine":
		return s.EtaMin + (base-s.EtaMin)*(1+math.Cos(math.Pi*float64(t)/float64(s.TMax)))/2
	case "warmup":
		w, f := s.warmup()
		return base * (f + (1-f)*float64(min(t, w))/float64(w))
	}
	return base
}

func (s Schedule) gamma() float64 {
	if s.Gamma == 0 {
		return 0.1
	}
	return s.Gamma
}

func (s Schedule) warmup() (steps int, factor float64) {
	steps, factor = s.WarmupSteps, s.StartFactor
	if steps == 0 {
		steps = 5
	}
	if factor == 0 {
		factor = 1.0 / 3
	}
	return steps, factor
}

// Validate reports an unknown Kind or a field out of its range.
func (s Schedule) Validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("optim: schedule %s: %s = %v, want %s", s.Kind, field, v, want)
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch s.Kind {
	case "", "constant":
	case "step":
		if s.StepSize < 1 {
			return bad("stepSize", s.StepSize, "an integer ≥ 1")
		}
		if !finite(s.Gamma) || s.Gamma < 0 {
			return bad("gamma", s.Gamma, "γ in (0, ∞) (0 means torch's 0.1)")
		}
	case "exponential":
		if !finite(s.Gamma) || s.Gamma <= 0 {
			return bad("gamma", s.Gamma, "γ in (0, ∞)")
		}
	case "cosine":
		if s.TMax < 1 {
			return bad("tMax", s.TMax, "an integer ≥ 1")
		}
		if !finite(s.EtaMin) || s.EtaMin < 0 {
			return bad("etaMin", s.EtaMin, "η in [0, ∞)")
		}
	case "warmup":
		if s.WarmupSteps < 0 {
			return bad("warmupSteps", s.WarmupSteps, "an integer ≥ 1 (0 means torch's 5)")
		}
		if !finite(s.StartFactor) || s.StartFactor < 0 || s.StartFactor > 1 {
			return bad("startFactor", s.StartFactor, "f in (0, 1] (0 means torch's 1/3)")
		}
	default:
		return fmt.Errorf("optim: unknown schedule %q; known: constant, step, exponential, cosine, warmup", s.Kind)
	}
	return nil
}

// ScheduleSpec describes a schedule kind for the page.
type ScheduleSpec struct {
	// Kind is the Schedule.Kind, such as "cosine".
	Kind string `json:"kind"`
	// Title names the schedule and torch's class.
	Title string `json:"title"`
	// Formula is αₜ in the report's notation.
	Formula string `json:"formula"`
	// Params are the Schedule fields it uses, by their JSON names.
	Params []Param `json:"params"`
}

// ScheduleSpecs lists the schedule kinds with their fields, defaults and ranges.
func ScheduleSpecs() []ScheduleSpec {
	return []ScheduleSpec{
		{Kind: "constant", Title: "Constant", Formula: "αₜ = α"},
		{Kind: "step", Title: "Step decay (StepLR)", Formula: "αₜ = α·γ^⌊t/s⌋", Params: []Param{
			{Name: "stepSize", Default: 100, Min: 1, Max: 1e6, Doc: "period s, in steps"},
			{Name: "gamma", Default: 0.1, Min: 0, Max: 1, MinOpen: true, Doc: "factor γ per period"}}},
		{Kind: "exponential", Title: "Exponential (ExponentialLR)", Formula: "αₜ = α·γᵗ", Params: []Param{
			{Name: "gamma", Default: 0.99, Min: 0, Max: 1, MinOpen: true, Doc: "factor γ per step"}}},
		{Kind: "cosine", Title: "Cosine annealing (CosineAnnealingLR)", Formula: "αₜ = η + (α − η)(1 + cos(πt/T))/2", Params: []Param{
			{Name: "tMax", Default: 500, Min: 1, Max: 1e6, Doc: "half period T, in steps"},
			{Name: "etaMin", Default: 0, Min: 0, Max: 10, Doc: "smallest rate η"}}},
		{Kind: "warmup", Title: "Linear warm-up (LinearLR)", Formula: "αₜ = α·(f + (1 − f)·min(t, W)/W)", Params: []Param{
			{Name: "warmupSteps", Default: 5, Min: 1, Max: 1e6, Doc: "length W, in steps"},
			{Name: "startFactor", Default: 1.0 / 3, Min: 0, Max: 1, MinOpen: true, Doc: "factor f at t = 0"}}},
	}
}
