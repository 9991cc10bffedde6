//go:build !purego

package kernels

// sgd512 and sgdOuter512 are SGD and SGDOuter with AVX-512; see their
// assembly.
//
//go:noescape
func sgd512(n int, theta, grad *float32, neglr float32, out *[3]float64)

//go:noescape
func sgdOuter512(m, n int, theta *float32, ldt int, a, b *float32, neglr float32, out *[3]float64)

//go:noescape
func sgdOuterDot512(m, n int, theta *float32, ldt int, a, b *float32, neglr float32, out *[3]float64, x2, z *float32)

// FastSGD reports whether SGD and SGDOuter run vectorised.
func FastSGD() bool { return currentImpl() == implAVX512 }

func sgd(theta, grad []float32, lr float32) Norms {
	if len(theta) == 0 {
		return Norms{}
	}
	if !FastSGD() {
		return sgdGo(theta, grad, lr)
	}
	var out [3]float64
	sgd512(len(theta), &theta[0], &grad[0], -lr, &out)
	return Norms{out[0], out[1], out[2]}
}

func sgdOuter(theta []float32, ldt int, a, b []float32, lr float32) Norms {
	if !FastSGD() {
		return sgdOuterGo(theta, ldt, a, b, lr)
	}
	var out [3]float64
	sgdOuter512(len(a), len(b), &theta[0], ldt, &a[0], &b[0], -lr, &out)
	return Norms{out[0], out[1], out[2]}
}

func sgdOuterDot(theta []float32, ldt int, a, b []float32, lr float32, x2, z []float32) Norms {
	if !FastSGD() {
		return sgdOuterDotGo(theta, ldt, a, b, lr, x2, z)
	}
	var out [3]float64
	sgdOuterDot512(len(a), len(b), &theta[0], ldt, &a[0], &b[0], -lr, &out, &x2[0], &z[0])
	return Norms{out[0], out[1], out[2]}
}
