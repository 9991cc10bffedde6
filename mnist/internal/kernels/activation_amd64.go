//go:build !purego

package kernels

// sigmoidBias256 sets y[i] = 1/(1+e^-(y[i]+b[i])) for i < n (AVX2+FMA;
// same algorithm and accuracy as sigmoid32).
//
//go:noescape
func sigmoidBias256(n int, y *float32, b *float32)

// sigmoidRow sets row[j] = σ(row[j] + b[j]); len(b) == len(row) > 0.
func sigmoidRow(row, b []float32) {
	if currentImpl() == implPortable {
		sigmoidRowGo(row, b)
		return
	}
	sigmoidBias256(len(row), &row[0], &b[0])
}

// tanhBias256 sets y[i] = tanh(y[i]+b[i]) for i < n (AVX2+FMA; same
// algorithm and accuracy as tanh32).
//
//go:noescape
func tanhBias256(n int, y *float32, b *float32)

// tanhRow sets row[j] = tanh(row[j] + b[j]); len(b) == len(row) > 0.
func tanhRow(row, b []float32) {
	if currentImpl() == implPortable {
		tanhRowGo(row, b)
		return
	}
	tanhBias256(len(row), &row[0], &b[0])
}
