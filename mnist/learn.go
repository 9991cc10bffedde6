package mnist

import (
	"errors"
	"fmt"
	"math"

	"descent/optim"
)

// EvalImages is the number of test images (the first ones of the set) on
// which a Learner measures the accuracy before and after each step.
const EvalImages = 1000

// Learner is a copy of a network that learns one example at a time: each Step
// is θ ← θ − α·update(∇J(θ)) on one image and its label, with J = −log p_L,
// exactly the training's step on a minibatch of one (Trainer.step, in float32,
// bit for bit). The copy is made from a Model (a saved model, or a run's
// snapshot), so that the run it came from never changes. The optimizer's
// state (momentum, Adam's moments) carries over from step to step until
// Reset. A Learner serves one goroutine.
type Learner struct {
	orig   *Model
	net    *Net[float32]
	opt    optim.Measured[float32]
	eval   *Dataset // the first EvalImages test images, a view of the set
	one    Dataset  // the example, as a dataset of one image
	steps  int
	broken error  // set when a step made the weights non-finite; Reset clears it
	model  *Model // the current weights as a Model, made on demand; nil after a step

	acc, testLoss         float64 // of the current weights on eval
	origAcc, origTestLoss float64 // of the original weights
}

// NewLearner returns a Learner that starts from a copy of m and steps with the
// named first-order optimizer (optim.Specs, Network true) and its
// hyperparameters hyper (missing ones take their defaults; lr is set by each
// Step). test, when not nil, gives the EvalImages images whose accuracy each
// step reports.
func NewLearner(m *Model, optimizer string, hyper map[string]float64, test *Dataset) (*Learner, error) {
	net, err := NetFrom[float32](m)
	if err != nil {
		return nil, err
	}
	meth, err := optim.New[float32](optimizer, hyper)
	if err != nil {
		return nil, err
	}
	opt, ok := meth.(optim.Measured[float32])
	if !ok {
		return nil, fmt.Errorf("mnist: optimizer %s cannot measure its steps", optimizer)
	}
	l := &Learner{orig: m, net: net, opt: opt,
		one: Dataset{Images: make([]uint8, InputSize), Labels: make([]uint8, 1), N: 1}}
	if test != nil && test.N > 0 {
		k := min(EvalImages, test.N)
		l.eval = &Dataset{Images: test.Images[:k*InputSize], Labels: test.Labels[:k], N: k}
		l.origTestLoss, l.origAcc, _ = net.Evaluate(l.eval, 0)
	}
	l.acc, l.testLoss = l.origAcc, l.origTestLoss
	return l, nil
}

// LearnResult is one step on one example, before and after, on the wire as
// it is (camelCase JSON).
type LearnResult struct {
	Step           int       `json:"step"`           // steps taken by this copy since it was made or Reset
	Label          int       `json:"label"`          // L, the label learnt
	LR             float64   `json:"lr"`             // α
	LossBefore     float64   `json:"lossBefore"`     // J = −log p_L on the example, before the step
	LossAfter      float64   `json:"lossAfter"`      // and after
	ProbsBefore    []float64 `json:"probsBefore"`    // (10) p before
	ProbsAfter     []float64 `json:"probsAfter"`     // (10) p after
	TopBefore      int       `json:"topBefore"`      // arg max p before
	TopAfter       int       `json:"topAfter"`       // and after
	GradNorm       float64   `json:"gradNorm"`       // ‖∇J(θ)‖
	DeltaNorm      float64   `json:"deltaNorm"`      // ‖Δθ‖, the update applied
	UpdateRatio    float64   `json:"updateRatio"`    // ‖Δθ‖/‖θ‖
	EvalImages     int       `json:"evalImages"`     // test images measured, 0 without a test set
	AccuracyBefore float64   `json:"accuracyBefore"` // on those images, before the step
	AccuracyAfter  float64   `json:"accuracyAfter"`
	TestLossBefore float64   `json:"testLossBefore"` // mean J on those images
	TestLossAfter  float64   `json:"testLossAfter"`
}

