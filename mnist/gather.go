package mnist

import (
	"math"

	"descent/mnist/internal/kernels"
)

// The report's normalisation x = (u/255 − Mean)/Std as one fused
// multiply-add in float64, x = u·normScale + normShift, which the kernels
// vectorise. For MNIST's Mean and Std it rounds to the table's float32 for
// every u (checked when a network is made; see fusedNormExact).
const (
	normScale = 1 / (255 * Std)
	normShift = -Mean / Std
)

// fastPaths enables the float32 training path's fused and reordered
// kernels (this file's gather, firstTransposed, softmaxCrossEntropy32,
// stepSGD), which compute what the generic code computes, bit for bit;
// tests turn it off to get the generic code as their reference.
var fastPaths = true

// prefetchAhead is how many images ahead of the one being normalised the
// gather asks the CPU to fetch: a random image of the training set is
// usually in main memory, and waiting for its 13 cache lines one at a time
// costs more than normalising it.
const prefetchAhead = 4

// prefetchNext is how many images of the next step's minibatch the gather
// asks for at its end when the first layer's product does not take them
// (see queueAhead): batch 1, and the generic path. They arrive while this
// step computes, and the next gather's own prefetches, prefetchAhead images
// ahead, take over from them. Asking for a whole minibatch at once would
// stall: the CPU tracks only a few dozen lines in flight.
const prefetchNext = 16

// fusedNormExact reports whether the fused form gives norm[u] for every u.
func fusedNormExact(norm *[256]float32) bool {
	for u, want := range norm {
		if float32(math.FMA(float64(u), normScale, normShift)) != want {
			return false
		}
	}
	return true
}

// gatherNext normalises the images idx of d into the workspace's input rows,
// and asks the CPU to fetch the first images of next, the minibatch that
// the following step will gather, so that they arrive while this step
// computes.
func (n *Net[T]) gatherNext(d *Dataset, idx, next []int32) {
	if !is32[T]() || !n.fusedNorm || !fastPaths {
		n.gather(d, idx)
		return
	}
	x := f32(n.ws.x)
	for r, i := range idx {
		if a := r + prefetchAhead; a < len(idx) {
			kernels.Prefetch(pixelsOf(d, idx[a]))
		}
		kernels.Normalize(x[r*InputSize:(r+1)*InputSize], pixelsOf(d, i), normScale, normShift)
	}
	for _, i := range next[:min(prefetchNext, len(next))] {
		kernels.Prefetch(pixelsOf(d, i))
	}
}

// pixelsOf returns the pixels of image i of d.
func pixelsOf(d *Dataset, i int32) []uint8 {
	return d.Images[int(i)*InputSize : (int(i)+1)*InputSize]
}

// queueAhead queues the images next, which the next step (or chunk) will
// gather, to be fetched while the first layer's weight gradient is
// computed: that product runs a few hundred micro-kernels, and a few lines
// asked for after each arrive without stalling. It returns the images the
// gather itself must still ask for: none where the product takes them.
func (n *Net[T]) queueAhead(d *Dataset, next []int32) []int32 {
	n.ahead.Clear()
	if !is32[T]() || !fastPaths {
		return next
	}
	for _, i := range next {
		n.ahead.Add(pixelsOf(d, i))
	}
	return nil
}
