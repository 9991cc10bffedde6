package mnist

import (
	"math"

	"descent/optim"
)

// The R-operator (Pearlmutter 1994) of each forward/backward pair: R{f} is
// the derivative of f(θ + rv) in r at r = 0, so that R{∇J} = Hv. Shapes are
// row-major with B the rows of the probe set; v holds (V, c) for each
// layer's (W, b), as the parameter slab does.

// linearRForward computes R{z} = R{x}·Wᵀ + x·Vᵀ + c for z = x·Wᵀ + b, into
// rz. rx is nil for the first layer, whose input is fixed. x and rx are
// (B, in), W and V are (out, in), c is (out), rz is (B, out).
func linearRForward[T optim.Float](rz, x, rx, w, v, c []T, batch, in, out int) {
	for r := range batch {
		copy(rz[r*out:(r+1)*out], c)
	}
	gemm(false, true, batch, out, in, x, in, v, in, 1, rz, out)
	if rx != nil {
		gemm(false, true, batch, out, in, rx, in, w, in, 1, rz, out)
	}
}

// linearRBackward computes, for the backward pair of z = x·Wᵀ + b with
// δ = ∂J/∂z, the parameter parts of Hv, R{∂J/∂W} = R{δ}ᵀ·x + δᵀ·R{x} and
// R{∂J/∂b} = Σ_rows R{δ}, and, when rdx is not nil, R{∂J/∂x} =
// R{δ}·W + δ·V. rd and d are (B, out); x and rx (nil for the first layer)
// and rdx are (B, in); hw is (out, in) and hb is (out).
func linearRBackward[T optim.Float](hw, hb, rdx, rd, d, x, rx, w, v []T, batch, in, out int) {
	gemm(true, false, out, in, batch, rd, out, x, in, 0, hw, in)
	if rx != nil {
		gemm(true, false, out, in, batch, d, out, rx, in, 1, hw, in)
	}
	colSum(hb, rd, batch, out, 0)
	if rdx != nil {
		gemm(false, false, batch, in, out, rd, out, w, in, 0, rdx, in)
		gemm(false, false, batch, in, out, d, out, v, in, 1, rdx, in)
	}
}

// activationRForward turns R{z} into R{a} = f'(z)·R{z} for a = f(z), from
// the output a (as activationBackward does). ra and rz are (B, out).
func activationRForward[T optim.Float](act Activation, ra, rz, a []T) {
	copy(ra, rz)
	activationBackward(act, ra, a)
}

// activationRBackward turns R{∂J/∂a}, in rd, into R{∂J/∂z}, in place, for
// a = f(z) with ∂J/∂z = f'(z)·g and g = ∂J/∂a:
//
//	R{∂J/∂z} = f′(z)·R{g} + f″(z)·g·R{z}
//
// with f″ from the output a: σ″ = a(1 − a)(1 − 2a), tanh″ = −2a(1 − a²),
// relu″ = 0 (almost everywhere). All are (B, out).
func activationRBackward[T optim.Float](act Activation, rd, g, rz, a []T) {
	activationBackward(act, rd, a)
	switch act {
	case Sigmoid:
		for i, v := range a[:len(rd)] {
			rd[i] += v * (1 - v) * (1 - 2*v) * g[i] * rz[i]
		}
	case Tanh:
		for i, v := range a[:len(rd)] {
			rd[i] += -2 * v * (1 - v*v) * g[i] * rz[i]
		}
	}
}

// softmaxCrossEntropyR computes R{δ} for δ = scale·(softmax(z) − onehot(y)),
// the R-operator of softmaxCrossEntropy's gradient: row by row,
//
//	R{δ} = scale·(p ⊙ R{z} − p·(pᵀR{z})),
//
// the Hessian of log-sum-exp, diag(p) − ppᵀ, applied to R{z}. p and rz are
// (B, classes).
func softmaxCrossEntropyR[T optim.Float](rd, p, rz []T, batch, classes int, scale float64) {
	for r := range batch {
		pr, zr, dr := p[r*classes:(r+1)*classes], rz[r*classes:(r+1)*classes], rd[r*classes:(r+1)*classes]
		var dot float64
		for j, v := range pr {
			dot += float64(v) * float64(zr[j])
		}
		for j, v := range pr {
			dr[j] = T(scale * float64(v) * (float64(zr[j]) - dot))
		}
	}
}

// softmaxRows writes the softmax of each row of the logits into p, with the
// log-sum-exp shift. Both are (B, classes).
func softmaxRows[T optim.Float](p, logits []T, batch, classes int) {
	for r := range batch {
		z, pr := logits[r*classes:(r+1)*classes], p[r*classes:(r+1)*classes]
		m := float64(z[0])
		for _, v := range z {
			m = math.Max(m, float64(v))
		}
		var s float64
		for _, v := range z {
			s += math.Exp(float64(v) - m)
		}
		for j, v := range z {
			pr[j] = T(math.Exp(float64(v)-m) / s)
		}
	}
}
