//go:build !amd64 || purego

package kernels

func sigmoid2Quad(d *[4][]float32, q, p, r []float32, a float32) { sigmoid2QuadGo(d, q, p, r, a) }

func exp2Scaled(dst, p []float32, s float32) float32 { return exp2ScaledGo(dst, p, s) }
