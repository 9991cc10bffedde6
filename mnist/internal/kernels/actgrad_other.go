//go:build !amd64 || purego

package kernels

func sigmoidGrad(d, a []float32) { sigmoidGradGo(d, a) }
func tanhGrad(d, a []float32)    { tanhGradGo(d, a) }
func reluGrad(d, a []float32)    { reluGradGo(d, a) }
