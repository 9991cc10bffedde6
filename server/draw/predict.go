package draw

import (
	"context"
	"fmt"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// Drawing is a validated Predict: its decoded pixels and what should answer.
type Drawing struct {
	Req        int64
	Run, Model string
	W, H       int
	pix        []byte
}

// Check validates a Predict and decodes its pixels.
func Check(p *protocol.Predict) (Drawing, error) {
	pic, err := checkDrawing(p.Width, p.Height, p.Pixels, "")
	if err != nil {
		return Drawing{}, err
	}
	if err := CheckSources(p.Run, p.Model); err != nil {
		return Drawing{}, err
	}
	return Drawing{Req: p.Req, Run: p.Run, Model: p.Model, W: pic.W, H: pic.H, pix: pic.pix}, nil
}

// CheckSources refuses a command that names both a run and a model.
func CheckSources(run, model string) error {
	if run == "" || model == "" {
		return nil
	}
	return protocol.Refuse(protocol.CodeInvalid, "model", "either run or model, not both",
		"both run %q and model %q", run, model)
}

// Answering picks the run that answers a drawing sent to a run id ("" for
// the default); *runs.Manager is one.
type Answering interface {
	Answering(id string) (runs.Run, error)
}

// Predict classifies a drawing with the run or the saved model it names.
func Predict(ctx context.Context, d Drawing, rs Answering, models *Models) (protocol.PredictResult, error) {
	img, blank, err := Preprocess(d)
	if err != nil {
		return protocol.PredictResult{}, fmt.Errorf("server: %w", err)
	}
	res := protocol.PredictResult{Type: protocol.EvPrediction, Req: d.Req, Run: d.Run, Model: d.Model,
		Probs: []float64{}, Top: -1, Blank: blank, Image: img}
	if blank && d.Run == "" && d.Model == "" {
		return res, nil // an empty canvas has no answer, and that is no error
	}
	snap, err := answerer(ctx, d, rs, models, &res)
	if err != nil || blank {
		return res, err
	}
	probs, err := snap.Predict(img)
	if err != nil {
		return protocol.PredictResult{}, fmt.Errorf("server: %s%s: %w", res.Run, res.Model, err)
	}
	res.Probs, res.Top = probs[:], mnist.ArgMax(probs[:])
	return res, nil
}

// answerer returns the snapshot that answers d and notes in res who it is.
func answerer(ctx context.Context, d Drawing, rs Answering, models *Models, res *protocol.PredictResult) (runs.Snapshot, error) {
	src, err := source(ctx, d.Run, d.Model, rs, models)
	res.Run, res.Epoch = src.run, src.snap.Epoch
	return src.snap, err
}

// answering is the network that answers a command: a run's snapshot or a
// saved model's.
type answering struct {
	snap       runs.Snapshot
	run, model string // the run that answers (the default's choice for ""), or the model
}

// source returns the snapshot of the saved model called model, or else of
// run (the default run for "").
func source(ctx context.Context, run, model string, rs Answering, models *Models) (answering, error) {
	if model != "" {
		snap, err := models.Snapshot(model)
		return answering{snap: snap, model: model}, err
	}
	r, err := rs.Answering(run)
	if err != nil {
		return answering{run: run}, err
	}
	snap, err := r.Snapshot(ctx)
	if err != nil {
		return answering{run: r.ID()}, err
	}
	return answering{snap: snap, run: r.ID()}, nil
}

// Preprocess turns a drawing into the 28×28 image the network is given, as
// MNIST was made (mnist.Preprocess); blank is set for a drawing without ink.
func Preprocess(d Drawing) (img []uint8, blank bool, err error) {
	return mnist.Preprocess(d.pix, d.W, d.H)
}
