package optim

import "math"

// Stability is a first-order method's edge of stability. On a quadratic
// J(θ) = ½θᵀHθ the iterates stay bounded only while the sharpness S, the
// largest eigenvalue of the curvature the method sees, stays below
// Threshold(α) = Factor/α. Cohen et al. (2021) found that full-batch
// gradient descent on networks drives S up to this threshold and holds it
// there (the "edge of stability"). Along an eigenvector of curvature λ, with
// h = αλ:
//
//	gradient descent       θₜ₊₁ = (1 − h)θₜ                             stable iff h < 2
//	heavy ball (torch)     b ← μb + (1 − τ)g, θ ← θ − αb:
//	                       θₜ₊₁ = (1 + μ − (1 − τ)h)θₜ − μθₜ₋₁          iff (1 − τ)h < 2(1 + μ)
//	Nesterov (torch)       θₜ₊₁ = (1 + μ)(1 − h)θₜ − μ(1 − h)θₜ₋₁       iff h < (2 + 2μ)/(1 + 2μ)
//	Adam                   heavy ball with μ = τ = β₁ on P⁻¹H           iff αλ(P⁻¹H) < (2 + 2β₁)/(1 − β₁)
//
// the last as Cohen et al. (2022, "Adaptive gradient methods at the edge of
// stability") define it, with P Adam's diagonal preconditioner (see
// Adam.Preconditioner) held fixed. The two-step recurrences are stable while
// both roots of z² − az + b lie inside the unit circle (Jury's test).
type Stability struct {
	// Factor is c in Threshold(α) = c/α: 2 for gradient descent,
	// 2(1 + μ)/(1 − τ) for heavy-ball momentum μ with dampening τ,
	// (2 + 2μ)/(1 + 2μ) for Nesterov, (2 + 2β₁)/(1 − β₁) for Adam and AdamW.
	Factor float64
	// WeightDecay is the L2 coefficient λ that SGD and Adam add to the
	// gradient as λθ: the curvature they see is H + λI. AdamW's decoupled
	// decay, θ ← θ(1 − αλ), is left out: it contracts every step, so the
	// threshold without it is slightly conservative.
	WeightDecay float64
	// Preconditioned says that the sharpness is λmax(P⁻¹(H + λI)), with P
	// from the method's Preconditioner, rather than λmax(H + λI).
	Preconditioned bool
}

// Threshold is Factor/α, the largest sharpness at which the method is stable
// with learning rate α.
func (s Stability) Threshold(lr float64) float64 { return s.Factor / lr }

// Preconditioner is a method whose step is θ ← θ − αP⁻¹d for a positive
// diagonal P taken from its state.
type Preconditioner interface {
	// Preconditioner writes P's diagonal into dst (one entry per parameter)
	// and reports whether it exists: false before the first step.
	Preconditioner(dst []float64) bool
}

// StabilityOf returns the edge of stability of m, and false for the methods
// for which none is known (Adagrad, RMSprop: their step sizes shrink with
// the squared gradients, and no fixed threshold applies).
func StabilityOf[T Float](m Method[T]) (Stability, bool) {
	switch o := m.(type) {
	case *SGD[T]:
		mu, tau := o.Momentum, o.Dampening
		s := Stability{Factor: 2, WeightDecay: o.WeightDecay}
		switch {
		case mu > 0 && o.Nesterov:
			s.Factor = (2 + 2*mu) / (1 + 2*mu)
		case mu > 0:
			s.Factor = 2 * (1 + mu) / (1 - tau)
		}
		return s, !math.IsInf(s.Factor, 0)
	case *Adam[T]:
		return adamStability(o.Beta1, o.WeightDecay), true
	case *AdamW[T]:
		return adamStability(o.Beta1, 0), true
	}
	return Stability{}, false
}

func adamStability(beta1, wd float64) Stability {
	return Stability{Factor: (2 + 2*beta1) / (1 - beta1), WeightDecay: wd, Preconditioned: true}
}

// Preconditioner writes the diagonal of the preconditioner of Adam's last
// step into dst, Pᵢ = (1 − β₁ᵗ)(√(vᵢ/(1 − β₂ᵗ)) + ε) (with v̂ for AMSGrad), so
// that the step was θ ← θ − αP⁻¹m (Cohen et al. 2022). It reports false
// before the first step or when len(dst) is not the number of parameters.
func (o *Adam[T]) Preconditioner(dst []float64) bool {
	if o.t == 0 || len(dst) != len(o.v) {
		return false
	}
	bc1 := 1 - o.pow1.at(o.Beta1, o.t)
	bc2 := math.Sqrt(1 - o.pow2.at(o.Beta2, o.t))
	v := o.v
	if o.AMSGrad {
		v = o.vmax
	}
	for i, x := range v {
		dst[i] = bc1 * (math.Sqrt(float64(x))/bc2 + o.Eps)
	}
	return true
}
