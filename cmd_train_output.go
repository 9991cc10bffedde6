package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"descent/mnist"
)

// trainOutput shows a training run: a progress bar and summaries, or JSON lines.
type trainOutput interface {
	start(t *mnist.Trainer)
	step(mnist.StepEvent)
	epoch(mnist.EpochEvent)
	finish(res mnist.Result, preds, actual []int)
}

// train1 runs the training, shows it, predicts the first 10 test images as the
// report does, and saves the model.
func train1(ctx context.Context, f *trainFlags, train, test *mnist.Dataset, out trainOutput, stderr io.Writer) int {
	t, err := mnist.NewTrainer(f.cfg, train, test)
	if err != nil {
		fmt.Fprintf(stderr, "descent train: %v\n", err)
		return 2
	}
	out.start(t)
	res, err := t.Run(ctx, mnist.Hooks{Step: out.step, Epoch: out.epoch})
	if err != nil {
		fmt.Fprintf(stderr, "descent train: %v\n", err)
		return 1
	}
	model := t.Snapshot()
	preds, actual, err := firstPredictions(model, test, 10)
	if err != nil {
		fmt.Fprintf(stderr, "descent train: %v\n", err)
		return 1
	}
	out.finish(res, preds, actual)
	if f.out != "" && res.Epochs > 0 {
		c := f.cfg
		model.Meta = mnist.ModelMeta{Optimizer: c.Optimizer, LR: c.LR, Batch: c.Batch, Epochs: res.Epochs, Seed: c.Seed, TestAccuracy: res.TestAccuracy}
		if err := model.Save(f.out); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	if res.Status != mnist.StatusDone {
		return 1
	}
	return 0
}

// firstPredictions classifies the first n test images, as the report ends.
func firstPredictions(m *mnist.Model, test *mnist.Dataset, n int) (preds, actual []int, err error) {
	p, err := mnist.NewPredictor(m)
	if err != nil {
		return nil, nil, err
	}
	for i := range min(n, test.N) {
		probs, err := p.PredictPixels(test.Image(i))
		if err != nil {
			return nil, nil, err
		}
		preds = append(preds, mnist.ArgMax(probs[:]))
		actual = append(actual, int(test.Labels[i]))
	}
	return preds, actual, nil
}

// textOutput draws a progress bar per epoch on a terminal, and a summary line
// after each epoch in any case.
type textOutput struct {
	w      io.Writer
	cfg    mnist.Config
	tty    bool
	bar    *progressbar.ProgressBar
	steps  int
	epochs int
	sharp  mnist.StepEvent // the epoch's last step with a sharpness
}

func newTextOutput(w io.Writer, cfg mnist.Config) *textOutput {
	f, ok := w.(*os.File)
	return &textOutput{w: w, cfg: cfg, tty: ok && term.IsTerminal(int(f.Fd()))}
}

func (o *textOutput) start(t *mnist.Trainer) {
	c := t.Config()
	o.steps, o.epochs = t.StepsPerEpoch(), c.Epochs
	on := ""
	if c.TrainExamples > 0 {
		on = fmt.Sprintf(", on the first %d training images", c.TrainExamples)
	}
	fmt.Fprintf(o.w, "Training %s with %s, lr %g, batch %d, %d epochs, seed %d%s\n",
		c.Arch, c.Optimizer, c.LR, c.Batch, c.Epochs, c.Seed, on)
}

func (o *textOutput) step(ev mnist.StepEvent) {
	if ev.Sharpness != 0 {
		o.sharp = ev
	}
	if !o.tty {
		return
	}
	if o.bar == nil {
		o.bar = progressbar.NewOptions(o.steps,
			progressbar.OptionSetWriter(o.w),
			progressbar.OptionSetDescription(fmt.Sprintf("Epoch %d/%d", ev.Epoch, o.epochs)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("steps"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	}
	if ev.Batch%16 == 0 || ev.Batch == ev.StepsPerEpoch {
		o.bar.Describe(fmt.Sprintf("Epoch %d/%d loss %.4f", ev.Epoch, o.epochs, ev.Loss))
	}
	o.bar.Set(ev.Batch)
}

func (o *textOutput) epoch(ev mnist.EpochEvent) {
	if o.bar != nil {
		o.bar.Finish()
		o.bar = nil
	}
	fmt.Fprintf(o.w, "Epoch [%d/%d], Loss: %.4f, Test loss: %.4f, Test accuracy: %.2f%% (%.2fs, %.0f steps/s)%s\n",
		ev.Epoch, o.epochs, ev.TrainLoss, ev.TestLoss, 100*ev.TestAccuracy, ev.Seconds, float64(o.steps)/ev.Seconds, sharpnessText(o.sharp))
	o.sharp = mnist.StepEvent{}
}

// sharpnessText is ", λmax 3.91 at step 938 (threshold 20)" for a measured
// step, "" otherwise.
func sharpnessText(ev mnist.StepEvent) string {
	if ev.Sharpness == 0 {
		return ""
	}
	s := fmt.Sprintf(", λmax %.4g at step %d", ev.Sharpness, ev.Step)
	if ev.Threshold != 0 {
		return s + fmt.Sprintf(" (threshold %.4g)", ev.Threshold)
	}
	return s + " (no threshold for this optimizer)"
}

func (o *textOutput) finish(res mnist.Result, preds, actual []int) {
	if o.bar != nil {
		o.bar.Exit()
	}
	if res.Status != mnist.StatusDone {
		fmt.Fprintf(o.w, "Training %s after %d steps.\n", res.StatusText(), res.Steps)
	}
	fmt.Fprintf(o.w, "Predicted: %s\n", joinInts(preds))
	fmt.Fprintf(o.w, "Actual:    %s\n", joinInts(actual))
	fmt.Fprintf(o.w, "Test accuracy: %.2f%%\n", 100*res.TestAccuracy)
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, " ")
}

// jsonOutput prints one JSON object per line: step events thinned to at most
// 100 per epoch (but every one that carries a sharpness), every epoch event,
// and a final event. The field names are the
// websocket protocol's.
type jsonOutput struct {
	enc *json.Encoder
}

func (o *jsonOutput) start(*mnist.Trainer) {}

func (o *jsonOutput) step(ev mnist.StepEvent) {
	every := max(1, (ev.StepsPerEpoch+99)/100)
	if ev.Batch%every == 0 || ev.Batch == ev.StepsPerEpoch || ev.Sharpness != 0 {
		o.enc.Encode(struct {
			Type string `json:"type"`
			mnist.StepEvent
		}{"step", ev})
	}
}

func (o *jsonOutput) epoch(ev mnist.EpochEvent) {
	o.enc.Encode(struct {
		Type string `json:"type"`
		mnist.EpochEvent
	}{"epoch", ev})
}

func (o *jsonOutput) finish(res mnist.Result, preds, actual []int) {
	o.enc.Encode(struct {
		Type string `json:"type"`
		mnist.Result
		StatusText string `json:"statusText"`
		Predicted  []int  `json:"predicted"`
		Actual     []int  `json:"actual"`
	}{"final", res, res.StatusText(), preds, actual})
}
