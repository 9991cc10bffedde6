package draw

import (
	"context"
	"fmt"
	"math/rand/v2"

	"descent/mnist"
	"descent/server/protocol"
)

// ExplainQuery is a validated Explain: what it is about and who answers.
type ExplainQuery struct {
	Req          int64
	Run, Model   string
	Picture      Picture
	Class, Label int  // mnist.TopClass for the top class
	Layers       bool // DetailLayers
}

// CheckExplain validates an Explain for a test set of testN images.
func CheckExplain(e *protocol.Explain, testN int) (ExplainQuery, error) {
	pic, err := CheckPicture(&e.Picture, testN)
	if err != nil {
		return ExplainQuery{}, err
	}
	q := ExplainQuery{Req: e.Req, Run: e.Run, Model: e.Model, Picture: pic}
	if err := CheckSources(e.Run, e.Model); err != nil {
		return q, err
	}
	if q.Class, err = checkDigit("class", e.Class); err != nil {
		return q, err
	}
	if q.Label, err = checkDigit("label", e.Label); err != nil {
		return q, err
	}
	switch e.Detail {
	case "", protocol.DetailSaliency:
	case protocol.DetailLayers:
		q.Layers = true
	default:
		return q, protocol.Refuse(protocol.CodeUnknown, "detail", protocol.DetailSaliency+", "+protocol.DetailLayers,
			"unknown detail %q", e.Detail).With(e.Detail)
	}
	return q, nil
}

// checkDigit reads an optional class or label: 0 to 9, or −1 or missing
// for the top class.
func checkDigit(field string, p *int) (int, error) {
	if p == nil || *p == mnist.TopClass {
		return mnist.TopClass, nil
	}
	if *p < 0 || *p >= mnist.Classes {
		return 0, protocol.OutOfRange(field, "a digit 0 to 9, or −1 (or missing) for the top class", *p)
	}
	return *p, nil
}

// Explain answers q with the derivatives of its picture, on the page's
// explain goroutine: Preprocess, then one forward pass and the backward
// passes of mnist.Explainer, with an Explainer of the pool.
func (p *Panel) Explain(ctx context.Context, q ExplainQuery) (protocol.ExplainResult, error) {
	img, blank, at, err := q.Picture.Place(p.test)
	if err != nil {
		return protocol.ExplainResult{}, serverErr(err)
	}
	res := protocol.ExplainResult{Type: protocol.EvExplanation, Req: q.Req, Run: q.Run, Model: q.Model, Blank: blank,
		Image: img, Placement: at, Probs: []float64{}, Top: -1, Class: q.Class, Label: q.Label, Detail: protocol.DetailSaliency}
	if q.Layers {
		res.Detail = protocol.DetailLayers
	}
	res.TestIndex, res.TestLabel = q.Picture.testFields(p.test)
	if blank && q.Run == "" && q.Model == "" {
		return res, nil // an empty canvas has no answer, and that is no error
	}
	src, err := source(ctx, q.Run, q.Model, p.runs, p.models)
	if err != nil {
		return protocol.ExplainResult{}, err
	}
	arch := src.snap.Model.Arch
	res.Run, res.Epoch, res.Arch = src.run, src.snap.Epoch, &arch
	if blank {
		return res, nil
	}
	var ex *mnist.Explanation
	err = p.explainers.with(src.snap.Model, func(e *mnist.Explainer) (err error) {
		ex, err = e.Explain(img, q.Class, q.Label)
		return err
	})
	if err != nil {
		return protocol.ExplainResult{}, fmt.Errorf("server: %s%s: %w", src.run, src.model, err)
	}
	sal := ex.SaliencyImage()
	res.Probs, res.Top, res.Class, res.Label, res.Loss, res.Saliency = ex.Probs, ex.Top, ex.Class, ex.Label, ex.Loss, &sal
	if q.Layers {
		res.Layers = ex.Layers
	}
	return res, nil
}

// GradQuery is a validated GradCheck.
type GradQuery struct {
	Req        int64
	Run, Model string
	Picture    Picture
	Label      int // mnist.TopClass for the top class
	Weights    int
	Seed       uint64
}

// CheckGradCheck validates a GradCheck for a test set of testN images; a
// missing seed is drawn here.
func CheckGradCheck(g *protocol.GradCheck, testN int) (GradQuery, error) {
	pic, err := CheckPicture(&g.Picture, testN)
	if err != nil {
		return GradQuery{}, err
	}
	q := GradQuery{Req: g.Req, Run: g.Run, Model: g.Model, Picture: pic, Weights: protocol.DefaultGradWeights}
	if err := CheckSources(g.Run, g.Model); err != nil {
		return q, err
	}
	if q.Label, err = checkDigit("label", g.Label); err != nil {
		return q, err
	}
	if g.Weights != nil {
		if q.Weights, err = protocol.Int("weights", g.Weights, 1, mnist.MaxChecks); err != nil {
			return q, err
		}
	}
	q.Seed = rand.Uint64N(protocol.MaxSeed + 1)
	if g.Seed != nil {
		if *g.Seed > protocol.MaxSeed {
			return q, protocol.OutOfRange("seed", fmt.Sprintf("an integer from 0 to %d", uint64(protocol.MaxSeed)), *g.Seed)
		}
		q.Seed = *g.Seed
	}
	return q, nil
}

// gradCheck compares backpropagation with central differences for q, on a
// learn worker.
func (p *Panel) gradCheck(ctx context.Context, q GradQuery) (protocol.GradCheckResult, error) {
	img, err := q.Picture.inked(p.test)
	if err != nil {
		return protocol.GradCheckResult{}, err
	}
	src, err := source(ctx, q.Run, q.Model, p.runs, p.models)
	if err != nil {
		return protocol.GradCheckResult{}, err
	}
	res := protocol.GradCheckResult{Type: protocol.EvGradChecked, Req: q.Req, Run: src.run, Model: src.model,
		Epoch: src.snap.Epoch, Image: img, Seed: q.Seed}
	res.TestIndex, res.TestLabel = q.Picture.testFields(p.test)
	err = p.explainers.with(src.snap.Model, func(e *mnist.Explainer) error {
		gc, err := e.CheckGradient(img, q.Label, q.Weights, q.Seed)
		if err == nil {
			res.GradCheck = *gc
		}
		return err
	})
	if err != nil {
		return protocol.GradCheckResult{}, fmt.Errorf("server: %s%s: %w", src.run, src.model, err)
	}
	return res, nil
}
