//go:build !amd64 || purego

package kernels

func sigmoid2Pair(d0, d1, q, p, r []float32, a float32) { sigmoid2PairGo(d0, d1, q, p, r, a) }

func exp2Scaled(dst, p []float32, s float32) float32 { return exp2ScaledGo(dst, p, s) }
