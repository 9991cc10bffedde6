package draw

import (
	"context"
	"encoding/base64"
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
	w, err := protocol.Int("width", p.Width, mnist.MinCanvas, mnist.MaxCanvas)
	if err != nil {
		return Drawing{}, err
	}
	h, err := protocol.Int("height", p.Height, mnist.MinCanvas, mnist.MaxCanvas)
	if err != nil {
		return Drawing{}, err
	}
	allowed := fmt.Sprintf("base64 of width×height = %d grey levels (0 background … 255 ink)", w*h)
	if p.Pixels == "" {
		return Drawing{}, protocol.Missing("pixels", allowed)
	}
	pix, err := base64.StdEncoding.DecodeString(p.Pixels)
	if err != nil {
		return Drawing{}, protocol.Refuse(protocol.CodeBadType, "pixels", allowed, "not base64: %v", err)
	}
	if len(pix) != w*h {
		return Drawing{}, protocol.Refuse(protocol.CodeOutOfRange, "pixels", allowed, "%d bytes for a %d×%d drawing", len(pix), w, h)
	}
	if p.Run != "" && p.Model != "" {
		return Drawing{}, protocol.Refuse(protocol.CodeInvalid, "model", "either run or model, not both",
			"both run %q and model %q", p.Run, p.Model)
	}
	return Drawing{Req: p.Req, Run: p.Run, Model: p.Model, W: w, H: h, pix: pix}, nil
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
	if d.Model != "" {
		snap, err := models.Snapshot(d.Model)
		res.Epoch = snap.Epoch
		return snap, err
	}
	r, err := rs.Answering(d.Run)
	if err != nil {
		return runs.Snapshot{}, err
	}
	snap, err := r.Snapshot(ctx)
	if err != nil {
		return runs.Snapshot{}, err
	}
	res.Run, res.Epoch = r.ID(), snap.Epoch
	return snap, nil
}

// Preprocess turns a drawing into the 28×28 image the network is given, as
// MNIST was made (mnist.Preprocess); blank is set for a drawing without ink.
func Preprocess(d Drawing) (img []uint8, blank bool, err error) {
	return mnist.Preprocess(d.pix, d.W, d.H)
}
