//go:build !purego

package kernels

// xent512 is CrossEntropyFM over blocks·16 images (AVX-512F), one image
// in each lane, for logits of row stride ld floats.
//
//go:noescape
func xent512(z *float32, ld, blocks, classes int, labels *uint8) (loss float64, correct int)

// xent256 is xent512 for AVX2+FMA over blocks·8 images.
//
//go:noescape
func xent256(z *float32, ld, blocks, classes int, labels *uint8) (loss float64, correct int)

func crossEntropy(z []float32, classes int, labels []uint8) (loss float64, correct int) {
	n, done := len(labels), 0
	switch impl := currentImpl(); {
	case impl == implAVX512 && n >= 16:
		done = n &^ 15
		loss, correct = xent512(&z[0], n, done/16, classes, &labels[0])
	case impl == implAVX2 && n >= 8:
		done = n &^ 7
		loss, correct = xent256(&z[0], n, done/8, classes, &labels[0])
	}
	if done < n {
		l, c := crossEntropyGo(z, classes, labels, done)
		loss, correct = loss+l, correct+c
	}
	return loss, correct
}
