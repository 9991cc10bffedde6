package mnist

import (
	"math"

	"descent/mnist/internal/kernels"
	"descent/optim"
)

// sliceWork is one worker's scratch: every buffer is feature-major, (units ×
// images of a chunk).
type sliceWork[T optim.Float] struct {
	x    []T    // (rows × 784) images being normalised for products
	q    []T    // (H × rows) P₀ + b·P_E, shared by the points of a grid row
	z    []T    // (H × rows) the first layer at one point
	acts [][]T  // acts[l] is (out_l × rows) for the layers after the first
	wpt  [][]T  // the later layers' weights of each point of a column group
	tr   []T    // (H × 10) the fused kernel's second layer being transposed
	quad [3][]T // ((H+1) × rows) the other points' activations of a quadruple
	r    []T    // (H × rows) 2^{−Δ·P_D} for quadruples
	zero []T    // rows zeros: the activation kernels' bias
	m    []T    // (rows) each image's largest logit (float64 path)
}

// pointGroup bounds the values of the later layers' weights that a worker
// forms for the points of one grid row at once (4 MB in float32).
const pointGroup = 1 << 20

// group is how many points of a row share one pass over the chunks.
func (s *Slicer[T]) group(cols int) int {
	return max(1, min(cols, pointGroup/max(1, len(s.rest[0]))))
}

func (s *Slicer[T]) newWork(cols int) *sliceWork[T] {
	r := s.rows
	w := &sliceWork[T]{
		x: make([]T, r*InputSize), q: make([]T, s.hidden*r), z: make([]T, s.hidden*r),
		zero: make([]T, r), m: make([]T, r),
	}
	w.acts = make([][]T, len(s.ls))
	for l := 1; l < len(s.ls); l++ {
		w.acts[l] = make([]T, s.ls[l].out*r)
	}
	for range s.group(cols) {
		w.wpt = append(w.wpt, make([]T, len(s.rest[0])))
	}
	if s.fused {
		w.tr = make([]T, s.hidden*s.ls[1].out)
		w.r, w.z = make([]T, s.hidden*r), make([]T, (s.hidden+1)*r) // a row of ones after the activations (secondLayer)
		for k := range w.quad {
			w.quad[k] = make([]T, (s.hidden+1)*r)
		}
	}
	return w
}

// pointWeights sets w.wpt[k] to the later layers' parameters at (as[k], b):
// Origin + a·X + b·Y, formed in float64. For the fused kernel the second
// layer's weights are stored transposed, (H × 10).
func (s *Slicer[T]) pointWeights(w *sliceWork[T], b float64, as []float64) {
	o, x, y := s.rest[0], s.rest[1], s.rest[2]
	for k, a := range as {
		dst := w.wpt[k]
		for i := range dst {
			dst[i] = T(float64(o[i]) + a*float64(x[i]) + b*float64(y[i]))
		}
		if s.fused {
			s.transposeSecond(w.tr, dst)
		}
	}
}

// transposeSecond turns the second layer's (10 × H) weights at the start
// of wpt into (H × 10), through t.
func (s *Slicer[T]) transposeSecond(t, wpt []T) {
	h, m := s.hidden, s.ls[1].out
	for o := range m {
		for u := range h {
			t[u*m+o] = wpt[o*h+u]
		}
	}
	copy(wpt, t)
}

// rowQ sets w.q to P₀ + b·P_E for chunk products p of rows images.
func (s *Slicer[T]) rowQ(w *sliceWork[T], p []T, rows int, b float64) []T {
	n := s.hidden * rows
	q := w.q[:n]
	copy(q, p[:n])
	if s.dirs == 3 && b != 0 {
		axpy(T(b), p[2*n:3*n], q)
	}
	return q
}

