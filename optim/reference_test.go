package optim

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// refDir holds the PyTorch and SciPy reference runs (testdata/README.md).
var refDir = "testdata"

// torchRun is one file of testdata/trajectories.
type torchRun struct {
	Function   string                     `json:"function"`
	Start      [2]float64                 `json:"start"`
	TorchClass string                     `json:"torch_class"`
	Hyper      map[string]json.RawMessage `json:"hyperparams"`
	Diverged   *int                       `json:"diverged_at_point"`
	Points     [][3]float64               `json:"points"`
}

// torchNames maps torch.optim classes to registry names.
var torchNames = map[string]string{"SGD": "sgd", "Adagrad": "adagrad", "RMSprop": "rmsprop", "Adam": "adam", "AdamW": "adamw"}

// torchKeys maps torch's hyperparameter names to ours; torch keys not listed
// (foreach, maximize, capturable, differentiable, fused) do not change the
// arithmetic and must hold their defaults.
var torchKeys = map[string]string{"lr": "lr", "momentum": "momentum", "dampening": "dampening",
	"weight_decay": "weightDecay", "nesterov": "nesterov", "eps": "eps", "amsgrad": "amsgrad",
	"alpha": "alpha", "centered": "centered", "lr_decay": "lrDecay",
	"initial_accumulator_value": "initialAccumulatorValue"}

// configOf turns a reference file's torch settings into a Config.
func configOf(t *testing.T, run torchRun) Config {
	c := Config{Method: torchNames[run.TorchClass], Params: map[string]float64{}}
	for k, raw := range run.Hyper {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		switch x := v.(type) {
		case []any: // betas
			c.Params["beta1"], c.Params["beta2"] = x[0].(float64), x[1].(float64)
		case bool:
			if ours, ok := torchKeys[k]; ok {
				c.Params[ours] = map[bool]float64{false: 0, true: 1}[x]
			} else if x {
				t.Fatalf("torch option %s = true is not supported", k)
			}
		case float64:
			c.Params[torchKeys[k]] = x
		}
	}
	return c
}

func TestReferenceTrajectories(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(refDir, "trajectories", "*.json"))
	if len(files) == 0 {
		t.Fatalf("no reference trajectories in %s: they are part of the repository (testdata/README.md)", refDir)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var run torchRun
			if err := json.Unmarshal(data, &run); err != nil {
				t.Fatal(err)
			}
			checkTrajectory(t, run, configOf(t, run))
		})
	}
}

// checkTrajectory runs c and compares every point with PyTorch's to 1e-10.
func checkTrajectory(t *testing.T, run torchRun, c Config) {
	fn, ok := LookupFunction(run.Function)
	if !ok {
		t.Fatalf("unknown function %q", run.Function)
	}
	r, err := NewRunner(fn, run.Start, []Config{c}, len(run.Points)-1, 0)
	if err != nil {
		t.Fatal(err)
	}
	label := fmt.Sprintf("%s on %s from (%g, %g)", c.Method, fn.Title, run.Start[0], run.Start[1])
	var got []Iterate
	r.Run(func(it Iterate) { got = append(got, it) })
	last := got[len(got)-1]
	if run.Diverged != nil {
		if last.Status != Diverged || last.Step != *run.Diverged {
			t.Errorf("%s: %v at step %d, want diverged at step %d (PyTorch)", label, last.Status, last.Step, *run.Diverged)
		}
		got = got[:len(got)-1]
	}
	if len(got) != len(run.Points) {
		t.Fatalf("%s: %d points, want %d (PyTorch)", label, len(got), len(run.Points))
	}
	for k, p := range run.Points {
		for j, name := range []string{"x", "y", "f"} {
			v := [3]float64{got[k].X[0], got[k].X[1], got[k].F}[j]
			if !close(v, p[j], 1e-10) {
				t.Fatalf("%s: %s[%d] = %.17g, want %.17g (PyTorch)", label, name, k, v, p[j])
			}
		}
	}
}

// close reports |got − want| ≤ rel·|want| (or ≤ rel when want is 0).
func close(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300) || got == want
}
