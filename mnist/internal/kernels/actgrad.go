package kernels

// The derivatives of the activations, from their outputs a: each turns the
// gradient d with respect to a layer's output into the gradient with respect
// to its input, in place, with the float32 operations (and order) of the
// network's generic loops, so the fast paths agree with them bit for bit.
// len(a) must be at least len(d).

// SigmoidGrad sets d[i] ← d[i]·(a[i]·(1 − a[i])): σ'(z) = a(1 − a).
func SigmoidGrad(d, a []float32) {
	checkGrad(d, a)
	sigmoidGrad(d, a[:len(d)])
}

// TanhGrad sets d[i] ← d[i]·(1 − a[i]·a[i]): tanh'(z) = 1 − a².
func TanhGrad(d, a []float32) {
	checkGrad(d, a)
	tanhGrad(d, a[:len(d)])
}

// ReLUGrad sets d[i] ← 0 where a[i] ≤ 0: relu'(z) = [a > 0]. A NaN in a
// keeps d[i].
func ReLUGrad(d, a []float32) {
	checkGrad(d, a)
	reluGrad(d, a[:len(d)])
}

func checkGrad(d, a []float32) {
	if len(a) < len(d) {
		panic("kernels: activation output shorter than its gradient")
	}
}

func sigmoidGradGo(d, a []float32) {
	a = a[:len(d)]
	for i, v := range a {
		d[i] *= v * (1 - v)
	}
}

func tanhGradGo(d, a []float32) {
	a = a[:len(d)]
	for i, v := range a {
		d[i] *= 1 - v*v
	}
}

func reluGradGo(d, a []float32) {
	a = a[:len(d)]
	for i, v := range a {
		if v <= 0 {
			d[i] = 0
		}
	}
}
