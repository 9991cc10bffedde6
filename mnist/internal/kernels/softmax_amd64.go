//go:build !purego

package kernels

import "golang.org/x/sys/cpu"

// softmax8 does Softmax on 8 rows with AVX-512, one row in each float64
// lane, with e the scratch for their classes·8 exponentials. It reports
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
	var e [8 * maxSoftmaxClasses]float64
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

// maxSoftmaxClasses bounds the classes softmax8 takes (its scratch).
const maxSoftmaxClasses = 32
