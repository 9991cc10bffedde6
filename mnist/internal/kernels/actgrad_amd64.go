//go:build !purego

package kernels

// sigmoidGrad256, tanhGrad256 and reluGrad256 do the work of SigmoidGrad,
// TanhGrad and ReLUGrad on n elements, n a multiple of 8 (AVX2).
//
//go:noescape
func sigmoidGrad256(n int, d, a *float32)

//go:noescape
func tanhGrad256(n int, d, a *float32)

//go:noescape
func reluGrad256(n int, d, a *float32)

// gradVec runs the vector kernel on the first n &^ 7 elements and the Go
// loop on the rest; len(a) == len(d).
func gradVec(d, a []float32, vec func(int, *float32, *float32), tail func(d, a []float32)) {
	done := 0
	if currentImpl() != implPortable {
		done = len(d) &^ 7
		if done > 0 {
			vec(done, &d[0], &a[0])
		}
	}
	if done < len(d) {
		tail(d[done:], a[done:])
	}
}

func sigmoidGrad(d, a []float32) { gradVec(d, a, sigmoidGrad256, sigmoidGradGo) }
func tanhGrad(d, a []float32)    { gradVec(d, a, tanhGrad256, tanhGradGo) }
func reluGrad(d, a []float32)    { gradVec(d, a, reluGrad256, reluGradGo) }