// evalPoint returns the summed cross-entropy and the number of images
// classified right, over one chunk of rows images with labels lab, at the
// point whose first layer is q + a·P_D (pd) and whose later weights are wpt.
func (s *Slicer[T]) evalPoint(w *sliceWork[T], q, pd []T, a float64, wpt []T, lab []uint8) (float64, int) {
	rows := len(lab)
	if s.fused { // z₂ = W₂·σ(q + a·P_D) + b₂ in one pass, σ never stored
		m := s.ls[1].out
		z := w.acts[1][:m*rows]
		kernels.AxpySigmoid2Mul(f32(z), f32(wpt[:s.hidden*m]), f32(wpt[s.hidden*m:]), f32(q), f32(pd), float32(a), m, s.hidden, rows)
		return crossEntropyT(w, z, lab)
	}
	x := w.z[:len(q)]
	if is32[T]() && s.plane.Arch.Activation == Sigmoid {
		kernels.AxpySigmoid(f32(x), f32(q), f32(pd), float32(a)) // one pass: σ(q + a·P_D)
	} else {
		copy(x, q)
		axpy(T(a), pd, x)
		s.activate(w, x, s.hidden, rows)
	}
	last := len(s.ls) - 1
	for l := 1; l <= last; l++ {
		ly := s.ls[l]
		wl := wpt[ly.w-s.restOff : ly.w-s.restOff+ly.in*ly.out]
		bl := wpt[ly.b-s.restOff : ly.b-s.restOff+ly.out]
		y := w.acts[l][:ly.out*rows]
		for o, v := range bl {
			fill(y[o*rows:(o+1)*rows], v)
		}
		gemm(false, false, ly.out, rows, ly.in, wl, ly.in, x, rows, 1, y, rows)
		if l < last {
			s.activate(w, y, ly.out, rows)
		}
		x = y
	}
	return crossEntropyT(w, x, lab)
}

// activate applies the hidden activation in place to v, (units × rows).
func (s *Slicer[T]) activate(w *sliceWork[T], v []T, units, rows int) {
	act := s.plane.Arch.Activation
	if is32[T]() {
		y, zero := f32(v), f32(w.zero[:rows])
		switch act {
		case Sigmoid:
			kernels.AddBiasSigmoid(y, units, rows, zero)
		case ReLU:
			kernels.AddBiasReLU(y, units, rows, zero)
		case Tanh:
			kernels.AddBiasTanh(y, units, rows, zero)
		}
		return
	}
	for i, z := range v {
		switch act {
		case Sigmoid:
			v[i] = T(sigmoid(float64(z)))
		case ReLU:
			v[i] = max(z, 0)
		case Tanh:
			v[i] = T(math.Tanh(float64(z)))
		}
	}
}

// axpy is y ← y + α·x.
func axpy[T optim.Float](alpha T, x, y []T) {
	if is32[T]() {
		kernels.Axpy(float32(alpha), f32(x), f32(y))
		return
	}
	for i, v := range x {
		y[i] += alpha * v
	}
}

// crossEntropyT returns Σᵢ (log Σⱼ e^{zⱼᵢ} − z_{yᵢ,i}) and the number of
// images whose first largest logit is the label's (as Evaluate counts), for
// logits z (10 × rows), feature-major, with the log-sum-exp shift by each
// image's largest logit m: log Σⱼ e^{zⱼ} = m + log Σⱼ e^{zⱼ − m}.
//
// In float32 it is one vectorised pass (kernels.CrossEntropyFM: e^x and log
// per image in float32, the sum in float64); in float64 plain loops with
// math.Exp and math.Log.
func crossEntropyT[T optim.Float](w *sliceWork[T], z []T, lab []uint8) (float64, int) {
	rows := len(lab)
	if is32[T]() {
		return kernels.CrossEntropyFM(f32(z[:Classes*rows]), Classes, lab)
	}
	m := w.m[:rows]
	copy(m, z[:rows])
	for j := 1; j < Classes; j++ {
		row := z[j*rows : (j+1)*rows]
		m := m[:len(row)]
		for i, v := range row {
			m[i] = max(m[i], v)
		}
	}
	var lin float64
	correct := 0
	for i, y := range lab {
		zy := z[int(y)*rows+i]
		lin += float64(m[i]) - float64(zy)
		if zy == m[i] && firstMax(z, rows, i, int(y)) {
			correct++
		}
	}
	return lin + logSumExp64(z, m, rows), correct
}

// firstMax reports whether no class before y ties image i's largest logit,
// so that class y is the first arg max, as Evaluate picks it.
func firstMax[T optim.Float](z []T, rows, i, y int) bool {
	for j := range y {
		if z[j*rows+i] == z[y*rows+i] {
			return false
		}
	}
	return true
}

// logSumExp64 is Σᵢ log Σⱼ e^{zⱼᵢ − mᵢ} in plain float64.
func logSumExp64[T optim.Float](z, m []T, rows int) float64 {
	var total float64
	for i := range rows {
		var s float64
		for j := range Classes {
			s += math.Exp(float64(z[j*rows+i]) - float64(m[i]))
		}
		total += math.Log(s)
	}
	return total
}
