package mnist

import (
	"context"
	"fmt"
)

// What the trainer does for Config.TrainExamples and Config.SharpnessEvery.

// validateSharpness checks the fields of the training subset and of the
// sharpness measurement.
func (c Config) validateSharpness() []error {
	var errs []error
	if c.TrainExamples < 0 || c.TrainExamples > MaxBatch {
		errs = append(errs, fmt.Errorf("mnist: trainExamples = %d is out of range [0, %d] (0 means all)", c.TrainExamples, MaxBatch))
	}
	if c.SharpnessEvery < 0 {
		errs = append(errs, fmt.Errorf("mnist: sharpnessEvery = %d is negative (0 turns it off)", c.SharpnessEvery))
	}
	if c.SharpnessExamples < 0 || c.SharpnessExamples > MaxBatch {
		errs = append(errs, fmt.Errorf("mnist: sharpnessExamples = %d is out of range [0, %d]", c.SharpnessExamples, MaxBatch))
	}
	return errs
}

// First returns a view of the first n images of d (all of them when n is 0).
func (d *Dataset) First(n int) (*Dataset, error) {
	if n == 0 {
		return d, nil
	}
	if n < 0 || n > d.N {
		return nil, fmt.Errorf("mnist: the first %d images of %d", n, d.N)
	}
	return &Dataset{Images: d.Images[:n*InputSize], Labels: d.Labels[:n], N: n}, nil
}

// trainingSet is the first TrainExamples images of train.
func (c Config) trainingSet(train *Dataset) (*Dataset, error) {
	if c.TrainExamples > train.N {
		return nil, fmt.Errorf("mnist: trainExamples = %d, but there are %d training images", c.TrainExamples, train.N)
	}
	return train.First(c.TrainExamples)
}

// sharpnessExamples is the size of the probe set for a training set of n.
func (c Config) sharpnessExamples(n int) (int, error) {
	switch {
	case c.SharpnessExamples == 0:
		return min(DefaultSharpnessExamples, n), nil
	case c.SharpnessExamples > n:
		return 0, fmt.Errorf("mnist: sharpnessExamples = %d, but the run trains on %d images", c.SharpnessExamples, n)
	}
	return c.SharpnessExamples, nil
}

// newRunMeter is the meter of Config.SharpnessEvery, or nil when it is off.
func (t *Trainer) newRunMeter() error {
	if t.cfg.SharpnessEvery == 0 {
		return nil
	}
	n, err := t.cfg.sharpnessExamples(t.train.N)
	if err != nil {
		return err
	}
	t.sharp, err = newSharpnessMeter(t.cfg.Arch, t.train, n, t.opt)
	if err == nil && t.sharp.d != nil {
		t.precond = make([]float64, len(t.net.Params))
	}
	return err
}

// measureSharpness measures the sharpness at the current weights when the
// next step is a multiple of SharpnessEvery, and returns it with the
// threshold of the next step's α (0, 0 otherwise, before Adam's first step,
// or when ctx ends during the measurement).
func (t *Trainer) measureSharpness(ctx context.Context) (sharpness, threshold float64) {
	k := int(t.done.Load()) // the next step is k + 1, with α = lrAt(k)
	if t.sharp == nil || (k+1)%t.cfg.SharpnessEvery != 0 || !t.sharp.preconditioner(t.opt, t.precond) {
		return 0, 0
	}
	ev, err := t.sharp.measure(ctx, t.net.Params, t.precond, k+1, t.lrAt(k))
	if err != nil {
		return 0, 0
	}
	return ev.Sharpness, ev.Threshold
}

// CurrentModel copies the network's current weights. It reads the weights
// that training writes, so it may only be called from a hook, on the
// training goroutine, between steps.
func (t *Trainer) CurrentModel() *Model { return t.net.Model() }
