package landscape

import (
	"context"
	"fmt"
	"time"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// Line makes the page's 1-D chart of plan, answering req with a
// LandscapeLineChart; a chart it made before and that is still being made
// is cancelled. It returns at once.
func (p *Page) Line(plan LinePlan, req int64) {
	queued := time.Now()
	p.svc.cfg.Analyses.Go(p.ctx, p, kindLine, func(ctx context.Context) {
		c, err := p.svc.line(ctx, plan, queued)
		switch {
		case err != nil && ctx.Err() == nil:
			p.post(nil, "", protocol.ErrorEvent(protocol.CmdLandscapeLine, req, err))
		case err == nil:
			c.Req = req
			p.post(nil, "", c)
		}
	})
}

// line makes a 1-D chart: for each run, the loss and accuracy along
// (1 − t)·θ₀ + t·θ_end, θ₀ its path's origin and θ_end its current weights.
func (s *Service) line(ctx context.Context, p LinePlan, queued time.Time) (protocol.LandscapeLineChart, error) {
	out := protocol.LandscapeLineChart{Type: protocol.EvLandscapeLineChart, ID: s.newID(), T: mnist.LineTs(),
		Examples: p.Examples, TestExamples: p.TestExamples}
	out.Seconds.Queued = time.Since(queued).Seconds()
	t0 := time.Now()
	lanes, err := s.lineRuns(p)
	if err != nil {
		return out, err
	}
	res := &Result{ID: out.ID, Created: time.Now(), Run: p.Run, Sweep: p.Sweep, Examples: p.Examples, TestExamples: p.TestExamples}
	var slice time.Duration
	for _, r := range lanes {
		c, err := r.Course(ctx)
		if err == nil && c.Path == nil {
			err = runs.ErrNoPath(r.ID())
		}
		if runs.IsNoPath(err) && p.Sweep != "" {
			continue // a run of the sweep from before paths were kept
		}
		if err == nil {
			err = checkProbes(c.Model.Arch, p.Examples, p.TestExamples)
		}
		if err != nil {
			return out, err
		}
		t1 := time.Now()
		var test mnist.Probe
		if p.TestExamples > 0 {
			test = mnist.Probe{Data: s.cfg.Test, N: p.TestExamples}
		}
		chart, err := mnist.Line(ctx, c.Model.Arch, c.Path.Origin(), c.Model.Params, mnist.Probe{Data: s.cfg.Train, N: p.Examples}, test, out.T)
		if err != nil {
			return out, fmt.Errorf("server: %w", err)
		}
		slice += time.Since(t1)
		m := metaOf(r)
		res.Runs, res.Arch = append(res.Runs, m), c.Model.Arch
		res.Lines = append(res.Lines, Line{Run: r.ID(), Label: labelOf(r), Step: c.Step, Chart: chart})
		out.Lines = append(out.Lines, curve(r.ID(), labelOf(r), c.Step, chart))
	}
	if len(out.Lines) == 0 {
		return out, protocol.Refuse(protocol.CodeInvalid, "sweep", "a sweep whose runs kept their paths",
			"no run of sweep %s has a training path", p.Sweep).With(p.Sweep)
	}
	out.Seconds.Slice = slice.Seconds()
	out.Seconds.Plane = time.Since(t0).Seconds() - out.Seconds.Slice
	s.results.add(res)
	return out, nil
}

// lineRuns are the runs a chart draws.
func (s *Service) lineRuns(p LinePlan) ([]runs.Run, error) {
	if p.Run != "" {
		r, err := s.cfg.Runs.Get(p.Run)
		if err != nil {
			return nil, err
		}
		return []runs.Run{r}, nil
	}
	var out []runs.Run
	for _, r := range s.cfg.Runs.List() {
		if r.Sweep() == p.Sweep {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, protocol.Refuse(protocol.CodeUnknown, "sweep", "the id of a sweep in the run list", "unknown sweep %q", p.Sweep).With(p.Sweep)
	}
	return out, nil
}

// curve is one run's line on the wire.
func curve(run, label string, step int, c *mnist.LineChart) protocol.LineCurve {
	lc := protocol.LineCurve{Run: run, Label: label, Step: step, TrainLoss: column(c.TrainLoss), TrainAccuracy: column(c.TrainAccuracy)}
	if c.TestLoss != nil {
		lc.TestLoss, lc.TestAccuracy = column(c.TestLoss), column(c.TestAccuracy)
	}
	return lc
}
