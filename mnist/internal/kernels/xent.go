package kernels

import "math"

// CrossEntropyFM returns the summed softmax cross-entropy of n = len(labels)
// images and the number of them classified right, for logits z (classes ×
// n) stored feature-major (z[j·n + i] is class j of image i, as the loss
// landscape keeps its activations):
//
//	loss    = Σᵢ (mᵢ + log Σⱼ e^{zⱼᵢ − mᵢ} − z_{yᵢ i}),  mᵢ = maxⱼ zⱼᵢ
//	correct = #{i : yᵢ is the first j with zⱼᵢ = mᵢ}
//
// (the log-sum-exp shifted by each image's largest logit, Bishop 2006
// §4.3.4). Each image's term is formed in float32, within a few ulps (e^x
// and log as Cephes expf and logf, Moshier 1992), and summed in float64. A
// NaN logit makes the loss NaN, and so does a label ≥ classes (that image
// is not counted right); the arg max takes the first of tied logits, as the
// network's Evaluate does.
func CrossEntropyFM(z []float32, classes int, labels []uint8) (loss float64, correct int) {
	n := len(labels)
	if classes < 1 || len(z) != classes*n {
		panic("kernels: CrossEntropyFM wants classes ≥ 1 and len(z) = classes·len(labels)")
	}
	if n == 0 {
		return 0, 0
	}
	return crossEntropy(z, classes, labels)
}

// crossEntropyGo is the portable CrossEntropyFM of images [i0, n), the
// reference of the fast paths.
func crossEntropyGo(z []float32, classes int, labels []uint8, i0 int) (loss float64, correct int) {
	n := len(labels)
	for i := i0; i < n; i++ {
		mx, arg := z[i], 0
		for j := 1; j < classes; j++ {
			if v := z[j*n+i]; v > mx {
				mx, arg = v, j
			}
		}
		var s float32
		for j := range classes {
			s += exp32(max(z[j*n+i]-mx, expLo))
		}
		zy := float32(math.NaN())
		if y := int(labels[i]); y < classes {
			zy = z[y*n+i]
			if arg == y {
				correct++
			}
		}
		loss += float64((mx - zy) + float32(math.Log(float64(s))))
	}
	return loss, correct
}

// expLo is where the fast paths clamp e^x's argument: e^-87.3 ≈ 1.2e-38,
// the smallest normal float32, and nothing next to the 1 of the largest.
const expLo = -87.3
