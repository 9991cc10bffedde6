package traj

import (
	"math"

	"descent/optim"
	"descent/server/protocol"
)

// startHessian is fn's Hessian at start with its eigenvalues and the rates
// the learning-rate control marks (protocol.StartHessian), or nil when fn has
// no Hessian or it is not finite there. configs are the set's optimizers.
func startHessian(fn optim.Function, start [2]float64, configs []optim.Config) *protocol.StartHessian {
	if fn.Hess == nil {
		return nil
	}
	a, b, c := fn.Hess(start[0], start[1])
	if !protocol.Finite(a) || !protocol.Finite(b) || !protocol.Finite(c) {
		return nil
	}
	m, r := (a+c)/2, math.Hypot((a-c)/2, b)
	h := &protocol.StartHessian{Hessian: [3]float64{a, b, c}, Eigen: [2]float64{m - r, m + r}, Constant: constantHessian(fn, a, b, c),
		StableRates: make([]*float64, len(configs))}
	lo, hi := h.Eigen[0], h.Eigen[1]
	if hi > 0 {
		h.MaxRate = 2 / hi
	}
	if lo > 0 {
		h.BestRate = 2 / (lo + hi)
	}
	for i, cfg := range configs {
		h.StableRates[i] = stableRate(cfg, hi)
	}
	return h
}

// stableRate is the largest stable α of a first-order method on a quadratic
// of top curvature λmax (optim.Stability), or nil when none applies.
func stableRate(cfg optim.Config, lmax float64) *float64 {
	m, err := optim.New[float64](cfg.Method, cfg.Params)
	if err != nil {
		return nil
	}
	st, ok := optim.StabilityOf(m)
	if !ok || st.Preconditioned || lmax+st.WeightDecay <= 0 {
		return nil
	}
	rate := st.Factor / (lmax + st.WeightDecay)
	return &rate
}

// constantHessian reports whether fn's Hessian is (a, b, c) at the corners
// and the centre of its window too: a quadratic's.
func constantHessian(fn optim.Function, a, b, c float64) bool {
	d := fn.Domain
	for _, p := range [][2]float64{{d[0], d[2]}, {d[1], d[3]}, {d[0], d[3]}, {d[1], d[2]}, {(d[0] + d[1]) / 2, (d[2] + d[3]) / 2}} {
		x, y, z := fn.Hess(p[0], p[1])
		if x != a || y != b || z != c {
			return false
		}
	}
	return true
}
