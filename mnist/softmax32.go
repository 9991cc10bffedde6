package mnist

import (
	"math"

	"descent/mnist/internal/kernels"
)

// softmaxCrossEntropy32 is softmaxCrossEntropy in float32, the training
// path: the kernels compute each row's largest logit, the sum of the
// exponentials and ∂J/∂z, vectorised with math.Exp's own operations, so
// that every value is the generic loop's bit for bit; the loss is summed
// here in the same order.
func softmaxCrossEntropy32(dz, logits []float32, labels []uint8, pred []uint8, classes int, scale float64) (loss float64, correct int) {
	const chunk = 64
	var m, s [chunk]float64
	var arg [chunk]int32
	for r0 := 0; r0 < len(labels); r0 += chunk {
		rows := min(chunk, len(labels)-r0)
		z := logits[r0*classes : (r0+rows)*classes]
		var d []float32
		if dz != nil {
			d = dz[r0*classes : (r0+rows)*classes]
		}
		kernels.Softmax(d, z, rows, classes, scale, m[:], s[:], arg[:])
		for r, y := range labels[r0 : r0+rows] {
			loss += m[r] + math.Log(s[r]) - float64(z[r*classes+int(y)])
			if arg[r] == int32(y) {
				correct++
			}
			if pred != nil {
				pred[r0+r] = uint8(arg[r])
			}
			if d != nil {
				d[r*classes+int(y)] -= float32(scale)
			}
		}
	}
	return loss, correct
}