// Step takes one step at rate lr on img (784 grey levels, as Explain takes
// them) with the given label (0 to 9) and reports the example's loss and
// probabilities and the test accuracy before and after.
func (l *Learner) Step(img []uint8, label int, lr float64) (*LearnResult, error) {
	if err := errors.Join(checkImage(img), l.broken); err != nil {
		return nil, err
	}
	if label < 0 || label >= Classes {
		return nil, fmt.Errorf("mnist: label %d is not a digit 0 to 9", label)
	}
	if !(lr > 0 && lr <= MaxLR) {
		return nil, fmt.Errorf("mnist: lr = %g is out of range (0, %g]", lr, float64(MaxLR))
	}
	copy(l.one.Images, img)
	l.one.Labels[0] = uint8(label)
	res := &LearnResult{Label: label, LR: lr, AccuracyBefore: l.acc, TestLossBefore: l.testLoss}
	// As Trainer.step: forward, loss, backward, θ ← θ − α·update(∇J(θ)).
	res.LossBefore, _ = l.net.Loss(&l.one, []int32{0})
	res.ProbsBefore = l.probs()
	l.opt.SetLR(lr)
	l.model = nil
	n := l.opt.StepMeasured(l.net.Params, l.net.Grads)
	res.GradNorm, res.DeltaNorm, res.UpdateRatio = math.Sqrt(n.Grad), math.Sqrt(n.Delta), n.Ratio()
	if !finite(res.LossBefore) || !finite(n.Grad) || !finite(n.Theta) || !finite(n.Delta) {
		l.broken = fmt.Errorf("mnist: the step at lr = %g made the weights non-finite; Reset the copy", lr)
		return nil, l.broken
	}
	l.steps++
	res.Step = l.steps
	res.LossAfter = l.exampleLoss()
	res.ProbsAfter = l.probs()
	res.TopBefore, res.TopAfter = ArgMax(res.ProbsBefore), ArgMax(res.ProbsAfter)
	if l.eval != nil {
		l.testLoss, l.acc, _ = l.net.Evaluate(l.eval, 0)
		res.EvalImages = l.eval.N
	}
	res.AccuracyAfter, res.TestLossAfter = l.acc, l.testLoss
	if !finite(res.LossAfter) || !finite(res.TestLossAfter) || !finite(res.ProbsAfter[res.TopAfter]) {
		l.broken = fmt.Errorf("mnist: after the step at lr = %g the network's outputs overflow; Reset the copy", lr)
		return nil, l.broken
	}
	return res, nil
}

// exampleLoss runs the current weights forward on the example alone and
// returns its loss, leaving its logits in the workspace for probs.
func (l *Learner) exampleLoss() float64 {
	l.net.reserve(1)
	l.net.gather(&l.one, []int32{0})
	logits := l.net.forward(1)
	loss, _ := softmaxCrossEntropy(nil, logits, l.one.Labels, nil, Classes, 1)
	return loss
}

// probs is softmax of the logits that the last forward pass left.
func (l *Learner) probs() []float64 {
	p := make([]float64, Classes)
	softmax(p, l.net.ws.acts[len(l.net.layers)-1][:Classes])
	return p
}

// Reset puts the original weights back and forgets the optimizer's state, so
// that the next Step is a first step from the model the copy was made from.
func (l *Learner) Reset() {
	copy(l.net.Params, l.orig.Params)
	l.opt.Reset()
	l.model = nil
	l.steps, l.broken = 0, nil
	l.acc, l.testLoss = l.origAcc, l.origTestLoss
}

// Accuracy returns the accuracy and the mean loss of the copy's current
// weights on the test images it measures, and their number (0 without a
// test set): those of the original until the first Step.
func (l *Learner) Accuracy() (accuracy, testLoss float64, images int) {
	if l.eval != nil {
		images = l.eval.N
	}
	return l.acc, l.testLoss, images
}

// Steps returns the steps taken since the copy was made or Reset.
func (l *Learner) Steps() int { return l.steps }

// Original returns the model that the copy was made from.
func (l *Learner) Original() *Model { return l.orig }

// Model returns the copy's current weights as a Model, which can be saved or
// explained (Explainer.Use). It is made once per step and never modified, so
// asking again before the next Step or Reset returns the same pointer. It
// keeps the original's metadata, without its test accuracy, which the steps
// have changed.
func (l *Learner) Model() *Model {
	if l.model == nil {
		l.model = l.net.Model()
		l.model.Meta = l.orig.Meta
		l.model.Meta.TestAccuracy = 0
	}
	return l.model
}
