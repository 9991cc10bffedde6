//go:build !purego

package kernels

// xent512 is CrossEntropyFM over blocks·16 images (AVX-512F), one image
// in each lane, for logits of row stride ld floats.
//
//go:noescape
func xent512(z *float32, ld, blocks, classes int, labels *uint8) (loss float64, correct int)

func crossEntropy(z []float32, classes int, labels []uint8) (loss float64, correct int) {
	n, done := len(labels), 0
	if currentImpl() == implAVX512 && n >= 16 {
		done = n &^ 15
		loss, correct = xent512(&z[0], n, done/16, classes, &labels[0])
	}
	if done < n {
		l, c := crossEntropyGo(z, classes, labels, done)
		loss, correct = loss+l, correct+c
	}
	return loss, correct
}
