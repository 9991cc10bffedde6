package mnist

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// plainLoss is the reference: the network at θ(a, b) = Origin + a·X + b·Y,
// built in float64 and evaluated by Evaluate on the first n images.
func plainLoss(t *testing.T, p *Plane, d *Dataset, n int, a, b float64) (loss, acc float64) {
	t.Helper()
	net := newNet[float64](p.Arch)
	copy(net.Params, p.At(a, b))
	loss, acc, _ = net.Evaluate(d, n)
	return loss, acc
}

// planeModel is a small network with a random plane around it.
func planeModel(t *testing.T, arch Arch, seed uint64) (*Model, *Plane) {
	t.Helper()
	m := testModel(t, arch, seed, 1)
	p, err := RandomPlane(m, seed+100)
	if err != nil {
		t.Fatal(err)
	}
	return m, p
}

var sliceArchs = []Arch{
	{Hidden: []int{7}, Activation: Sigmoid},
	{Hidden: []int{6}, Activation: ReLU},
	{Hidden: []int{5, 4}, Activation: Tanh},
	{Hidden: []int{9, 3}, Activation: Sigmoid},
}

func TestRandomPlaneIsFilterNormalized(t *testing.T) {
	for _, arch := range sliceArchs {
		m, p := planeModel(t, arch, 3)
		for d, dir := range [][]float64{p.X, p.Y} {
			for l, ly := range layout(arch) {
				for r := range ly.out {
					w, got := p.Origin[ly.w+r*ly.in:ly.w+(r+1)*ly.in], dir[ly.w+r*ly.in:ly.w+(r+1)*ly.in]
					if want := norm2(w); math.Abs(norm2(got)-want) > 1e-12*want {
						t.Errorf("%s: direction %d, layer %d, row %d has norm %g, want the weights' %g", arch, d, l+1, r, norm2(got), want)
					}
				}
				if b := dir[ly.b : ly.b+ly.out]; slices.ContainsFunc(b, func(v float64) bool { return v != 0 }) {
					t.Errorf("%s: direction %d moves layer %d's biases: %v", arch, d, l+1, b)
				}
			}
		}
		again, _ := RandomPlane(m, 103)
		other, _ := RandomPlane(m, 104)
		if !slices.Equal(again.X, p.X) || slices.Equal(other.X, p.X) {
			t.Errorf("%s: the same seed must give the same plane, another seed another", arch)
		}
		if c := dot(p.X, p.Y) / (norm2(p.X) * norm2(p.Y)); math.Abs(c) > 0.2 {
			t.Errorf("%s: cos(δ, η) = %.3f; random directions should be nearly orthogonal", arch, c)
		}
	}
}

// TestSliceCenterIsTheLoss: at a = b = 0 the slice is the network's own loss
// and accuracy on the probe set, to 1e-9 in float64.
func TestSliceCenterIsTheLoss(t *testing.T) {
	data := randomData(700, 5)
	for _, arch := range sliceArchs {
		m, p := planeModel(t, arch, 9)
		s, err := NewSlicer[float64](p, Probe{data, 600}, Probe{data, 90})
		if err != nil {
			t.Fatal(err)
		}
		for _, grid := range []int{5, 4} { // 4: (0, 0) is not a grid point
			sl, err := s.Compute(context.Background(), SliceOptions{Grid: grid, Range: 0.5, Preview: 3}, nil)
			if err != nil {
				t.Fatal(err)
			}
			net, _ := NetFrom[float64](m)
			for _, c := range []struct {
				n           int
				got, gotAcc float64
			}{{600, sl.Center, sl.CenterAccuracy}, {90, sl.TestCenter, sl.TestCenterAccuracy}} {
				want, acc, _ := net.Evaluate(data, c.n)
				if math.Abs(c.got-want) > 1e-9*want || c.gotAcc != acc {
					t.Errorf("%s, grid %d, %d images: centre %.15g (accuracy %g), want L(θ) = %.15g (%g)", arch, grid, c.n, c.got, c.gotAcc, want, acc)
				}
			}
		}
	}
}

