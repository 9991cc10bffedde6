package server

import (
	"fmt"
	"math"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// The limits of the Hessian panel and of sharpness tracking, each a flag of
// descent serve.
const (
	// DefaultMaxHessianExamples bounds a Hessian's probe set: a top-5
	// analysis of the report's network takes about 2 s a thousand images on
	// one core, and its products' caches about 4 MB a thousand.
	DefaultMaxHessianExamples = 5000
	// DefaultMaxHessianParams bounds the networks that have a Hessian:
	// Lanczos keeps a basis vector of float64s per product (up to 300 for
	// the panel, 40 for a tracker), 1.6 MB each at 200,000 parameters (a
	// 784-250-10 network; the report's has 79,510).
	DefaultMaxHessianParams = 200_000
	// DefaultSharpnessBudget is each tracker's share of its run's
	// arithmetic (mnist.TrackerOptions.Budget).
	DefaultSharpnessBudget = runs.DefaultSharpnessBudget
	// maxSharpnessBudget bounds --sharpness-budget: 8 is a tracker that may
	// work eight times as much as its run, on cores that would idle.
	maxSharpnessBudget = 8
)

// hessianDefaults sets the zero Hessian limits to their defaults.
func (l *Limits) hessianDefaults() {
	if l.MaxHessianExamples <= 0 {
		l.MaxHessianExamples = DefaultMaxHessianExamples
	}
	if l.MaxHessianParams <= 0 {
		l.MaxHessianParams = DefaultMaxHessianParams
	}
	if l.SharpnessBudget <= 0 {
		l.SharpnessBudget = DefaultSharpnessBudget
	}
	l.MaxHessianExamples = min(l.MaxHessianExamples, mnist.MaxBatch)
}

// checkHessian reports a Hessian limit out of its range, for the flags.
func (l Limits) checkHessian() error {
	switch {
	case l.MaxHessianExamples < 0 || l.MaxHessianExamples > mnist.MaxBatch:
		return fmt.Errorf("server: --max-hessian-examples %d is out of range (allowed: 1 to %d)", l.MaxHessianExamples, mnist.MaxBatch)
	case l.MaxHessianParams < 0:
		return fmt.Errorf("server: --max-hessian-params %d is out of range (allowed: 1 or more)", l.MaxHessianParams)
	case math.IsNaN(l.SharpnessBudget) || l.SharpnessBudget < 0 || l.SharpnessBudget > maxSharpnessBudget:
		return fmt.Errorf("server: --sharpness-budget %g is out of range (allowed: above 0, at most %d)", l.SharpnessBudget, maxSharpnessBudget)
	}
	return nil
}

// hessianLimits are the Hessian limits sent in hello.
func (s *Server) hessianLimits() protocol.HessianLimits {
	l := s.limits
	return protocol.HessianLimits{MaxTop: protocol.MaxHessianTop, DefaultTop: protocol.DefaultHessianTop,
		MaxExamples: l.MaxHessianExamples, DefaultExamples: protocol.DefaultSharpnessExamples, MaxParams: l.MaxHessianParams,
		Sharpness: protocol.SharpnessLimits{Start: true, Sweep: false, Examples: protocol.DefaultSharpnessExamples,
			Budget: l.SharpnessBudget, PerEpoch: sharpnessPerEpoch}}
}

// sharpnessPerEpoch is the most measurements a tracker takes an epoch
// (mnist.TrackerOptions.PerEpoch's default).
const sharpnessPerEpoch = 20
