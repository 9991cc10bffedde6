package mnist

import (
	"context"
	"math/rand/v2"
	"slices"
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

// withGeneric runs f with the fast paths off: the generic code that they
// must reproduce.
func withGeneric(f func()) {
	fastPaths = false
	defer func() { fastPaths = true }()
	f()
}

// fastCases are the shapes the fast paths are tested on: odd and tiny
// layers, two hidden layers, none, every activation.
var fastCases = []Arch{
	DefaultArch(),
	{Hidden: []int{16}, Activation: Sigmoid},
	{Hidden: []int{1}, Activation: Tanh},
	{Hidden: []int{17}, Activation: ReLU},
	{Hidden: []int{33, 7}, Activation: Tanh},
	{Hidden: []int{100, 10}, Activation: ReLU},
	{Hidden: nil, Activation: Sigmoid},
}

// TestFastLossEqualsGeneric checks that Loss, gradients and all, is the
// same bit for bit with the fast paths as with the generic code, on every
// shape and at batch sizes around the kernels' thresholds (8 rows of
// softmax, 16 rows for the transposed first layer), and that Evaluate is.
func TestFastLossEqualsGeneric(t *testing.T) {
	data := randomData(600, 4)
	for _, arch := range fastCases {
		for _, rows := range []int{1, 2, 7, 8, 15, 16, 17, 31, 64, 100, 256, 257, 600} {
			fast, _ := NewNet[float32](arch, 3)
			ref, _ := NewNet[float32](arch, 3)
			idx := seq(rows)
			lf, cf := fast.Loss(data, idx)
			var lr float64
			var cr int
			withGeneric(func() { lr, cr = ref.Loss(data, idx) })
			if lf != lr || cf != cr {
				t.Fatalf("%s, %d rows: loss %v (%d right), generic %v (%d)", arch, rows, lf, cf, lr, cr)
			}
			for i := range fast.Grads {
				if fast.Grads[i] != ref.Grads[i] {
					t.Fatalf("%s, %d rows: grad[%d] = %v, generic %v", arch, rows, i, fast.Grads[i], ref.Grads[i])
				}
			}
		}
		fast, _ := NewNet[float32](arch, 5)
		ref, _ := NewNet[float32](arch, 5)
		l1, a1, c1 := fast.Evaluate(data, 0)
		var l2, a2 float64
		var c2 [10][10]int
		withGeneric(func() { l2, a2, c2 = ref.Evaluate(data, 0) })
		if l1 != l2 || a1 != a2 || c1 != c2 {
			t.Fatalf("%s: Evaluate %v %v, generic %v %v", arch, l1, a1, l2, a2)
		}
	}
}

// TestFusedSGDEqualsOptim trains with plain SGD through the fused steps and
// through optim's, on every shape, at batch 1 (the outer-product step) and
// larger: the weights must agree bit for bit, the page's norms within
// float32 roundings.
func TestFusedSGDEqualsOptim(t *testing.T) {
	data := randomData(96, 6)
	for _, arch := range fastCases {
		for _, batch := range []int{1, 3, 32} {
			c := DefaultConfig()
			c.Arch, c.Batch, c.Epochs, c.LR = arch, batch, 1, 0.3
			if batch == 1 { // two epochs: the next step's first product is made across steps, not epochs
				data := &Dataset{Images: data.Images[:20*InputSize], Labels: data.Labels[:20], N: 20}
				c.Epochs = 2
				checkFused(t, c, data)
				continue
			}
			checkFused(t, c, data)
		}
	}
}

func checkFused(t *testing.T, c Config, data *Dataset) {
	t.Helper()
	run := func() (*Trainer, []StepEvent) {
		tr, err := NewTrainer(c, data, data)
		if err != nil {
			t.Fatal(err)
		}
		var evs []StepEvent
		tr.Run(context.Background(), Hooks{Step: func(e StepEvent) { evs = append(evs, e) }})
		return tr, evs
	}
	fast, fe := run()
	var ref *Trainer
	var re []StepEvent
	withGeneric(func() { ref, re = run() })
	if !slices.Equal(fast.net.Params, ref.net.Params) {
		t.Fatalf("%s batch %d: weights differ from optim's SGD", c.Arch, c.Batch)
	}
	for i := range fe {
		f, r := fe[i], re[i]
		if f.Loss != r.Loss || !near(f.GradNorm, r.GradNorm, 1e-5) || !near(f.UpdateRatio, r.UpdateRatio, 1e-5) {
			t.Fatalf("%s batch %d step %d: loss %v ‖g‖ %v ratio %v, optim %v %v %v",
				c.Arch, c.Batch, i+1, f.Loss, f.GradNorm, f.UpdateRatio, r.Loss, r.GradNorm, r.UpdateRatio)
		}
	}
}

// TestFusedSGDDivergesLikeOptim drives plain SGD into divergence at a huge
// rate: the fused steps, whose norms are summed in float32, must call the
// run diverged at the same step as optim's float64 norms do.
func TestFusedSGDDivergesLikeOptim(t *testing.T) {
	data := randomData(64, 7)
	for _, act := range Activations() {
		for _, batch := range []int{1, 8} {
			for _, lr := range []float64{30, 1000} {
				c := smallConfig()
				c.Arch.Activation, c.Batch, c.LR, c.Epochs = act, batch, lr, 20
				run := func() Result {
					tr, _ := NewTrainer(c, data, data)
					res, _ := tr.Run(context.Background(), Hooks{})
					return res
				}
				fast := run()
				var ref Result
				withGeneric(func() { ref = run() })
				if fast.Status != ref.Status || fast.DivergedAt != ref.DivergedAt {
					t.Errorf("%s batch %d lr %g: %s at step %d, optim's %s at %d", act, batch, lr,
						fast.Status, fast.DivergedAt, ref.Status, ref.DivergedAt)
				}
			}
		}
	}
}

// TestFusedSGDHugeWeights gives a sigmoid unit a bias of 1e20: it saturates,
// so the loss stays finite, but its square leaves float32's range, and the
// fused norms must be measured again in float64 to agree with optim's.
func TestFusedSGDHugeWeights(t *testing.T) {
	data := randomData(16, 8)
	for _, batch := range []int{1, 4} {
		c := smallConfig()
		c.Batch, c.Epochs = batch, 1
		run := func() (*Trainer, []StepEvent) {
			tr, _ := NewTrainer(c, data, data)
			tr.net.layers[0].b[0] = 1e20
			var evs []StepEvent
			res, _ := tr.Run(context.Background(), Hooks{Step: func(e StepEvent) { evs = append(evs, e) }})
			if res.Status != StatusDone {
				t.Fatalf("batch %d: %s", batch, res.StatusText())
			}
			return tr, evs
		}
		fast, fe := run()
		var ref *Trainer
		var re []StepEvent
		withGeneric(func() { ref, re = run() })
		if !slices.Equal(fast.net.Params, ref.net.Params) {
			t.Fatalf("batch %d: weights differ from optim's SGD", batch)
		}
		for i := range fe {
			if !near(fe[i].GradNorm, re[i].GradNorm, 1e-5) || !near(fe[i].UpdateRatio, re[i].UpdateRatio, 1e-3) {
				t.Fatalf("batch %d step %d: ‖g‖ %v ratio %v, optim %v %v", batch, i+1,
					fe[i].GradNorm, fe[i].UpdateRatio, re[i].GradNorm, re[i].UpdateRatio)
			}
		}
	}
}

// TestStepAllocatesNothing checks that a training step allocates nothing
// once its workspace exists, on every shape of the speed table's and with
// plain SGD and Adam, at batch 1 (the fused outer-product steps) and larger.
func TestStepAllocatesNothing(t *testing.T) {
	data := randomData(4500, 10)
	for _, arch := range fastCases {
		for _, opt := range []string{"sgd", "adam"} {
			for _, b := range []int{1, 64, 1100} {
				c := DefaultConfig()
				c.Arch, c.Optimizer, c.Batch = arch, opt, b
				tr, err := NewTrainer(c, data, data)
				if err != nil {
					t.Fatal(err)
				}
				tr.shuffle(1)
				i, batches := 0, len(tr.perm)/b
				step := func() {
					k := i % (batches - 1)
					tr.next = tr.perm[(k+1)*b : (k+2)*b]
					tr.step(tr.perm[k*b : (k+1)*b])
					i++
				}
				step()
				// The mean of 4 steps, rounded down: one allocation of another
				// goroutine (the runtime's, a test's) does not count, one a
				// step does.
				if n := testing.AllocsPerRun(4, step); n != 0 {
					t.Errorf("%s %s batch %d: %v allocations a step", arch, opt, b, n)
				}
			}
		}
	}
}
