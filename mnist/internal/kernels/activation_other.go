//go:build !amd64 || purego

package kernels

// sigmoidRow sets row[j] = σ(row[j] + b[j]); len(b) == len(row) > 0.
func sigmoidRow(row, b []float32) { sigmoidRowGo(row, b) }

// tanhRow sets row[j] = tanh(row[j] + b[j]); len(b) == len(row) > 0.
func tanhRow(row, b []float32) { tanhRowGo(row, b) }

// reluRow sets row[j] = max(0, row[j] + b[j]); len(b) == len(row) > 0.
func reluRow(row, b []float32) { reluRowGo(row, b) }
