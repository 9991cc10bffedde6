//go:build !purego

package kernels

// sigmoidBias256 sets y[i] = 1/(1+e^-(y[i]+b[i])) for i < n (AVX2+FMA;
// same algorithm and accuracy as sigmoid32); sigmoidBias512 is the same
// with AVX-512, bit for bit.
//
//go:noescape
func sigmoidBias256(n int, y *float32, b *float32)

//go:noescape
func sigmoidBias512(n int, y *float32, b *float32)

// sigmoidRow sets row[j] = σ(row[j] + b[j]); len(b) == len(row) > 0.
func sigmoidRow(row, b []float32) {
	switch currentImpl() {
	case implPortable:
		sigmoidRowGo(row, b)
	case implAVX512:
		sigmoidBias512(len(row), &row[0], &b[0])
	default:
		sigmoidBias256(len(row), &row[0], &b[0])
	}
}

// tanhBias256 sets y[i] = tanh(y[i]+b[i]) for i < n (AVX2+FMA; same
// algorithm and accuracy as tanh32); tanhBias512 is the same with AVX-512,
// bit for bit.
//
//go:noescape
func tanhBias256(n int, y *float32, b *float32)

//go:noescape
func tanhBias512(n int, y *float32, b *float32)

// tanhRow sets row[j] = tanh(row[j] + b[j]); len(b) == len(row) > 0.
func tanhRow(row, b []float32) {
	switch currentImpl() {
	case implPortable:
		tanhRowGo(row, b)
	case implAVX512:
		tanhBias512(len(row), &row[0], &b[0])
	default:
		tanhBias256(len(row), &row[0], &b[0])
	}
}

// reluBias512 sets y[i] = max(0, y[i]+b[i]) as reluRowGo does, bit for
// bit (AVX-512).
//
//go:noescape
func reluBias512(n int, y *float32, b *float32)

// reluRow sets row[j] = max(0, row[j] + b[j]); len(b) == len(row) > 0.
func reluRow(row, b []float32) {
	if currentImpl() == implAVX512 {
		reluBias512(len(row), &row[0], &b[0])
		return
	}
	reluRowGo(row, b)
}
