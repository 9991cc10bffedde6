package mnist

import (
	"unsafe"
)

// Apply sets dst = H·v, both with one entry per parameter in the slab's
// layout (W₁, b₁, W₂, b₂, …), in float64 whatever the Hessian's precision.
// Its signature is spectrum.Operator's.
func (h *Hessian[T]) Apply(dst, v []float64) {
	if len(dst) != len(h.params) || len(v) != len(h.params) {
		panic("mnist: Hessian.Apply: vectors of the wrong length")
	}
	h.products++
	if !is32[T]() {
		h.apply(view64[T](dst), view64[T](v))
		return
	}
	for i, x := range v {
		h.v[i] = T(x)
	}
	h.apply(h.hv, h.v)
	for i, x := range h.hv {
		dst[i] = float64(x)
	}
}

// view64 views a []float64 as the []T it is; only for T = float64.
func view64[T any](s []float64) []T {
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// apply is Hv by the R-operator: R{·} forward through the layers, R{δ} at
// the softmax, then R{·} backward, whose parameter parts are Hv.
func (h *Hessian[T]) apply(hv, v []T) {
	L, n := len(h.w), h.rows
	vw, vb := h.split(v, h.views[0], h.views[1])
	hw, hb := h.split(hv, h.views[2], h.views[3])
	for l := range L { // forward: R{z}, R{a}
		in, out := h.sizes[l], h.sizes[l+1]
		if l == 0 {
			h.in.mul(h.rz[0], vw[0], out) // X·V₁ᵀ
			biasActivation("", h.rz[0], vb[0], n, out)
		} else {
			linearRForward(h.rz[l], h.al[l-1], h.ra[l-1], h.w[l], vw[l], vb[l], n, in, out)
		}
		if l < L-1 {
			activationRForward(h.act, h.ra[l], h.rz[l], h.al[l])
		}
	}
	softmaxCrossEntropyR(h.rd[L-1], h.p, h.rz[L-1], n, h.sizes[L], 1/float64(n))
	for l := L - 1; l > 0; l-- { // backward: R{δ}, and Hv layer by layer
		in, out := h.sizes[l], h.sizes[l+1]
		linearRBackward(hw[l], hb[l], h.rd[l-1], h.rd[l], h.dl[l], h.al[l-1], h.ra[l-1], h.w[l], vw[l], n, in, out)
		activationRBackward(h.act, h.rd[l-1], h.gl[l-1], h.rz[l-1], h.al[l-1])
	}
	out := h.sizes[1]
	h.in.mulT(hw[0], h.rd[0], out) // R{δ₁}ᵀ·X
	colSum(hb[0], h.rd[0], n, out, 0)
}

// split views a slab as its layers' weights and biases, in w and b (one
// slice per layer, reused).
func (h *Hessian[T]) split(s []T, w, b [][]T) ([][]T, [][]T) {
	off := 0
	for l := range h.w {
		nw, nb := len(h.w[l]), len(h.b[l])
		w[l], b[l] = s[off:off+nw], s[off+nw:off+nw+nb]
		off += nw + nb
	}
	return w, b
}

// Gradient writes ∇J(θ) at the weights of the last SetParams into dst:
// ∂J/∂Wₗ = δₗᵀ·aₗ₋₁ and ∂J/∂bₗ = Σ_rows δₗ, from the cached passes.
func (h *Hessian[T]) Gradient(dst []float64) {
	g := make([]T, len(h.params))
	gw, gb := h.split(g, make([][]T, len(h.w)), make([][]T, len(h.w)))
	n := h.rows
	for l := len(h.w) - 1; l >= 0; l-- {
		in, out := h.sizes[l], h.sizes[l+1]
		if l == 0 {
			h.in.mulT(gw[0], h.dl[0], out)
		} else {
			gemm(true, false, out, in, n, h.dl[l], out, h.al[l-1], in, 0, gw[l], in)
		}
		colSum(gb[l], h.dl[l], n, out, 0)
	}
	for i, v := range g {
		dst[i] = float64(v)
	}
}
