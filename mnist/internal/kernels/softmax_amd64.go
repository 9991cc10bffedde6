//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

// softmax8 does Softmax on 8 rows with AVX-512, one row in each float64
// lane: the rows are transposed into columns in registers (a gather per
// column is slow), every column is a vector, and ∂J/∂z is transposed back.
// e is the scratch for the columns. It reports
// false, having written nothing that counts, when a lane needs math.Exp's
// slow paths (an argument below about −708, an infinity or a NaN); the
// caller then does those rows with math.Exp.
//
//go:noescape
func softmax8(classes int, z *float32, dz *float32, scale float64, m, s *float64, arg *int32, e *float64) bool

// expFMA reports whether math.Exp takes the fused multiply-add path that
// softmax8 reproduces.
var expFMA = cpu.X86.HasAVX && cpu.X86.HasFMA

// softmaxFast does whole groups of 8 rows with softmax8 where it can and
// returns the number of rows done; the rest are left to softmaxGo.
func softmaxFast(dz, z []float32, rows, classes int, scale float64, m, s []float64, arg []int32) int {
	if currentImpl() != implAVX512 || !expFMA || classes > maxSoftmaxClasses {
		return 0
	}
	var e [8*maxSoftmaxClasses + 4*maxSoftmaxClasses]float64 // 16 columns of float64, then of float32
	done := rows &^ 7
	for r := 0; r < done; r += 8 {
		var d *float32
		if dz != nil {
			d = &dz[r*classes]
		}
		if !softmax8(classes, &z[r*classes], d, scale, &m[r], &s[r], &arg[r], &e[0]) {
			softmaxGo(dz, z, r, r+8, classes, scale, m, s, arg)
		}
	}
	return done
}

// maxSoftmaxClasses bounds the classes softmax8 takes: a row is one vector.
const maxSoftmaxClasses = 16
