//go:build !amd64 || purego

package kernels

func axpySigmoid(dst, q, p []float32, a float32) { axpySigmoidGo(dst, q, p, a) }
