package export

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"descent/mnist"
	"descent/server/figures"
	"descent/server/steps"
)

// Figure kinds. A run has RunKinds, a sweep or comparison SweepKinds.
var (
	RunKinds   = []string{"loss", "accuracy", "confusion", "weights", "gradnorm", "ratio", "lr", "testloss", "lrrange", "sharpness"}
	SweepKinds = []string{"sweep", "compare", "accuracy", "sharpness"}
)

// DefaultSmoothing is the EMA weight of a loss figure's smoothed curve when
// the request names none, the page's default.
const DefaultSmoothing = 0.9

// maxFigurePoints bounds the points of one curve in a figure: longer runs
// are thinned by package steps' rule, whose extremes keep the spikes.
const maxFigurePoints = 4000

// FigureOptions say how to draw a figure.
type FigureOptions struct {
	Lang      string  // "en" or "ko"
	Smoothing float64 // the loss figure's EMA weight in [0, 1)
}

// captionWords are the words of the settings line, in one table with one
// entry per language of the page.
var captionWords = map[string]struct{ batch, epochs, seed string }{
	"en": {batch: "batch %d", epochs: "%d epochs", seed: "seed %d"},
	"ko": {batch: "배치 %d", epochs: "에포크 %d", seed: "시드 %d"},
}

// settings are the parts of a run's settings line, such as "784-100-10
// sigmoid", "sgd α=0.1", "batch 64", "10 epochs", "seed 1".
func settings(c mnist.Config, lang string) []string {
	w, ok := captionWords[lang]
	if !ok {
		w = captionWords["en"]
	}
	opt := fmt.Sprintf("%s α=%g", c.Optimizer, c.LR)
	for _, k := range slices.Sorted(maps.Keys(c.Hyper)) {
		opt += fmt.Sprintf(" %s=%g", k, c.Hyper[k])
	}
	if c.LRRange {
		opt = fmt.Sprintf("%s α %g→%g", c.Optimizer, c.LRMin, c.LRMax)
	}
	return []string{c.Arch.String(), opt, fmt.Sprintf(w.batch, c.Batch), epochsWord(w.epochs, c.Epochs), fmt.Sprintf(w.seed, c.Seed)}
}

// epochsWord is "1 epoch" or "n epochs" (format f has the plural).
func epochsWord(f string, n int) string {
	if n == 1 && strings.HasSuffix(f, "epochs") {
		return "1 epoch"
	}
	return fmt.Sprintf(f, n)
}

// Caption is the settings line of one run, or the settings that the runs of
// a sweep share (the rest are in the legend), joined by " · ".
func Caption(runs []RunData, lang string) string {
	if len(runs) == 0 {
		return ""
	}
	common := settings(runs[0].Config, lang)
	for _, r := range runs[1:] {
		s := settings(r.Config, lang)
		for i := range common {
			if common[i] != s[i] {
				common[i] = ""
			}
		}
	}
	return strings.Join(slices.DeleteFunc(common, func(s string) bool { return s == "" }), " · ")
}

// legend is a run's name in a legend: its label, or its optimizer and rate.
func legend(r RunData) string {
	if r.Label != "" {
		return r.Label
	}
	return fmt.Sprintf("%s α=%g", r.Config.Optimizer, r.Config.LR)
}

// meta is a figure's caption in lang, with the English one for a Korean
// figure drawn without a Hangul font.
func meta(runs []RunData, prefix string, lang string) figures.Meta {
	c, en := Caption(runs, lang), Caption(runs, "en")
	if prefix != "" {
		c, en = prefix+" · "+c, prefix+" · "+en
	}
	return figures.Meta{Caption: c, CaptionEN: en, Lang: lang}
}

// Figure draws kind (RunKinds for one run, SweepKinds for several) of runs;
// the weights figure also needs the run's model.
func Figure(kind string, runs []RunData, model *mnist.Model, o FigureOptions) (*figures.Figure, error) {
	if len(runs) == 0 {
		return nil, fmt.Errorf("server: no runs to draw")
	}
	prefix := ""
	if len(runs) == 1 {
		prefix = legend(runs[0])
	}
	m := meta(runs, prefix, o.Lang)
	if err := hasData(kind, runs); err != nil {
		return nil, err
	}
	switch kind {
	case "loss":
		return figures.LossFigure(lossSeries(runs[0]), o.Smoothing, m)
	case "accuracy":
		var ss []figures.Series
		for _, r := range runs {
			s := figures.Series{Label: legend(r)}
			for _, e := range r.Epochs {
				s.X, s.Y = append(s.X, float64(e.Epoch)), append(s.Y, 100*e.TestAccuracy)
			}
			ss = append(ss, s)
		}
		if len(ss) == 1 {
			ss[0].Label = ""
		}
		return figures.AccuracyFigure(ss, m)
	case "confusion":
		ep := runs[0].Epochs
		if len(ep) == 0 {
			return nil, fmt.Errorf("server: run %s has no evaluated epoch yet: %w", runs[0].ID, errNotFound)
		}
		m.Caption += " · " + epochWord(o.Lang, ep[len(ep)-1].Epoch)
		m.CaptionEN += " · " + epochWord("en", ep[len(ep)-1].Epoch)
		return figures.ConfusionFigure(ep[len(ep)-1].Confusion, m)
	case "weights":
		if model == nil || len(model.Arch.Hidden) == 0 {
			return nil, fmt.Errorf("server: run %s has no hidden layer to draw: %w", runs[0].ID, errNotFound)
		}
		h := model.Arch.Hidden[0]
		return figures.WeightsFigure(model.Params[:h*mnist.InputSize], h, m)
	case figures.GradNorm, figures.UpdateRatio, figures.LearningRate, figures.TestLoss:
		return figures.StepFigure(kind, []figures.Series{metricSeries(kind, runs[0])}, m)
	case "lrrange":
		return rangeTestFigure(runs[0], m)
	case "sharpness":
		return figures.SharpnessFigure(sharpnessSeries(runs), m)
	case "sweep", "compare":
		var ss []figures.Series
		for _, r := range runs {
			ss = append(ss, lossSeries(r))
		}
		if kind == "sweep" {
			return figures.SweepFigure(sortByRate(runs, ss), m)
		}
		return figures.CompareFigure(ss, m)
	}
	return nil, fmt.Errorf("server: unknown figure kind %q; want one of %s", kind, strings.Join(append(slices.Clone(RunKinds), SweepKinds[:2]...), ", "))
}

