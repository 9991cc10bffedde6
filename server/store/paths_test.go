package store

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"descent/mnist"
)

var pathTestArch = mnist.Arch{Hidden: []int{3}, Activation: mnist.Sigmoid} // 2395 parameters

// pathBudget holds θ₀ and about 30 snapshots of pathTestArch.
const pathBudget = 4*2395 + 30*(2*2395+4*15+64)

// recordPath starts a path for run and adds steps from..to of a made-up
// training, handing each kept point to the store as the server's hook does.
func recordPath(t *testing.T, s *Store, run int64, p *mnist.Path, from, to int) {
	t.Helper()
	theta := p.Origin()
	if snaps := p.Snapshots(); len(snaps) > 0 {
		theta = snaps[len(snaps)-1].Weights(pathTestArch, p.Origin())
	}
	theta = slices.Clone(theta)
	for k := from; k <= to; k++ {
		for i := range theta {
			theta[i] += float32(math.Sin(float64(k*(i+1)))) * 1e-3
		}
		if snap := p.Add(k, theta); snap != nil {
			if err := s.AddPathPoint(run, snap, p.Every()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func newPath(t *testing.T, fill float32) *mnist.Path {
	t.Helper()
	theta0 := make([]float32, pathTestArch.NumParams())
	for i := range theta0 {
		theta0[i] = fill + float32(i%7)*0.01
	}
	p, err := mnist.NewPath(pathTestArch, theta0, pathBudget)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func pathSteps(p *mnist.Path) []int {
	var s []int
	for _, x := range p.Snapshots() {
		s = append(s, x.Step)
	}
	return s
}

// TestPathRoundTrip records a long path through the writer: the store then
// holds exactly the points of the Path in memory, within its budget, and
// reads them back to the same weights.
func TestPathRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openDir(t, t.TempDir(), defaultOptions())
	run := newRun(t, s, Run{})
	p := newPath(t, 0.1)
	if err := s.AddPathStart(run.ID, p); err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= 3000; k += 250 { // several commits, each thinning
		recordPath(t, s, run.ID, p, k, k+249)
		if err := s.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Path(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(pathSteps(got), pathSteps(p)) || got.Every() != p.Every() || got.Early() != p.Early() {
		t.Fatalf("stored path %v (every %d), in memory %v (every %d)", pathSteps(got), got.Every(), pathSteps(p), p.Every())
	}
	a, b := got.Snapshots(), p.Snapshots()
	for i := range a {
		if !slices.Equal(a[i].Weights(pathTestArch, got.Origin()), b[i].Weights(pathTestArch, p.Origin())) {
			t.Fatalf("step %d reads back other weights", a[i].Step)
		}
	}
	info, err := s.PathInfo(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if info.Points != len(b) || info.Bytes > pathBudget || info.Budget != pathBudget || info.LastStep != b[len(b)-1].Step {
		t.Errorf("PathInfo %+v; want %d points within %d bytes", info, len(b), pathBudget)
	}
	t.Logf("3000 steps: %d points every %d, %d of %d bytes on disk", info.Points, info.Every, info.Bytes, info.Budget)
}

// TestPathEdges: a point without a path start is dropped without failing
// the commit; a run without a path says so; deleting the run deletes its
// path; a new start replaces the old path.
func TestPathEdges(t *testing.T) {
	ctx := context.Background()
	s := openDir(t, t.TempDir(), defaultOptions())
	run := newRun(t, s, Run{})
	p := newPath(t, 0.2)
	recordPath(t, s, run.ID, p, 1, 20)
	if err := s.Flush(ctx); err != nil {
		t.Fatalf("points without a start failed the commit: %v", err)
	}
	if _, err := s.Path(ctx, run.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Path of a run without one = %v, want ErrNotFound", err)
	}
	if _, err := s.PathInfo(ctx, run.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("PathInfo of a run without one = %v, want ErrNotFound", err)
	}
	s.AddPathStart(run.ID, p)
	recordPath(t, s, run.ID, p, 21, 40)
	fresh := newPath(t, 0.3)
	s.AddPathStart(run.ID, fresh)
	recordPath(t, s, run.ID, fresh, 1, 5)
	s.Flush(ctx)
	got, err := s.Path(ctx, run.ID)
	if err != nil || !slices.Equal(pathSteps(got), []int{1, 2, 3, 4, 5}) || got.Origin()[0] != fresh.Origin()[0] {
		t.Fatalf("after a new start: %v, %v; want the new path's steps 1 to 5", pathSteps(got), err)
	}
	if err := s.Delete(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	var rows int
	s.rdb.QueryRow("SELECT (SELECT count(*) FROM path_origins) + (SELECT count(*) FROM path_points)").Scan(&rows)
	if rows != 0 {
		t.Errorf("%d path rows survive their run's deletion", rows)
	}
}

// TestPathResume: resuming from a checkpoint drops the path's points after
// it, and the path rebuilt from the store goes on as the original did.
func TestPathResume(t *testing.T) {
	ctx := context.Background()
	s := openDir(t, t.TempDir(), defaultOptions())
	run := newRun(t, s, Run{Status: StatusRunning})
	p := newPath(t, 0.1)
	s.AddPathStart(run.ID, p)
	recordPath(t, s, run.ID, p, 1, 100)
	s.AddEpoch(run.ID, epochEvent(1), testCheckpoint(t, 1))
	recordPath(t, s, run.ID, p, 101, 170) // lost with the process
	s.Flush(ctx)
	if _, err := s.Resume(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Path(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := pathSteps(got)[len(pathSteps(got))-1]; last > 100 {
		t.Fatalf("after resuming at step 100 the path goes on to step %d", last)
	}
	ref := newPath(t, 0.1)
	recordPath(t, s, 0, ref, 1, 100) // run 0: no such run, its points are not written
	recordPath(t, s, run.ID, got, 101, 400)
	recordPath(t, s, 0, ref, 101, 400)
	if !slices.Equal(pathSteps(got), pathSteps(ref)) {
		t.Errorf("resumed path %v, uninterrupted %v", pathSteps(got), pathSteps(ref))
	}
}

// TestPathMigration: a store written with schema version 1 opens, gains
// the path tables, and its runs read as before, without a path.
func TestPathMigration(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	v1 := defaultOptions()
	v1.migrations = migrations[:1]
	s := openDir(t, dir, v1)
	old := Run{ID: rawRun(t, s, "from version 1")}
	s.AddStep(old.ID, stepEvent(1))
	s.Close()

	s = openDir(t, dir, defaultOptions())
	if v, _ := userVersion(ctx, s.rdb); v != SchemaVersion || SchemaVersion < 2 {
		t.Errorf("user_version %d after opening, SchemaVersion %d; want the latest, at least 2", v, SchemaVersion)
	}
	if r, err := s.GetRun(ctx, old.ID); err != nil || r.Name != "from version 1" || r.Steps != 1 {
		t.Errorf("the version 1 run reads %+v, %v", r, err)
	}
	if _, err := s.Path(ctx, old.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("the version 1 run's path: %v, want ErrNotFound", err)
	}
	p := newPath(t, 0.1)
	s.AddPathStart(old.ID, p)
	recordPath(t, s, old.ID, p, 1, 10)
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Path(ctx, old.ID); err != nil || len(got.Snapshots()) != 10 {
		t.Errorf("a path added after the migration: %v", err)
	}
}
