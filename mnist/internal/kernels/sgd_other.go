//go:build !amd64 || purego

package kernels

// FastSGD reports whether SGD and SGDOuter run vectorised.
func FastSGD() bool { return false }

func sgd(theta, grad []float32, lr float32) Norms { return sgdGo(theta, grad, lr) }

func sgdOuter(theta []float32, ldt int, a, b []float32, lr float32) Norms {
	return sgdOuterGo(theta, ldt, a, b, lr)
}

func sgdOuterDot(theta []float32, ldt int, a, b []float32, lr float32, x2, z []float32) Norms {
	return sgdOuterDotGo(theta, ldt, a, b, lr, x2, z)
}
