package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestTranspose checks every path on every shape up to 20×20 and on the
// network's, with padded strides, and that nothing outside dst's matrix is
// written.
func TestTranspose(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 3))
		type shape struct{ rows, cols int }
		var shapes []shape
		for r := 1; r <= 20; r++ {
			for c := 1; c <= 20; c++ {
				shapes = append(shapes, shape{r, c})
			}
		}
		shapes = append(shapes, shape{64, 784}, shape{100, 64}, shape{16, 64}, shape{1024, 10}, shape{37, 129})
		for _, s := range shapes {
			for _, pad := range []int{0, 3} {
				lds, ldd := s.cols+pad, s.rows+2*pad
				src := randSlice(rng, s.rows*lds)
				dst := make([]float32, s.cols*ldd)
				for i := range dst {
					dst[i] = -7
				}
				Transpose(dst, ldd, src, lds, s.rows, s.cols)
				for j := range s.cols {
					for i := range ldd {
						want := float32(-7)
						if i < s.rows {
							want = src[i*lds+j]
						}
						if got := dst[j*ldd+i]; got != want {
							t.Fatalf("%d×%d pad %d: dst[%d][%d] = %v, want %v", s.rows, s.cols, pad, j, i, got, want)
						}
					}
				}
			}
		}
	})
}

func BenchmarkTranspose(b *testing.B) {
	for _, s := range []struct{ rows, cols int }{{64, 784}, {100, 64}} {
		src := make([]float32, s.rows*s.cols)
		dst := make([]float32, len(src))
		b.Run(Impl(), func(b *testing.B) {
			for b.Loop() {
				Transpose(dst, s.rows, src, s.cols, s.rows, s.cols)
			}
		})
	}
}