// TestFastSliceEqualsPlain compares the slice with the plain computation at
// random grid points: to 1e-12 in float64, to float32's precision in float32.
func TestFastSliceEqualsPlain(t *testing.T) {
	data := randomData(520, 6)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, arch := range sliceArchs {
		_, p := planeModel(t, arch, 11)
		opts := SliceOptions{Grid: 9, Domain: [4]float64{-3, 2, -1, 4}, Preview: 4, PreviewShare: 0.3}
		s64, _ := NewSlicer[float64](p, Probe{data, 520})
		s32, _ := NewSlicer[float32](p, Probe{data, 520})
		sl64, err := s64.Compute(context.Background(), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		sl32, err := s32.Compute(context.Background(), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 6 {
			i, j := rng.IntN(9), rng.IntN(9)
			want, acc := plainLoss(t, p, data, 520, sl64.A[i], sl64.B[j])
			if got := sl64.Loss[j][i]; math.Abs(got-want) > 1e-12*want || sl64.Accuracy[j][i] != acc {
				t.Errorf("%s float64 at (%g, %g): %.15g (accuracy %g), plain %.15g (%g)", arch, sl64.A[i], sl64.B[j], got, sl64.Accuracy[j][i], want, acc)
			}
			if got := sl32.Loss[j][i]; math.Abs(got-want) > 2e-5*want || math.Abs(sl32.Accuracy[j][i]-acc) > 2.0/520 {
				t.Errorf("%s float32 at (%g, %g): %.8g (accuracy %g), plain %.8g (%g)", arch, sl64.A[i], sl64.B[j], got, sl32.Accuracy[j][i], want, acc)
			}
		}
	}
}

// TestSliceLargeLogits takes points far out, where the logits are in the
// hundreds: the shifted cross-entropy must stay finite and exact.
func TestSliceLargeLogits(t *testing.T) {
	data := randomData(300, 8)
	_, p := planeModel(t, Arch{Hidden: []int{8}, Activation: ReLU}, 2)
	s, _ := NewSlicer[float32](p, Probe{data, 300})
	pts := [][2]float64{{40, -30}, {-60, 10}, {0, 0}}
	got, err := s.Points(context.Background(), pts)
	if err != nil {
		t.Fatal(err)
	}
	for k, pt := range pts {
		want, acc := plainLoss(t, p, data, 300, pt[0], pt[1])
		if l := got[k][0][0]; math.Abs(l-want) > 2e-5*want || math.Abs(got[k][0][1]-acc) > 2.0/300 {
			t.Errorf("at %v: loss %.8g (accuracy %g), plain %.8g (%g)", pt, l, got[k][0][1], want, acc)
		}
	}
}

// TestSliceFrames checks the order and content of the frames: the preview's
// rows at the preview's columns first, then every full row, and the full
// pass completing the preview's points to exactly what a slice without a
// preview computes; several workers give the same numbers.
func TestSliceFrames(t *testing.T) {
	data := randomData(1100, 4)
	_, p := planeModel(t, Arch{Hidden: []int{6}, Activation: Sigmoid}, 5)
	s, _ := NewSlicer[float32](p, Probe{data, 1100})
	var frames []Frame
	sl, err := s.Compute(context.Background(), SliceOptions{Grid: 9, Preview: 3}, func(f Frame) { frames = append(frames, f) })
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 3+9 {
		t.Fatalf("%d frames, want 3 preview rows and 9 full rows", len(frames))
	}
	for k, f := range frames[:3] {
		if f.Pass != PassPreview || f.Row != []int{0, 4, 8}[k] || !slices.Equal(f.Cols, []int{0, 4, 8}) || len(f.Loss) != 3 ||
			f.Examples >= 1100 || f.RowsDone != k+1 || f.Rows != 3 {
			t.Errorf("preview frame %d: %+v", k, f)
		}
	}
	for k, f := range frames[3:] {
		if f.Pass != PassFull || f.Row != k || f.Cols != nil || len(f.Loss) != 9 || f.Examples != 1100 || f.RowsDone != k+1 {
			t.Errorf("full frame %d: pass %d row %d cols %v, %d values, %d images", k, f.Pass, f.Row, f.Cols, len(f.Loss), f.Examples)
		}
		if !slices.Equal(f.Loss, sl.Loss[f.Row]) {
			t.Errorf("full frame of row %d differs from the slice", f.Row)
		}
	}
	plain, _ := s.Compute(context.Background(), SliceOptions{Grid: 9, Preview: -1}, nil)
	two, _ := s.Compute(context.Background(), SliceOptions{Grid: 9, Preview: 3, Workers: 2, Background: true}, nil)
	for j := range 9 {
		if !slices.Equal(sl.Loss[j], plain.Loss[j]) || !slices.Equal(sl.Accuracy[j], plain.Accuracy[j]) {
			t.Errorf("row %d with a preview %v, without %v", j, sl.Loss[j], plain.Loss[j])
		}
		if !slices.Equal(sl.Loss[j], two.Loss[j]) {
			t.Errorf("row %d on two workers %v, on one %v", j, two.Loss[j], sl.Loss[j])
		}
	}
}

func TestSliceCancel(t *testing.T) {
	data := randomData(400, 4)
	_, p := planeModel(t, Arch{Hidden: []int{6}, Activation: Sigmoid}, 5)
	s, _ := NewSlicer[float32](p, Probe{data, 400})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	sl, err := s.Compute(ctx, SliceOptions{Grid: 7, Preview: -1}, func(Frame) {
		if n++; n == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) || sl == nil {
		t.Fatalf("Compute after cancel = %v, %v", sl, err)
	}
	if math.IsNaN(sl.Loss[1][3]) || !math.IsNaN(sl.Loss[5][3]) {
		t.Errorf("partial slice: row 1 %v, row 5 %v; want the first rows only", sl.Loss[1], sl.Loss[5])
	}
}

func TestSliceRefusesBadInput(t *testing.T) {
	data := randomData(50, 1)
	m, p := planeModel(t, Arch{Hidden: []int{4}, Activation: Sigmoid}, 1)
	if _, err := NewSlicer[float32](p, Probe{data, 51}); err == nil {
		t.Error("NewSlicer took more images than the set has")
	}
	if _, err := NewSlicer[float32](p); err == nil {
		t.Error("NewSlicer took no probe set")
	}
	wide, _ := RandomPlane(&Model{Arch: Arch{Hidden: []int{4096}, Activation: ReLU}, Params: make([]float32, Arch{Hidden: []int{4096}, Activation: ReLU}.NumParams())}, 1)
	big := &Dataset{Images: make([]uint8, 10000*InputSize), Labels: make([]uint8, 10000), N: 10000}
	if _, err := NewSlicer[float32](wide, Probe{big, 10000}); err == nil {
		t.Error("NewSlicer took 491 MB of products")
	}
	s, _ := NewSlicer[float32](p, Probe{data, 50})
	for _, o := range []SliceOptions{{Grid: 1}, {Grid: 1000}, {Range: -1}, {Range: math.Inf(1)},
		{Domain: [4]float64{1, 0, 0, 1}}, {Domain: [4]float64{0, 1, math.NaN(), 1}}, {PreviewShare: 2}} {
		if _, err := s.Compute(context.Background(), o, nil); err == nil {
			t.Errorf("Compute took %+v", o)
		}
	}
	_ = m
}

// TestLineEndsAreTheModels: t = 0 and t = 1 of the line are θ₀'s and θ₁'s
// own loss and accuracy, on the training and on the test images, and every
// t is the plain network at (1 − t)·θ₀ + t·θ₁.
func TestLineEndsAreTheModels(t *testing.T) {
	train, test := randomData(400, 2), randomData(150, 3)
	arch := Arch{Hidden: []int{7}, Activation: Sigmoid}
	n0, _ := NewNet[float32](arch, 1)
	n1, _ := NewNet[float32](arch, 2)
	c, err := Line(context.Background(), arch, n0.Params, n1.Params, Probe{train, 400}, Probe{test, 150}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.T) != 41 || c.T[10] != 0 || c.T[30] != 1 || c.T[0] != -0.5 || c.T[40] != 1.5 {
		t.Fatalf("t = %v", c.T)
	}
	p, _ := LinePlane(arch, n0.Params, n1.Params)
	for _, k := range []int{0, 10, 23, 30, 40} {
		for _, set := range []struct {
			d         *Dataset
			n         int
			loss, acc []float64
		}{{train, 400, c.TrainLoss, c.TrainAccuracy}, {test, 150, c.TestLoss, c.TestAccuracy}} {
			want, acc := plainLoss(t, p, set.d, set.n, c.T[k], 0)
			if math.Abs(set.loss[k]-want) > 2e-5*want || math.Abs(set.acc[k]-acc) > 1.5/float64(set.n) {
				t.Errorf("t = %g on %d images: loss %g (accuracy %g), plain %g (%g)", c.T[k], set.n, set.loss[k], set.acc[k], want, acc)
			}
		}
	}
	for k, m := range map[int]*Net[float32]{10: n0, 30: n1} {
		want, acc, _ := m.Evaluate(test, 150)
		if math.Abs(c.TestLoss[k]-want) > 2e-5*want || math.Abs(c.TestAccuracy[k]-acc) > 1.5/150 {
			t.Errorf("t = %g: test loss %g (accuracy %g), the model's own %g (%g)", c.T[k], c.TestLoss[k], c.TestAccuracy[k], want, acc)
		}
	}
}
