package mnist

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/diff/fd"
)

// dataDir is where `make data` puts MNIST, seen from this package.
var dataDir = filepath.Join("..", "data", "mnist")

// realData loads MNIST, or skips the test when it is not there (outside CI).
func realData(t testing.TB) (train, test *Dataset) {
	t.Helper()
	train, test, err := Load(dataDir)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return train, test
}

// randomData makes n images of random pixels with random labels.
func randomData(n int, seed uint64) *Dataset {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := &Dataset{Images: make([]uint8, n*InputSize), Labels: make([]uint8, n), N: n}
	for i := range d.Images {
		d.Images[i] = uint8(rng.IntN(256))
	}
	for i := range d.Labels {
		d.Labels[i] = uint8(rng.IntN(10))
	}
	return d
}

func seq(n int) []int32 {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	return idx
}

// TestGradientFiniteDifferences checks every backward pass against central
// differences of the loss on a tiny two-hidden-layer network.
func TestGradientFiniteDifferences(t *testing.T) {
	data := randomData(5, 3)
	idx := seq(5)
	for _, act := range Activations() {
		t.Run(string(act), func(t *testing.T) {
			net, err := NewNet[float64](Arch{Hidden: []int{4, 3}, Activation: act}, 7)
			if err != nil {
				t.Fatal(err)
			}
			// Larger weights than the default, so that every unit matters.
			for i := range net.Params {
				net.Params[i] *= 3
			}
			net.Loss(data, idx)
			analytic := append([]float64(nil), net.Grads...)
			theta := append([]float64(nil), net.Params...)
			loss := func(p []float64) float64 {
				copy(net.Params, p)
				l, _ := net.Loss(data, idx)
				return l
			}
			numeric := fd.Gradient(nil, loss, theta, &fd.Settings{Formula: fd.Central, Step: 1e-5})
			worst := 0.0
			for i := range numeric {
				d := math.Abs(numeric[i]-analytic[i]) / math.Max(1e-4, math.Abs(numeric[i])+math.Abs(analytic[i]))
				worst = math.Max(worst, d)
			}
			if worst > 1e-5 {
				t.Errorf("%s: worst relative gradient error %.3g, want < 1e-5", act, worst)
			}
		})
	}
}

// TestChunkedBatchEqualsWhole checks that a batch larger than chunkRows, which
// goes through the network in chunks, gives the gradient of the whole batch.
func TestChunkedBatchEqualsWhole(t *testing.T) {
	n := chunkRows + 77
	data := randomData(n, 5)
	arch := Arch{Hidden: []int{8}, Activation: Tanh}
	a, _ := NewNet[float64](arch, 1)
	lossA, _ := a.Loss(data, seq(n))
	// The same sum, assembled by hand from two halves weighted by their sizes.
	b, _ := NewNet[float64](arch, 1)
	l1, _ := b.Loss(data, seq(n)[:600])
	g1 := append([]float64(nil), b.Grads...)
	l2, _ := b.Loss(data, seq(n)[600:])
	w1, w2 := 600/float64(n), float64(n-600)/float64(n)
	if got := w1*l1 + w2*l2; math.Abs(got-lossA) > 1e-12 {
		t.Errorf("loss %v, want %v", lossA, got)
	}
	for i := range g1 {
		want := w1*g1[i] + w2*b.Grads[i]
		if math.Abs(a.Grads[i]-want) > 1e-12*(1+math.Abs(want)) {
			t.Fatalf("grad[%d] = %v, want %v", i, a.Grads[i], want)
		}
	}
}

func TestInitLikePyTorch(t *testing.T) {
	net, _ := NewNet[float64](DefaultArch(), 42)
	again, _ := NewNet[float64](DefaultArch(), 42)
	other, _ := NewNet[float64](DefaultArch(), 43)
	if len(net.Params) != 79510 {
		t.Fatalf("%d parameters, want 79510", len(net.Params))
	}
	same, diff := true, false
	for i, v := range net.Params {
		same = same && v == again.Params[i]
		diff = diff || v != other.Params[i]
	}
	if !same || !diff {
		t.Errorf("seeded init: same seed equal = %v, other seed differs = %v", same, diff)
	}
	// Layer 1 is uniform in ±1/√784 = ±1/28, layer 2 in ±1/√100 = ±0.1.
	for _, c := range []struct {
		vals  []float64
		bound float64
	}{{net.layers[0].w, 1.0 / 28}, {net.layers[1].w, 0.1}, {net.layers[1].b, 0.1}} {
		lo, hi := c.vals[0], c.vals[0]
		for _, v := range c.vals {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		filled := len(c.vals) < 1000 || hi > 0.9*c.bound && lo < -0.9*c.bound
		if lo < -c.bound || hi > c.bound || !filled {
			t.Errorf("values in [%v, %v], want filling ±%v", lo, hi, c.bound)
		}
	}
}

func TestSoftmaxCrossEntropyIsStable(t *testing.T) {
	logits := []float64{1000, 0, -1000, 0, 0, 0, 0, 0, 0, 0}
	dz := make([]float64, 10)
	loss, correct := softmaxCrossEntropy(dz, logits, []uint8{1}, nil, 10, 1)
	if loss != 1000 || correct != 0 || dz[0] != 1 || dz[1] != -1 {
		t.Errorf("loss %v correct %d dz %v, want 1000, 0, [1 -1 0…]", loss, correct, dz)
	}
}
