//go:build !amd64 || purego

package kernels

func hasSigmoid2Mul(m int) bool { return false }

func axpySigmoid2MulFast(z, wt, b, q, p []float32, a float32, m, h, n int) bool { return false }
