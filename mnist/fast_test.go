package mnist

import (
	"math/rand/v2"
	"testing"
)

// TestGatherFusedEqualsTable checks that the kernels' normalisation gives
// the table's float32 for every pixel, bit for bit, with and without the
// images to prefetch.
func TestGatherFusedEqualsTable(t *testing.T) {
	data := randomData(300, 9)
	for u := range 256 { // every value occurs
		data.Images[u] = uint8(u)
	}
	fast, _ := NewNet[float32](DefaultArch(), 1)
	if !fast.fusedNorm {
		t.Fatal("the fused normalisation does not reproduce the table for MNIST's mean and std")
	}
	ref, _ := NewNet[float32](DefaultArch(), 1)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, rows := range []int{1, 2, 5, 64, 300} {
		idx := make([]int32, rows)
		for i := range idx {
			idx[i] = int32(rng.IntN(data.N))
		}
		idx[0] = 0
		fast.reserve(rows)
		ref.reserve(rows)
		fast.gatherNext(data, idx, idx[:min(rows, 7)])
		ref.gather(data, idx)
		for i := range rows * InputSize {
			if fast.ws.x[i] != ref.ws.x[i] {
				t.Fatalf("%d rows: x[%d] = %v, want %v", rows, i, fast.ws.x[i], ref.ws.x[i])
			}
		}
	}
}
