package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"descent/mnist"
	"descent/server/store"
)

// landscapeJob is what `descent landscape` slices: the plane, the domain,
// the path on it (for --run), and the words of its output.
type landscapeJob struct {
	plane   *mnist.Plane
	domain  [4]float64
	proj    *mnist.Projection // nil for a random plane
	labels  []string          // each track's run
	source  string            // "model.descent", "run 12" or "sweep 3"
	caption string
	slice   *mnist.Slice
}

// modelJob is the slice around a saved model in random directions.
func modelJob(f *landscapeFlags) (*landscapeJob, error) {
	m, err := mnist.LoadModel(f.model)
	if err != nil {
		return nil, badInput(err)
	}
	p, err := mnist.RandomPlane(m, f.seed)
	if err != nil {
		return nil, badInput(err)
	}
	r := f.rng
	if r == 0 {
		r = 1
	}
	caption := m.Arch.String()
	if m.Meta.Optimizer != "" {
		caption += fmt.Sprintf(", %s α=%g, batch %d, %d epochs", m.Meta.Optimizer, m.Meta.LR, m.Meta.Batch, m.Meta.Epochs)
	}
	return &landscapeJob{plane: p, domain: [4]float64{-r, r, -r, r}, source: f.model,
		caption: caption + fmt.Sprintf("; random filter-normalised directions, seed %d", f.seed)}, nil
}

// runJob is a stored run's path on the plane of its principal directions,
// centred on its latest weights.
func runJob(ctx context.Context, f *landscapeFlags) (*landscapeJob, error) {
	st, err := store.Open(ctx, f.dir)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	id, _ := strconv.ParseInt(f.run, 10, 64)
	run, err := st.GetRun(ctx, id)
	if err != nil {
		return nil, err
	}
	path, err := st.Path(ctx, id)
	if err != nil {
		return nil, err
	}
	center, step, err := latestWeights(ctx, st, id, path)
	if err != nil {
		return nil, err
	}
	pr, err := mnist.PathPlane(center, mnist.Track{Path: path, Final: center, FinalStep: step})
	if err != nil {
		return nil, err
	}
	job := &landscapeJob{plane: pr.Plane, domain: pr.Domain(), proj: pr, source: "run " + f.run, labels: []string{run.Name}}
	if f.rng > 0 {
		job.domain = [4]float64{-f.rng, f.rng, -f.rng, f.rng}
	}
	c := run.Config
	job.caption = fmt.Sprintf("%s, %s α=%g, batch %d, step %d; run %d (%s), PCA of %d weight snapshots",
		c.Arch, c.Optimizer, c.LR, c.Batch, step, id, run.Name, len(path.Snapshots()))
	return job, nil
}

// latestWeights returns the run's latest weights and their step: its latest
// checkpoint's, or its path's last point when it has no checkpoint.
func latestWeights(ctx context.Context, st *store.Store, id int64, path *mnist.Path) ([]float32, int, error) {
	ck, err := st.LatestCheckpoint(ctx, id)
	snaps := path.Snapshots()
	if errors.Is(err, store.ErrNotFound) || (err == nil && len(snaps) > 0 && snaps[len(snaps)-1].Step > ck.Step) {
		if len(snaps) == 0 {
			return nil, 0, fmt.Errorf("run %d has neither a checkpoint nor a point on its path yet", id)
		}
		last := snaps[len(snaps)-1]
		return last.Weights(path.Arch(), path.Origin()), last.Step, nil
	}
	if err != nil {
		return nil, 0, err
	}
	m, err := mnist.ParseModel(ck.Model)
	if err != nil {
		return nil, 0, fmt.Errorf("run %d's checkpoint: %w", id, err)
	}
	if m.Arch.String() != path.Arch().String() {
		return nil, 0, fmt.Errorf("run %d's checkpoint is %s, its path %s", id, m.Arch, path.Arch())
	}
	return m.Params, ck.Step, nil
}

// sweepJob puts a stored sweep's runs on one plane: the principal
// directions of all their paths from the initial weights they share, each
// run weighted equally (mnist.PathPlane), centred on those weights.
func sweepJob(ctx context.Context, f *landscapeFlags) (*landscapeJob, error) {
	st, err := store.Open(ctx, f.dir)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	id, _ := strconv.ParseInt(f.sweep, 10, 64)
	sw, err := st.GetSweep(ctx, id)
	if err != nil {
		return nil, err
	}
	job := &landscapeJob{source: "sweep " + f.sweep}
	var tracks []mnist.Track
	for _, rid := range sw.RunIDs {
		run, err := st.GetRun(ctx, rid)
		if err != nil {
			return nil, err
		}
		path, err := st.Path(ctx, rid)
		if errors.Is(err, store.ErrNotFound) {
			continue // a run from before paths were kept
		}
		if err != nil {
			return nil, err
		}
		final, step, err := latestWeights(ctx, st, rid, path)
		if err != nil {
			return nil, err
		}
		if len(tracks) > 0 && !slices.Equal(path.Origin(), tracks[0].Path.Origin()) {
			return nil, fmt.Errorf("the runs of sweep %d do not start from the same weights (run %d differs)", id, rid)
		}
		tracks = append(tracks, mnist.Track{Path: path, Final: final, FinalStep: step})
		job.labels = append(job.labels, run.Name)
	}
	if len(tracks) == 0 {
		return nil, fmt.Errorf("no run of sweep %d has a path (they were trained before descent kept paths)", id)
	}
	pr, err := mnist.PathPlane(tracks[0].Path.Origin(), tracks...)
	if err != nil {
		return nil, err
	}
	job.plane, job.domain, job.proj = pr.Plane, pr.Domain(), pr
	if f.rng > 0 {
		job.domain = [4]float64{-f.rng, f.rng, -f.rng, f.rng}
	}
	job.caption = fmt.Sprintf("%s, sweep %d (%s) of %d runs from the same θ₀; one plane for all, PCA of their paths",
		pr.Plane.Arch, id, sw.Name, len(tracks))
	return job, nil
}
