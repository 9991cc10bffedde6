package mnist

import (
	"descent/mnist/internal/kernels"
)

// pairing lets the points of a grid row share their exponentials two by
// two (kernels.Sigmoid2Pair): grid column i+1 (odd) is computed from column
// i's e^{−x} times r = 2^{−Δ·P_D}, which costs one multiply where an
// exponential was. Which point pairs with which depends on the grid only,
// so that a point's value on a chunk is the same in every pass (the
// preview's points are completed to what a slice without one computes).
type pairing struct {
	delta float64   // Δ, the grid's step in a
	odd   []bool    // per point: computed at base + Δ from its pair's first point
	base  []float64 // per point: the a of its pair's first point
}

// maxPairShift bounds |Δ·P_D| (in base 2) on a chunk whose points are
// paired: past it E₀'s clamps could show in E₁ = E₀·r (kernels.Sigmoid2Pair).
const maxPairShift = 60

// pairs returns the pairing of columns cols of the grid, or nil where the
// fused kernels are not used.
func (job *sliceJob[T]) pairs(cols []int) *pairing {
	g := job.g
	if !job.s.fused || g.g < 2 {
		return nil
	}
	p := &pairing{delta: (g.a[g.g-1] - g.a[0]) / float64(g.g-1), odd: make([]bool, len(cols)), base: make([]float64, len(cols))}
	for k, i := range cols {
		p.odd[k], p.base[k] = i%2 == 1, g.a[i&^1]
	}
	return p
}

// chunkEval is one chunk of a grid row: q = P₀ + b·P_E, P_D and the labels.
type chunkEval[T any] struct {
	q, pd []T
	lab   []uint8
}

// evalPairs evaluates the points [g0, g1) that need chunk c in pairs, and
// reports false, having done nothing, when the chunk's |Δ·P_D| is too
// large for them.
func (s *Slicer[T]) evalPairs(w *sliceWork[T], ch chunkEval[T], pairs *pairing, as []float64, from []int, c, g0, g1 int,
	add func(k int, loss float64, correct, n int)) bool {
	rows, n := len(ch.lab), len(ch.q)
	r, s0, s1 := f32(w.r[:n]), w.z[:n], w.z1[:n]
	if !(kernels.Exp2Scaled(r, f32(ch.pd), -float32(pairs.delta)) <= maxPairShift) {
		return false
	}
	for k := g0; k < g1; k++ {
		if c < from[k] {
			continue
		}
		kernels.Sigmoid2Pair(f32(s0), f32(s1), f32(ch.q), f32(ch.pd), r, float32(pairs.base[k]))
		if pairs.odd[k] {
			loss, correct := s.secondLayer(w, s1, w.wpt[k-g0], ch.lab)
			add(k, loss, correct, rows)
			continue
		}
		loss, correct := s.secondLayer(w, s0, w.wpt[k-g0], ch.lab)
		add(k, loss, correct, rows)
		if k+1 < g1 && pairs.odd[k+1] && pairs.base[k+1] == pairs.base[k] && c >= from[k+1] {
			loss, correct := s.secondLayer(w, s1, w.wpt[k+1-g0], ch.lab)
			add(k+1, loss, correct, rows)
			k++
		}
	}
	return true
}

// secondLayer returns the cross-entropy and right answers of the logits
// W₂·x + b₂ for hidden activations x (H × rows) and a point's later
// parameters wpt, W₂ stored transposed (the fused kernels' layout).
func (s *Slicer[T]) secondLayer(w *sliceWork[T], x, wpt []T, lab []uint8) (float64, int) {
	rows, h, m := len(lab), s.hidden, s.ls[1].out
	z := w.acts[1][:m*rows]
	for o, v := range wpt[h*m : h*m+m] {
		fill(z[o*rows:(o+1)*rows], v)
	}
	gemm(true, false, m, rows, h, wpt[:h*m], m, x, rows, 1, z, rows)
	return crossEntropyT(w, z, lab)
}
