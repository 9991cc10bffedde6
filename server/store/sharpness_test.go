package store

import (
	"context"
	"math"
	"slices"
	"testing"

	"descent/mnist"
	"descent/server/steps"
)

// sharpEvent is a measurement at step k; every third one has no threshold.
func sharpEvent(k int) mnist.SharpnessEvent {
	e := mnist.SharpnessEvent{Step: k, Sharpness: 4 + float64(k)/1000, Threshold: 20, LR: 0.1, HVPs: 8, Seconds: 0.05}
	if k%3 == 0 {
		e.Threshold = 0
	}
	return e
}

// TestSharpnessColumns writes steps with measurements that arrive after
// them, and reads them back: every one, and thinned by package steps' rule
// exactly as the live series thins them.
func TestSharpnessColumns(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	run := newRun(t, s, Run{SharpnessExamples: 500})
	const n = 5000
	var live steps.Series
	for k := 1; k <= n; k++ {
		s.AddStep(run.ID, stepEvent(k))
		live.Add(point(stepEvent(k)))
		if k%37 == 1 && k > 40 { // the measurement of step k−40 comes now
			e := sharpEvent(k - 40)
			s.AddSharpness(run.ID, e)
			live.AddMark(steps.MarkOf(e.Step, e.Sharpness, e.Threshold, e.LR))
		}
	}
	s.AddSharpness(run.ID, sharpEvent(n+1)) // the final weights': beyond the steps, not read with them
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.GetRun(ctx, run.ID); r.SharpnessExamples != 500 {
		t.Errorf("the run's probe set reads %d, want 500", r.SharpnessExamples)
	}
	evs, err := s.Sharpness(ctx, run.ID)
	if err != nil || len(evs) != 135 || evs[0] != sharpEvent(35) || evs[len(evs)-1] != sharpEvent(n+1) {
		t.Fatalf("Sharpness: %d measurements, first %+v, %v", len(evs), evs[0], err)
	}
	for _, maxPoints := range []int{0, 300, 40} {
		got, err := s.StepColumns(ctx, run.ID, maxPoints)
		if err != nil {
			t.Fatal(err)
		}
		want := live.Points(0, n, maxPoints)
		if !slices.Equal(got.SharpnessStep, want.SharpnessStep) || !sameFloats(got.Sharpness, want.Sharpness) ||
			!sameFloats(got.Threshold, want.Threshold) || !sameFloats(got.SharpnessLR, want.SharpnessLR) {
			t.Errorf("StepColumns(%d): marks at %v, the rule gives %v", maxPoints, got.SharpnessStep, want.SharpnessStep)
		}
		if maxPoints > 0 && (len(got.SharpnessStep) > maxPoints || len(got.SharpnessStep) == 0) {
			t.Errorf("StepColumns(%d): %d marks", maxPoints, len(got.SharpnessStep))
		}
	}
}

// sameFloats compares columns, NaN equal to NaN.
func sameFloats(a, b steps.Column) bool {
	return slices.EqualFunc(a, b, func(x, y float32) bool { return x == y || (math.IsNaN(float64(x)) && math.IsNaN(float64(y))) })
}

// TestSharpnessResume: a resumed run keeps the measurements up to its
// checkpoint, and a deleted one loses them.
func TestSharpnessResume(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	run := newRun(t, s, Run{SharpnessExamples: 100})
	for k := 1; k <= 250; k++ {
		s.AddStep(run.ID, stepEvent(k))
		if k%50 == 0 {
			s.AddSharpness(run.ID, sharpEvent(k-10))
		}
		if k%100 == 0 {
			s.AddEpoch(run.ID, epochEvent(k/100), &Checkpoint{Model: testModel(t, 1)})
		}
	}
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resume(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	evs, _ := s.Sharpness(ctx, run.ID)
	var at []int
	for _, e := range evs {
		at = append(at, e.Step)
	}
	if !slices.Equal(at, []int{40, 90, 140, 190}) {
		t.Errorf("after resuming at step 200: measurements at %v, want 40 90 140 190", at)
	}
	if err := s.Delete(ctx, run.ID); err != nil {
		t.Fatal(err)
	}
	var left int
	s.rdb.QueryRow("SELECT count(*) FROM sharpness").Scan(&left)
	if left != 0 {
		t.Errorf("%d measurements left after deleting the run", left)
	}
}

// TestSharpnessMigration: a store written with schema version 2 opens, gains
// the sharpness table and column, and its runs and steps read as before,
// untracked and without marks.
func TestSharpnessMigration(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	v2 := defaultOptions()
	v2.migrations = migrations[:2]
	s := openDir(t, dir, v2)
	old := Run{ID: rawRun(t, s, "from version 2")}
	for k := 1; k <= 20; k++ {
		s.AddStep(old.ID, stepEvent(k))
	}
	s.Close()

	s = openDir(t, dir, defaultOptions())
	if v, _ := userVersion(ctx, s.rdb); v != 3 {
		t.Errorf("user_version %d after opening, want 3", v)
	}
	r, err := s.GetRun(ctx, old.ID)
	if err != nil || r.Name != "from version 2" || r.Steps != 20 || r.SharpnessExamples != 0 || r.Config.Batch != 64 {
		t.Errorf("the version 2 run reads %+v, %v", r, err)
	}
	cols, err := s.StepColumns(ctx, old.ID, 0)
	if err != nil || cols.Len() != 20 || cols.SharpnessStep != nil {
		t.Errorf("its steps: %d, marks %v, %v; want 20 steps and no marks", cols.Len(), cols.SharpnessStep, err)
	}
	s.AddSharpness(old.ID, sharpEvent(5))
	if err := s.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if cols, _ := s.StepColumns(ctx, old.ID, 0); !slices.Equal(cols.SharpnessStep, []int{5}) {
		t.Errorf("a measurement added after the migration: marks at %v", cols.SharpnessStep)
	}
}
