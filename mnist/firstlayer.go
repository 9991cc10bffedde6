package mnist

import (
	"descent/mnist/internal/kernels"
	"descent/mnist/internal/phase"
)

// The first layer of a training step computes z₁ = x·W₁ᵀ for a batch x of
// (B, 784) and W₁ of (out, 784). Taken as it stands, the kernels must pack
// W₁ᵀ, 784 × out floats, at every step. Its transpose z₁ᵀ = W₁·xᵀ reads W₁
// in place and needs only xᵀ, which is smaller for the report's network and
// moves in whole 16×16 blocks (where the kernels have them, see
// kernels.FastTranspose). The sums are the same, term by term and in the
// same order, so z₁ is the same bit for bit; it is transposed back before
// the bias and the activation.

// transposedMinRows is the smallest batch whose first layer is computed
// transposed: below it xᵀ has too few columns to fill the kernels' vectors.
const transposedMinRows = 16

// transposedBlock is the most rows transposed and multiplied at once: xᵀ
// and z₁ᵀ of a larger chunk would not stay in the core's cache between the
// transposes and the product.
const transposedBlock = 256

// firstTransposed reports whether layer 0 of a batch of rows is computed as
// z₁ᵀ = W₁·xᵀ. Only a hidden layer is: logits get their bias inside the
// product, which the transposed form would add in another order.
func (n *Net[T]) firstTransposed(rows int) bool {
	return fastPaths && is32[T]() && len(n.layers) > 1 && rows >= transposedMinRows && kernels.FastTranspose()
}

// forwardFirstTransposed is forwardLayer(0) as z₁ᵀ = W₁·xᵀ: x is (B, 784),
// y is (B, out).
func (n *Net[T]) forwardFirstTransposed(batch int, x, y []T) {
	ly := n.layers[0]
	for r0 := 0; r0 < batch; r0 += transposedBlock {
		rows := min(transposedBlock, batch-r0)
		xt := f32(n.ws.xt[:InputSize*rows]) // (784, rows)
		zt := f32(n.ws.zt[:ly.out*rows])    // (out, rows)
		kernels.Transpose(xt, rows, f32(x[r0*InputSize:]), InputSize, rows, InputSize)
		kernels.Sgemm(false, false, ly.out, rows, InputSize, 1, f32(ly.w), InputSize, xt, rows, 0, zt, rows)
		kernels.Transpose(f32(y[r0*ly.out:]), ly.out, zt, rows, ly.out, rows)
	}
	phase.Mark(phase.Forward(0)) // the transposes are the product's packing
	addBiasActivation(n.Arch.Activation, f32(y), batch, ly.out, f32(ly.b))
	phase.Mark(phase.Activation)
}
