//go:build !amd64 || purego

package kernels

// sigmoidRow sets row[j] = σ(row[j] + b[j]); len(b) == len(row) > 0.
func sigmoidRow(row, b []float32) { sigmoidRowGo(row, b) }
