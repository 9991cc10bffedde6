package landscape

import (
	"math"
	"slices"
	"time"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// start is a slice's LandscapeStart.
func (ss *session) start(id string, sc *scene, a, b []float64, preview []int) protocol.LandscapeStart {
	p := ss.plan
	st := protocol.LandscapeStart{Type: protocol.EvLandscapeStart, Req: ss.req, ID: id, Run: p.Run, Sweep: p.Sweep,
		Model: p.Model, Plane: p.Plane, Step: sc.step, Arch: sc.plane.Arch, A: a, B: b, Preview: preview,
		Examples: p.Examples, TestExamples: p.TestExamples, Explained: sc.explained, Tracks: wires(sc), Follow: p.Follow}
	if st.Preview == nil {
		st.Preview = []int{}
	}
	if p.Plane == protocol.PlaneRandom {
		st.Seed = p.Seed
	}
	return st
}

// wires are a scene's tracks on the wire, as they are now.
func wires(sc *scene) []protocol.LandscapeTrack {
	out := make([]protocol.LandscapeTrack, len(sc.tracks))
	for i, t := range sc.tracks {
		out[i] = wire(t, t.points)
	}
	return out
}

// result is a made slice as the exports keep it.
func (ss *session) result(id string, sc *scene, sl *mnist.Slice) *Result {
	p := ss.plan
	r := &Result{ID: id, Created: time.Now(), Run: p.Run, Sweep: p.Sweep, Model: p.Model, ModelMeta: sc.meta,
		Runs: sc.runs, Arch: sc.plane.Arch, Step: sc.step, Examples: sl.Examples, TestExamples: sl.TestExamples,
		Plane: p.Plane, Slice: sl, Explained: sc.explained}
	if p.Plane == protocol.PlaneRandom {
		r.Seed = p.Seed
	}
	for _, t := range sc.tracks {
		r.Tracks = append(r.Tracks, Track{Run: t.run.ID(), Label: t.label, Points: slices.Clone(t.points), Explained: t.explained})
	}
	return r
}

// done is a made slice's LandscapeDone.
func done(req int64, r *Result, sc *scene, times protocol.LandscapeTimes) protocol.LandscapeDone {
	sl := r.Slice
	d := protocol.LandscapeDone{Type: protocol.EvLandscapeDone, Req: req, ID: r.ID, Center: protocol.Num(sl.Center),
		CenterAccuracy: protocol.Num(sl.CenterAccuracy), Explained: r.Explained, Tracks: wires(sc), Seconds: times}
	if sl.TestLoss != nil {
		tc, ta := protocol.Num(sl.TestCenter), protocol.Num(sl.TestCenterAccuracy)
		d.TestCenter, d.TestCenterAccuracy = &tc, &ta
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range sl.Loss {
		for _, v := range row {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	d.LossMin, d.LossMax = protocol.Num(lo), protocol.Num(hi)
	return d
}

// grow projects the points that the scene's live runs kept since the last
// look, and a run's final weights once it ends, posts them, and reports
// whether any run still trains. It runs on the session's goroutine, which
// owns the tracks once the scene is made.
func (ss *session) grow() bool {
	ss.mu.Lock()
	sc, id := ss.scene, ss.id
	ss.mu.Unlock()
	if sc == nil {
		return true
	}
	var out []protocol.LandscapeTrack
	added := map[string][]mnist.PathPoint{}
	live := false
	for _, t := range sc.tracks {
		l, ok := t.run.(*runs.Live)
		if t.ended || !ok {
			t.ended = true
			continue
		}
		last := -1
		if n := len(t.points); n > 0 {
			last = t.points[n-1].Step
		}
		finished := l.Finished()
		var pts []mnist.PathPoint
		if t.path != nil {
			pts = sc.plane.ProjectPath(t.path, last)
		}
		if finished {
			t.ended = true
			if c, err := l.Course(ss.ctx); err == nil && c.Step > last && (len(pts) == 0 || c.Step > pts[len(pts)-1].Step) {
				pts = append(pts, sc.plane.Project(c.Model.Params, c.Step))
			}
		} else {
			live = true
		}
		if len(pts) > 0 {
			t.points = append(t.points, pts...)
			added[t.run.ID()] = pts
			out = append(out, wire(t, pts))
		}
	}
	if len(out) > 0 {
		for i := range out {
			out[i].Label, out[i].Explained = "", nil
		}
		ss.page.postPath(ss, id, out)
		ss.page.svc.results.grow(id, added)
	}
	return live
}
