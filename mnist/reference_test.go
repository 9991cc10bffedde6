package mnist

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"descent/optim"
)

// reference is testdata/mnist_onestep.json, computed with PyTorch in
// float64 on the first 64 training images.
type reference struct {
	Labels []uint8            `json:"labels"`
	Loss0  float64            `json:"loss0"`
	Row0   []float64          `json:"logits0_row0"`
	Grad0  map[string]summary `json:"grad0"`
	SGD    afterSteps         `json:"sgd_lr0.1"`
	Adam   afterSteps         `json:"adam_lr0.001"`
}

type summary struct {
	Sum   float64   `json:"sum"`
	SumSq float64   `json:"sumsq"`
	First []float64 `json:"first"`
}

type afterSteps struct {
	Losses []float64          `json:"losses_before_steps_1_2_3_and_after_3"`
	Params map[string]summary `json:"params_after_3"`
}

func loadReference(t *testing.T) reference {
	t.Helper()
	p := filepath.Join("testdata", "mnist_onestep.json")
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("reference data not found: %v (testdata/README.md)", err)
	}
	var ref reference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// patternNet sets the reference's deterministic integer-pattern weights:
// W1[i][j] = ((31i + 17j) mod 101 − 50)/1000, b1[i] = ((7i) mod 11 − 5)/100,
// W2[k][i] = ((13k + 29i) mod 97 − 48)/500,   b2[k] = (k mod 5 − 2)/50.
func patternNet[T optim.Float]() *Net[T] {
	n := newNet[T](DefaultArch())
	l1, l2 := n.layers[0], n.layers[1]
	for i := range 100 {
		for j := range 784 {
			l1.w[i*784+j] = T(float64((31*i+17*j)%101-50) / 1000)
		}
		l1.b[i] = T(float64((7*i)%11-5) / 100)
	}
	for k := range 10 {
		for i := range 100 {
			l2.w[k*100+i] = T(float64((13*k+29*i)%97-48) / 500)
		}
		l2.b[k] = T(float64(k%5-2) / 50)
	}
	return n
}

// parts names the slab's pieces as PyTorch's parameters() does.
func parts[T optim.Float](n *Net[T], slab []T) map[string][]T {
	off, m := 0, map[string][]T{}
	for l, ly := range n.layers {
		m[fmt.Sprintf("W%d", l+1)] = slab[off : off+ly.in*ly.out]
		off += ly.in * ly.out
		m[fmt.Sprintf("b%d", l+1)] = slab[off : off+ly.out]
		off += ly.out
	}
	return m
}

func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-3)
}

func checkSummary[T optim.Float](t *testing.T, what string, got []T, want summary, rel float64) {
	t.Helper()
	s, ss := 0.0, 0.0
	for _, v := range got {
		s += float64(v)
		ss += float64(v) * float64(v)
	}
	if !near(s, want.Sum, rel) || !near(ss, want.SumSq, rel) && want.SumSq != 0 {
		t.Errorf("%s: sum %v sumsq %v, want %v and %v (PyTorch)", what, s, ss, want.Sum, want.SumSq)
	}
	for i, w := range want.First {
		if !near(float64(got[i]), w, rel) {
			t.Errorf("%s[%d] = %v, want %v (PyTorch)", what, i, got[i], w)
		}
	}
}

func TestAgainstPyTorch(t *testing.T) {
	ref := loadReference(t)
	train, _ := realData(t)
	for i, l := range ref.Labels {
		if train.Labels[i] != l {
			t.Fatalf("label %d is %d, PyTorch saw %d", i, train.Labels[i], l)
		}
	}
	t.Run("float64", func(t *testing.T) { checkReference[float64](t, ref, train, 1e-12) })
	t.Run("float32", func(t *testing.T) { checkReference[float32](t, ref, train, 2e-5) })
}

func checkReference[T optim.Float](t *testing.T, ref reference, train *Dataset, rel float64) {
	idx := seq(64)
	n := patternNet[T]()
	loss, _ := n.Loss(train, idx)
	if !near(loss, ref.Loss0, rel) {
		t.Errorf("loss %v, want %v (PyTorch)", loss, ref.Loss0)
	}
	for j, w := range ref.Row0 {
		if got := float64(n.ws.acts[1][j]); !near(got, w, rel*10) {
			t.Errorf("logits[0][%d] = %v, want %v (PyTorch)", j, got, w)
		}
	}
	for name, p := range parts(n, n.Grads) {
		checkSummary(t, "∇"+name, p, ref.Grad0[name], rel*10)
	}
	for _, c := range []struct {
		name string
		lr   float64
		want afterSteps
	}{{"sgd", 0.1, ref.SGD}, {"adam", 0.001, ref.Adam}} {
		n := patternNet[T]()
		opt, err := optim.New[T](c.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		opt.SetLR(c.lr)
		for step := range 4 {
			loss, _ := n.Loss(train, idx)
			if !near(loss, c.want.Losses[step], rel) {
				t.Errorf("%s: loss before step %d = %v, want %v (PyTorch)", c.name, step+1, loss, c.want.Losses[step])
			}
			if step < 3 {
				opt.Step(n.Params, n.Grads)
			}
		}
		for name, p := range parts(n, n.Params) {
			checkSummary(t, c.name+" "+name+" after 3 steps", p, c.want.Params[name], rel*10)
		}
	}
}
