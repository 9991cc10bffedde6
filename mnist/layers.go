package mnist

import (
	"math"

	"descent/mnist/internal/kernels"
	"descent/optim"
)

// Each forward step sits beside its backward step. Shapes are row-major, with
// B the rows of the minibatch.

// linearForward computes y = x·Wᵀ + b, followed by act when act is not "".
// x is (B, in), W is (out, in) as in PyTorch's nn.Linear, b is (out), y is (B, out).
// In float32 the bias and the activation are one fused pass over y.
func linearForward[T optim.Float](act Activation, y, x, w, b []T, batch, in, out int) {
	if is32[T]() && act != "" {
		gemm(false, true, batch, out, in, x, in, w, in, 0, y, out)
		addBiasActivation(act, f32(y), batch, out, f32(b))
		return
	}
	for r := range batch {
		copy(y[r*out:(r+1)*out], b)
	}
	gemm(false, true, batch, out, in, x, in, w, in, 1, y, out)
	if act != "" {
		activationForward(act, y)
	}
}

// addBiasActivation is y ← act(y + b) on float32 rows, in the kernels' fused,
// vectorised passes.
func addBiasActivation(act Activation, y []float32, rows, cols int, b []float32) {
	switch act {
	case Sigmoid:
		kernels.AddBiasSigmoid(y, rows, cols, b)
	case ReLU:
		kernels.AddBiasReLU(y, rows, cols, b)
	case Tanh:
		kernels.AddBiasTanh(y, rows, cols, b)
	}
}

// linearBackward computes the weight and bias gradients, dW = dyᵀ·x and
// db = Σ_rows dy, and, when dx is not nil, the input gradient dx = dy·W.
// dy is (B, out), x is (B, in), dW is (out, in), db is (out), dx is (B, in).
// The gradients are overwritten, or added to when accumulate is set (a large
// batch is processed in chunks of rows).
func linearBackward[T optim.Float](dw, db, dx, dy, x, w []T, batch, in, out int, accumulate bool) {
	var beta T
	if accumulate {
		beta = 1
	}
	gemm(true, false, out, in, batch, dy, out, x, in, beta, dw, in)
	colSum(db, dy, batch, out, beta)
	if dx != nil {
		gemm(false, false, batch, in, out, dy, out, w, in, 0, dx, in)
	}
}

// activationForward applies the activation in place: a = act(z).
func activationForward[T optim.Float](act Activation, z []T) {
	switch act {
	case Sigmoid:
		for i, v := range z {
			z[i] = T(sigmoid(float64(v)))
		}
	case ReLU:
		for i, v := range z {
			z[i] = max(v, 0)
		}
	case Tanh:
		for i, v := range z {
			z[i] = T(math.Tanh(float64(v)))
		}
	}
}

// activationBackward turns the gradient with respect to the activation's output
// into the gradient with respect to its input, in place, from the output a:
// σ'(z) = a(1 − a), tanh'(z) = 1 − a², relu'(z) = [a > 0].
func activationBackward[T optim.Float](act Activation, d, a []T) {
	a = a[:len(d)]
	if is32[T]() { // the same float32 operations, vectorised
		switch act {
		case Sigmoid:
			kernels.SigmoidGrad(f32(d), f32(a))
		case ReLU:
			kernels.ReLUGrad(f32(d), f32(a))
		case Tanh:
			kernels.TanhGrad(f32(d), f32(a))
		}
		return
	}
	switch act {
	case Sigmoid:
		for i, v := range a {
			d[i] *= v * (1 - v)
		}
	case ReLU:
		for i, v := range a {
			if v <= 0 {
				d[i] = 0
			}
		}
	case Tanh:
		for i, v := range a {
			d[i] *= 1 - v*v
		}
	}
}

// sigmoid is σ(z) = 1/(1 + e⁻ᶻ), written so that neither branch overflows.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softmaxCrossEntropy returns the summed cross-entropy of the logits against the
// labels, Σᵢ (log Σⱼ e^{zᵢⱼ} − zᵢ,yᵢ), computed with the log-sum-exp shift so that
// large logits cannot overflow, and writes ∂J/∂z for J = scale·Σᵢ into dz:
// scale·(softmax(zᵢ) − onehot(yᵢ)). With scale = 1/B, J is the mean over a
// minibatch of B rows. When dz is nil only the loss is computed. logits and dz
// are (rows, classes); correct counts the rows whose arg max is the label, and
// pred, when not nil, receives each row's arg max.
func softmaxCrossEntropy[T optim.Float](dz, logits []T, labels []uint8, pred []uint8, classes int, scale float64) (loss float64, correct int) {
	if is32[T]() && fastPaths {
		return softmaxCrossEntropy32(f32(dz), f32(logits), labels, pred, classes, scale)
	}
	var buf [16]float64 // e^{zⱼ−m}, each computed once
	e := buf[:]
	if classes > len(buf) {
		e = make([]float64, classes)
	}
	e = e[:classes]
	for r, y := range labels {
		z := logits[r*classes : (r+1)*classes]
		m, arg := float64(z[0]), 0
		for j, v := range z {
			if float64(v) > m {
				m, arg = float64(v), j
			}
		}
		var s float64
		for j, v := range z {
			e[j] = math.Exp(float64(v) - m)
			s += e[j]
		}
		loss += m + math.Log(s) - float64(z[y])
		if arg == int(y) {
			correct++
		}
		if pred != nil {
			pred[r] = uint8(arg)
		}
		if dz == nil {
			continue
		}
		d := dz[r*classes : (r+1)*classes]
		for j := range d {
			d[j] = T(e[j] / s * scale)
		}
		d[y] -= T(scale)
	}
	return loss, correct
}

// colSum sets db = Σ_rows dy + beta·db: the bias gradient.
func colSum[T optim.Float](db, dy []T, rows, cols int, beta T) {
	if is32[T]() {
		kernels.ColSum(f32(db), f32(dy), rows, cols, float32(beta))
		return
	}
	if beta == 0 {
		clear(db)
	}
	for r := range rows {
		for j, v := range dy[r*cols : (r+1)*cols] {
			db[j] += v
		}
	}
}