// hasData returns an error wrapping errNotFound when no run has what kind
// draws yet: a step for the loss curves, an epoch for accuracy.
func hasData(kind string, runs []RunData) error {
	for _, r := range runs {
		switch kind {
		case "loss", "sweep", "compare", "gradnorm", "ratio", "lr", "lrrange":
			if len(r.Steps.Step) > 0 {
				return nil
			}
		case "accuracy", "testloss":
			if len(r.Epochs) > 0 {
				return nil
			}
		case "sharpness":
			if r.Steps.MarkLen() > 0 {
				return nil
			}
		default:
			return nil
		}
	}
	what := "step"
	switch kind {
	case "accuracy", "testloss":
		what = "evaluated epoch"
	case "sharpness":
		what = "sharpness measurement (its sharpness is tracked when it starts with one, a sweep's when it asks)"
	}
	return fmt.Errorf("server: run %s has no %s yet: %w", runs[0].ID, what, errNotFound)
}

// ReadFigure reads from src what a figure of kind needs, run id (what is
// "run") or every run of sweep id (what is "sweep") with the steps thinned
// to maxFigurePoints, and the model for the weights, and draws it.
func ReadFigure(ctx context.Context, src RunSource, what, id, kind string, o FigureOptions) (*figures.Figure, error) {
	var runs []RunData
	var model *mnist.Model
	var err error
	if what == "sweep" {
		runs, err = sweepData(ctx, src, id, maxFigurePoints)
	} else {
		var d RunData
		d, err = src.Run(ctx, id, maxFigurePoints)
		runs = []RunData{d}
	}
	if err == nil && kind == "weights" {
		model, err = src.Model(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	return Figure(kind, runs, model, o)
}

// epochWord says which epoch a confusion matrix is from.
func epochWord(lang string, e int) string {
	if lang == "ko" {
		return "에포크 " + strconv.Itoa(e)
	}
	return "epoch " + strconv.Itoa(e)
}

// sortByRate orders a sweep's curves from the smallest rate to the largest,
// the order of SweepFigure's colours.
func sortByRate(runs []RunData, ss []figures.Series) []figures.Series {
	idx := make([]int, len(runs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Compare(runs[a].Config.LR, runs[b].Config.LR)
	})
	out := make([]figures.Series, len(ss))
	for i, k := range idx {
		out[i] = ss[k]
	}
	return out
}

// lossSeries is a run's loss against the step, thinned to maxFigurePoints
// with each point's lowest and highest loss as a band, marked diverged when
// it did.
func lossSeries(r RunData) figures.Series {
	s := figures.Series{Label: legend(r), DivergedAt: r.DivergedAt}
	s.Diverged = r.DivergedAt > 0 || strings.HasPrefix(r.Status, mnist.StatusDiverged)
	st := r.Steps.Thin(maxFigurePoints)
	for i := range st.Step {
		_, lo, hi := st.At(i)
		s.X, s.Y = append(s.X, float64(st.Step[i])), append(s.Y, float64(st.Loss[i]))
		s.Lo, s.Hi = append(s.Lo, float64(lo)), append(s.Hi, float64(hi))
	}
	return s
}

// metricSeries is one of a run's per-step metrics (gradnorm, ratio, lr),
// thinned to maxFigurePoints, or its test loss per epoch (testloss).
func metricSeries(kind string, r RunData) figures.Series {
	var s figures.Series
	if kind == figures.TestLoss {
		for _, e := range r.Epochs {
			s.X, s.Y = append(s.X, float64(e.Epoch)), append(s.Y, e.TestLoss)
		}
		return s
	}
	st := r.Steps.Thin(maxFigurePoints)
	col := map[string]steps.Column{figures.GradNorm: st.GradNorm, figures.UpdateRatio: st.UpdateRatio, figures.LearningRate: st.LR}[kind]
	for i := range st.Step {
		s.X, s.Y = append(s.X, float64(st.Step[i])), append(s.Y, float64(col[i]))
	}
	return s
}

// rangeTestFigure is an LR range test's loss against its rate α, with the
// suggested rate; a run that is not a range test is refused.
func rangeTestFigure(r RunData, m figures.Meta) (*figures.Figure, error) {
	if !r.Config.LRRange {
		return nil, fmt.Errorf("server: run %s is not an LR range test; its figure kinds are %s", r.ID,
			strings.Join(RunKinds[:len(RunKinds)-1], ", "))
	}
	st := r.Steps.Thin(maxFigurePoints)
	lr, loss := make([]float64, st.Len()), make([]float64, st.Len())
	for i := range st.Step {
		lr[i], loss[i] = float64(st.LR[i]), float64(st.Loss[i])
	}
	return figures.RangeTestFigure(lr, loss, m)
}
