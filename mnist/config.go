package mnist

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"descent/optim"
)

// Activation names the non-linearity of the hidden layers.
type Activation string

// The hidden-layer activations.
const (
	Sigmoid Activation = "sigmoid" // σ(z) = 1/(1+e⁻ᶻ), the report's choice
	ReLU    Activation = "relu"    // max(0, z)
	Tanh    Activation = "tanh"    // tanh(z)
)

// Activations lists every activation, the report's first.
func Activations() []Activation { return []Activation{Sigmoid, ReLU, Tanh} }

// ParseActivation returns the named activation or an error that lists them.
func ParseActivation(s string) (Activation, error) {
	for _, a := range Activations() {
		if string(a) == strings.ToLower(s) {
			return a, nil
		}
	}
	return "", fmt.Errorf("mnist: unknown activation %q (want sigmoid, relu or tanh)", s)
}

// Limits of the network's shape, which bound the memory one run can take.
const (
	MaxHiddenLayers = 4
	MaxHiddenUnits  = 4096
	InputSize       = Rows * Cols // 784 pixels
	Classes         = 10
)

// Arch describes the network: 784 → Hidden[0] → … → 10 logits, with Activation
// after every hidden layer. The report's network is Arch{Hidden: []int{100},
// Activation: Sigmoid}.
type Arch struct {
	Hidden     []int      `json:"hidden"`
	Activation Activation `json:"activation"`
}

// DefaultArch is the report's network: 784 → 100 (sigmoid) → 10.
func DefaultArch() Arch { return Arch{Hidden: []int{100}, Activation: Sigmoid} }

// Sizes returns the widths of every layer, input and logits included.
func (a Arch) Sizes() []int {
	s := make([]int, 0, len(a.Hidden)+2)
	s = append(s, InputSize)
	s = append(s, a.Hidden...)
	return append(s, Classes)
}

// NumParams is the length of the parameter slab: Σ (in·out + out) over layers.
func (a Arch) NumParams() int {
	s, n := a.Sizes(), 0
	for l := 0; l+1 < len(s); l++ {
		n += s[l]*s[l+1] + s[l+1]
	}
	return n
}

// Validate reports a shape that the network cannot have.
func (a Arch) Validate() error {
	if len(a.Hidden) > MaxHiddenLayers {
		return fmt.Errorf("mnist: %d hidden layers, at most %d", len(a.Hidden), MaxHiddenLayers)
	}
	for i, h := range a.Hidden {
		if h < 1 || h > MaxHiddenUnits {
			return fmt.Errorf("mnist: hidden layer %d has %d units, want 1 to %d", i+1, h, MaxHiddenUnits)
		}
	}
	_, err := ParseActivation(string(a.Activation))
	return err
}

// String writes the shape as "784-100-10 sigmoid".
func (a Arch) String() string {
	var b strings.Builder
	for i, s := range a.Sizes() {
		if i > 0 {
			b.WriteByte('-')
		}
		fmt.Fprint(&b, s)
	}
	return b.String() + " " + string(a.Activation)
}

// Config is one training run. Two runs whose configs differ only in the
// optimizer's settings start from identical weights and see an identical
// minibatch order, because both come from Seed alone.
type Config struct {
	Arch      Arch               `json:"arch"`
	Optimizer string             `json:"optimizer"`           // a name from optim.Specs, such as "sgd"
	Hyper     map[string]float64 `json:"hyper,omitempty"`     // the optimizer's hyperparameters; missing ones take torch's defaults
	LR        float64            `json:"lr"`                  // the base learning rate α
	Schedule  optim.Schedule     `json:"schedule,omitzero"`   // how α changes over the steps (t counts steps)
	Batch     int                `json:"batch"`               // 1 is SGD, 64 mini-batch, 60000 batch GD
	Epochs    int                `json:"epochs"`              // passes over the training set
	Seed      uint64             `json:"seed"`                // initial weights and minibatch order
	LRRange   bool               `json:"lrRange,omitempty"`   // an LR range test: α rises exponentially from LRMin to LRMax
	LRMin     float64            `json:"lrMin,omitempty"`     // LR range test start, default 1e-5
	LRMax     float64            `json:"lrMax,omitempty"`     // LR range test end, default 10
	EvalLimit int                `json:"evalLimit,omitempty"` // evaluate on the first EvalLimit test images; 0 means all
	// TrainExamples trains on the first TrainExamples training images; 0
	// means all. With Batch ≥ TrainExamples every step is full-batch
	// gradient descent on them, the setting of the edge of stability.
	TrainExamples int `json:"trainExamples,omitempty"`
	// SharpnessEvery measures the sharpness (λmax of the training loss's
	// Hessian, see SharpnessEvent) before every K-th step, K = SharpnessEvery,
	// into that step's StepEvent; 0 turns it off. The measurement runs on
	// the training goroutine and is left out of the step's time.
	SharpnessEvery int `json:"sharpnessEvery,omitempty"`
	// SharpnessExamples is the probe set of the sharpness: the first N
	// training images (of the TrainExamples). If 0, it is defaulted to
	// DefaultSharpnessExamples, or all the training images when fewer.
	SharpnessExamples int `json:"sharpnessExamples,omitempty"`
}

// DefaultConfig is the report's training: SGD at α = 0.1, batch 64, 10 epochs.
func DefaultConfig() Config {
	return Config{Arch: DefaultArch(), Optimizer: "sgd", LR: 0.1, Batch: 64, Epochs: 10, Seed: 1}
}

// Limits on a run's length.
const (
	MaxEpochs = 1000
	MaxBatch  = 60000
	MaxLR     = 1e3
)

// Validate checks every field and names the first bad one with its allowed range.
func (c Config) Validate() error {
	if err := c.Arch.Validate(); err != nil {
		return err
	}
	var errs []error
	if !(c.LR > 0 && c.LR <= MaxLR) { // also catches NaN
		errs = append(errs, fmt.Errorf("mnist: lr = %g is out of range (0, %g]", c.LR, float64(MaxLR)))
	}
	if c.Batch < 1 || c.Batch > MaxBatch {
		errs = append(errs, fmt.Errorf("mnist: batch = %d is out of range [1, %d]", c.Batch, MaxBatch))
	}
	if c.Epochs < 1 || c.Epochs > MaxEpochs {
		errs = append(errs, fmt.Errorf("mnist: epochs = %d is out of range [1, %d]", c.Epochs, MaxEpochs))
	}
	for k, v := range c.Hyper {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Errorf("mnist: hyperparameter %s = %g is not finite", k, v))
		}
	}
	if c.EvalLimit < 0 {
		errs = append(errs, fmt.Errorf("mnist: evalLimit = %d is negative", c.EvalLimit))
	}
	errs = append(errs, c.validateSharpness()...)
	if err := c.schedule(1, 1).Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// schedule fills in the schedule's lengths that were left at 0 for a run of
// total steps of which perEpoch make an epoch: a cosine schedule spans the
// whole run, and a step schedule decays once an epoch.
func (c Config) schedule(perEpoch, total int) optim.Schedule {
	s := c.Schedule
	if s.Kind == "cosine" && s.TMax == 0 {
		s.TMax = total
	}
	if s.Kind == "step" && s.StepSize == 0 {
		s.StepSize = perEpoch
	}
	return s
}
