package landscape

import (
	"context"
	"fmt"
	"slices"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// scene is a plan made concrete: the plane, the grid's domain, the centre's
// step and each run's path on the plane. It is made on the analysis
// goroutine (a stored run is read from the disk, a PCA plane decomposes the
// paths) and then only read, but for the tracks' progress (session.mu).
type scene struct {
	plane     *mnist.Plane
	domain    [4]float64
	step      int
	explained *[2]float64
	tracks    []*track
	meta      mnist.ModelMeta
	runs      []RunMeta
}

// track is one run's path on the scene's plane.
type track struct {
	run       runs.Run
	label     string
	path      *mnist.Path // nil when the run kept none
	points    []mnist.PathPoint
	explained *[2]float64
	last      int  // the last step projected; session.mu
	ended     bool // its final weights are projected; session.mu
}

// resolve makes the scene of a plan.
func (s *Service) resolve(ctx context.Context, p Plan) (*scene, error) {
	switch {
	case p.Model != "":
		snap, err := s.cfg.Models.Snapshot(p.Model)
		if err != nil {
			return nil, err
		}
		return s.randomScene(snap.Model, p, nil, 0)
	case p.Run != "":
		r, err := s.cfg.Runs.Get(p.Run)
		if err != nil {
			return nil, err
		}
		c, err := r.Course(ctx)
		if err != nil {
			return nil, err
		}
		t := &track{run: r, label: labelOf(r), path: c.Path}
		if p.Plane == protocol.PlaneRandom {
			return s.randomScene(c.Model, p, t, c.Step)
		}
		if c.Path == nil {
			return nil, runs.ErrNoPath(r.ID())
		}
		pr, err := mnist.PathPlane(c.Model.Params, mnist.Track{Path: c.Path, Final: c.Model.Params, FinalStep: c.Step})
		if err != nil {
			return nil, planeError(p.Run, err)
		}
		return pcaScene(pr, p, []*track{t}, c.Step), nil
	}
	return s.sweepScene(ctx, p)
}

// randomScene is the plane of two filter-normalised random directions
// around m's weights, with t's path (if any) projected on it.
func (s *Service) randomScene(m *mnist.Model, p Plan, t *track, step int) (*scene, error) {
	plane, err := mnist.RandomPlane(m, p.Seed)
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	sc := &scene{plane: plane, domain: p.Domain, step: step, meta: m.Meta}
	if sc.domain == [4]float64{} {
		r := p.Range
		if r == 0 {
			r = 1
		}
		sc.domain = [4]float64{-r, r, -r, r}
	}
	if t != nil {
		sc.runs = []RunMeta{metaOf(t.run)}
		if t.path != nil {
			t.points = plane.ProjectPath(t.path, -1)
		}
		if n := len(t.points); n == 0 || t.points[n-1].Step < step {
			t.points = append(t.points, plane.Project(m.Params, step))
		}
		sc.tracks = []*track{t}
	}
	return sc, nil
}

// pcaScene is a PathPlane's plane with its tracks.
func pcaScene(pr *mnist.Projection, p Plan, ts []*track, step int) *scene {
	ex := pr.Plane.Explained
	sc := &scene{plane: pr.Plane, domain: p.Domain, step: step, explained: &ex, tracks: ts}
	switch {
	case p.Range > 0:
		sc.domain = [4]float64{-p.Range, p.Range, -p.Range, p.Range}
	case sc.domain == [4]float64{}:
		sc.domain = pr.Domain()
	}
	for i, t := range ts {
		t.points = pr.Tracks[i]
		e := pr.Explained[i]
		t.explained = &e
		sc.runs = append(sc.runs, metaOf(t.run))
	}
	return sc
}

// sweepScene puts a sweep's runs on one plane through the θ₀ they share,
// spanned by the principal directions of all their paths, each run weighted
// equally (mnist.PathPlane). Runs without a path are left out.
func (s *Service) sweepScene(ctx context.Context, p Plan) (*scene, error) {
	var ts []*track
	var mts []mnist.Track
	seen := false
	for _, r := range s.cfg.Runs.List() {
		if r.Sweep() != p.Sweep {
			continue
		}
		seen = true
		c, err := r.Course(ctx)
		if err != nil && !runs.IsNoPath(err) {
			return nil, err
		}
		if c.Path == nil {
			continue
		}
		if len(mts) > 0 && !slices.Equal(c.Path.Origin(), mts[0].Path.Origin()) {
			return nil, protocol.Refuse(protocol.CodeInvalid, "sweep", "a sweep whose runs start from the same weights",
				"the runs of sweep %s do not start from the same weights (run %s differs)", p.Sweep, r.ID()).With(p.Sweep)
		}
		ts = append(ts, &track{run: r, label: labelOf(r), path: c.Path})
		mts = append(mts, mnist.Track{Path: c.Path, Final: c.Model.Params, FinalStep: c.Step})
	}
	switch {
	case !seen:
		return nil, protocol.Refuse(protocol.CodeUnknown, "sweep", "the id of a sweep in the run list", "unknown sweep %q", p.Sweep).With(p.Sweep)
	case len(ts) == 0:
		return nil, protocol.Refuse(protocol.CodeInvalid, "sweep", "a sweep whose runs kept their paths",
			"no run of sweep %s has a training path", p.Sweep).With(p.Sweep)
	}
	pr, err := mnist.PathPlane(mts[0].Path.Origin(), mts...)
	if err != nil {
		return nil, planeError(p.Sweep, err)
	}
	return pcaScene(pr, p, ts, 0), nil
}

// planeError refuses a plane that cannot be made, such as the PCA plane of
// a run that has not moved yet.
func planeError(id string, err error) error {
	return protocol.Refuse(protocol.CodeBusy, "plane", "a run that has trained a few steps",
		"no PCA plane for %s yet: %v", id, err).With(id)
}

// labelOf is a run's name in a legend: its label, or its optimizer and
// rate.
func labelOf(r runs.Run) string {
	in := r.Info()
	if in.Label != "" {
		return in.Label
	}
	return fmt.Sprintf("%s α=%g", in.Config.Optimizer, in.Config.LR)
}

func metaOf(r runs.Run) RunMeta {
	in := r.Info()
	return RunMeta{ID: in.ID, Label: in.Label, Config: in.Config}
}

// wire is a track's points on the wire.
func wire(t *track, pts []mnist.PathPoint) protocol.LandscapeTrack {
	w := protocol.LandscapeTrack{Run: t.run.ID(), Label: t.label, Explained: t.explained,
		Step: make([]int, len(pts)), A: make([]protocol.Num, len(pts)), B: make([]protocol.Num, len(pts)),
		Dist: make([]protocol.Num, len(pts)), Norm: make([]protocol.Num, len(pts))}
	for k, p := range pts {
		w.Step[k], w.A[k], w.B[k], w.Dist[k], w.Norm[k] = p.Step, protocol.Num(p.A), protocol.Num(p.B), protocol.Num(p.Dist), protocol.Num(p.Norm)
	}
	return w
}
