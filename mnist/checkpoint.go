package mnist

import (
	"bytes"
	"fmt"

	"descent/optim"
)

// Checkpoint is everything a run needs to go on after its last finished epoch
// as if it had never stopped: the weights θ, the optimizer's state (its step
// counter and buffers), and the position. The minibatch order of an epoch
// depends only on the seed and the epoch, and the learning rate only on the
// step, so nothing else is needed.
type Checkpoint struct {
	Epoch     int    // epochs finished
	Step      int    // steps taken
	Model     []byte // the weights, in the model file format
	Optimizer []byte // optim.SaveState
}

// Checkpoint captures the run's state. It reads the weights that training
// writes, so it may only be called from an Epoch hook, on the training
// goroutine; epoch is the EpochEvent's.
func (t *Trainer) Checkpoint(epoch int) (*Checkpoint, error) {
	var model bytes.Buffer
	if _, err := t.net.Model().WriteTo(&model); err != nil {
		return nil, err
	}
	opt, err := optim.SaveState(t.opt)
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Epoch: epoch, Step: t.Progress(), Model: model.Bytes(), Optimizer: opt}, nil
}

// Resume makes a trainer for cfg that continues from c: Run then starts at
// epoch c.Epoch+1, and with the same seed it reaches the same weights as a run
// that was never interrupted.
func Resume(cfg Config, train, test *Dataset, c *Checkpoint) (*Trainer, error) {
	t, err := NewTrainer(cfg, train, test)
	if err != nil {
		return nil, err
	}
	if c.Epoch < 0 || c.Epoch > cfg.Epochs || c.Step != c.Epoch*t.StepsPerEpoch() {
		return nil, fmt.Errorf("mnist: checkpoint at epoch %d, step %d does not fit %d epochs of %d steps",
			c.Epoch, c.Step, cfg.Epochs, t.StepsPerEpoch())
	}
	m, err := ParseModel(c.Model)
	if err != nil {
		return nil, fmt.Errorf("mnist: checkpoint: %w", err)
	}
	if m.Arch.String() != cfg.Arch.String() {
		return nil, fmt.Errorf("mnist: checkpoint holds %s, the run is %s", m.Arch, cfg.Arch)
	}
	copy(t.net.Params, m.Params)
	if err := optim.LoadState(t.opt, c.Optimizer, len(t.net.Params)); err != nil {
		return nil, err
	}
	t.first = c.Epoch + 1
	t.done.Store(int64(c.Step))
	t.snap.Store(t.net.Model())
	return t, nil
}
