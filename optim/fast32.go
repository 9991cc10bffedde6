package optim

import (
	"unsafe"

	"descent/optim/internal/vec"
)

// The float32 fast path: for T = float32 the first-order methods hand their
// whole step to the kernels of internal/vec, which compute the same
// formulas in float32 (each operation rounded to float32, within a few ulps
// of the float64-then-rounded generic loop) and measure the norms in the
// same pass. The float64 path, which reproduces torch bit for bit, never
// takes it.

// useFast32 routes float32 steps through internal/vec; tests turn it off
// to run the generic loop on float32 as the reference.
var useFast32 = true

// fast32 reports whether T takes the float32 fast path.
func fast32[T Float]() bool {
	var zero T
	return useFast32 && unsafe.Sizeof(zero) == 4
}

// f32 views s as []float32; T must be 4 bytes wide. A nil s stays nil.
func f32[T Float](s []T) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(s))), len(s))
}

// record stores n in acc, if measuring.
func record(acc *Norms, n Norms) {
	if acc != nil {
		*acc = n
	}
}

// kernelNorms are the norms ‖g‖², ‖Δθ‖², ‖θ‖² that a kernel returned.
func kernelNorms(g2, d2, t2 float64) Norms { return Norms{Grad: g2, Delta: d2, Theta: t2} }

// sgd32 is SGD's float32 step; first is that of a momentum buffer.
func (o *SGD[T]) sgd32(theta, grad []T, first bool, acc *Norms) {
	lr, wd := float32(o.LearningRate), o.WeightDecay
	if o.Momentum == 0 {
		record(acc, kernelNorms(vec.SGD(f32(theta), f32(grad), lr, wd)))
		return
	}
	keep := 1 - o.Dampening // 1 − τ, at run time
	record(acc, kernelNorms(vec.Momentum(f32(theta), f32(grad), f32(o.buf), lr, float32(o.Momentum), float32(keep), wd,
		first, o.Nesterov)))
}

// adagrad32 is Adagrad's float32 step with the decayed step size clr.
func (o *Adagrad[T]) adagrad32(theta, grad []T, clr float64, acc *Norms) {
	record(acc, kernelNorms(vec.Adagrad(f32(theta), f32(grad), f32(o.sum), float32(clr), float32(o.Eps), o.WeightDecay)))
}

// rmsprop32 is RMSprop's float32 step; ḡ and b are passed only when used.
func (o *RMSprop[T]) rmsprop32(theta, grad []T, acc *Norms) {
	var avg, buf []float32
	if o.Centered {
		avg = f32(o.avg)
	}
	if o.Momentum > 0 {
		buf = f32(o.buf)
	}
	keep := 1 - o.Alpha // 1 − ρ, at run time
	record(acc, kernelNorms(vec.RMSprop(f32(theta), f32(grad), f32(o.sq), avg, buf, float32(o.LearningRate), float32(o.Alpha),
		float32(keep), float32(o.Eps), float32(o.Momentum), o.WeightDecay)))
}

// adam32 is Adam's (decoupled: AdamW's) float32 step with the step size
// α/(1 − β₁ᵗ), bc2 = √(1 − β₂ᵗ) and decay = 1 − αλ.
func (o *Adam[T]) adam32(theta, grad []T, stepSize, bc2, decay float64, decoupled bool, acc *Norms) {
	var vmax []float32
	if o.AMSGrad {
		vmax = f32(o.vmax)
	}
	b1, b2 := o.Beta1, o.Beta2
	c1, c2 := 1-b1, 1-b2 // at run time, as in step
	record(acc, kernelNorms(vec.Adam(f32(theta), f32(grad), f32(o.m), f32(o.v), vmax, float32(stepSize), float32(b1), float32(c1),
		float32(b2), float32(c2), float32(1/bc2), float32(o.Eps), float32(decay), o.WeightDecay, decoupled)))
}
