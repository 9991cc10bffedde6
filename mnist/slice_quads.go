package mnist

import (
	"descent/mnist/internal/kernels"
)

// quadruples lets the points of a grid row share their exponentials four by
// four (kernels.Sigmoid2Quad): grid columns 4j+1, 4j+2 and 4j+3 are
// computed from column 4j's 2^{−x} times r, r² and r³, r = 2^{−Δ·P_D} (in
// base 2), which costs a multiply where an exponential was. Which point
// goes with which depends on the grid only, so that a point's value on a
// chunk is the same in every pass (the preview's points are completed to
// what a slice without one computes).
type quadruples struct {
	delta float64   // Δ, the grid's step in a
	off   []int     // per point: k, computed at base + k·Δ
	base  []float64 // per point: the a of its quadruple's first point
}

// maxQuadShift bounds |Δ·P_D| (in base 2) on a chunk whose points are
// grouped: past it E₀'s clamps could show in E₃ = E₀·r³
// (kernels.Sigmoid2Quad).
const maxQuadShift = 20

// quads returns the quadruples of columns cols of the grid, or nil where the
// fused kernels are not used.
func (job *sliceJob[T]) quads(cols []int) *quadruples {
	g := job.g
	if !job.s.fused || g.g < 2 {
		return nil
	}
	p := &quadruples{delta: (g.a[g.g-1] - g.a[0]) / float64(g.g-1), off: make([]int, len(cols)), base: make([]float64, len(cols))}
	for k, i := range cols {
		p.off[k], p.base[k] = i&3, g.a[i&^3]
	}
	return p
}

// chunkEval is one chunk of a grid row: q = P₀ + b·P_E, P_D and the labels.
type chunkEval[T any] struct {
	q, pd []T
	lab   []uint8
}

// evalQuads evaluates the points [g0, g1) that need chunk c four by four,
// and reports false, having done nothing, when the chunk's |Δ·P_D| is too
// large for them.
func (s *Slicer[T]) evalQuads(w *sliceWork[T], ch chunkEval[T], quads *quadruples, from []int, c, g0, g1 int,
	add func(k int, loss float64, correct, n int)) bool {
	rows, n := len(ch.lab), len(ch.q)
	r := f32(w.r[:n])
	if !(kernels.Exp2Scaled(r, f32(ch.pd), -float32(quads.delta)) <= maxQuadShift) {
		return false
	}
	d := [4][]float32{f32(w.z[:n+rows]), f32(w.quad[0][:n+rows]), f32(w.quad[1][:n+rows]), f32(w.quad[2][:n+rows])}
	for _, x := range d {
		fill(x[n:], 1) // the row of ones that multiplies b₂ (secondLayer)
	}
	for k := g0; k < g1; k++ {
		if c < from[k] {
			continue
		}
		kernels.Sigmoid2Quad(&[4][]float32{d[0][:n], d[1][:n], d[2][:n], d[3][:n]}, f32(ch.q), f32(ch.pd), r, float32(quads.base[k]))
		for k2 := k; k2 < g1 && quads.base[k2] == quads.base[k]; k2++ {
			if c >= from[k2] {
				loss, correct := s.secondLayer(w, d[quads.off[k2]], w.wpt[k2-g0], ch.lab)
				add(k2, loss, correct, rows)
			}
			k = k2
		}
	}
	return true
}

// secondLayer returns the cross-entropy and right answers of the logits
// W₂·x + b₂ for hidden activations x ((H+1) × rows, the last row ones) and a
// point's later parameters wpt, W₂ stored transposed (the fused kernels'
// layout), so that [W₂ᵀ; b₂ᵀ] is one ((H+1) × 10) matrix and the product
// adds the bias: no fill of the logits, no read of them by the product.
func (s *Slicer[T]) secondLayer(w *sliceWork[T], x []float32, wpt []T, lab []uint8) (float64, int) {
	rows, h, m := len(lab), s.hidden, s.ls[1].out
	z := w.acts[1][:m*rows]
	kernels.Sgemm(true, false, m, rows, h+1, 1, f32(wpt[:(h+1)*m]), m, x, rows, 0, f32(z), rows)
	return crossEntropyT(w, z, lab)
}
