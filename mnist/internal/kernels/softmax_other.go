//go:build !amd64 || purego

package kernels

func softmaxFast(dz, z []float32, rows, classes int, scale float64, m, s []float64, arg []int32) int {
	return 0
}
