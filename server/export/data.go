// Package export hands every view's content over for reports and slides: a
// run's or a sweep's figures (drawn by package figures) and data files (CSV,
// JSON, the model file), and the surface explorer's trajectories, read from
// a RunSource: the live manager, or the store alone for `descent plot`.
// Errors say "server:", as the server's own do.
package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
	"descent/server/steps"
)

// RunData is one run as the exports write it: its settings, every step and
// every epoch. It is the JSON export's element and what figures are drawn
// from, whether the run is live or stored.
type RunData struct {
	ID         string       `json:"id"`
	Sweep      string       `json:"sweep,omitempty"`
	Label      string       `json:"label"`
	Config     mnist.Config `json:"config"`
	Status     string       `json:"status"`
	DivergedAt int          `json:"divergedAt,omitempty"`
	// StepsPerEpoch is ⌈N/B⌉, the steps of one pass; 0 when not known.
	StepsPerEpoch int           `json:"stepsPerEpoch,omitempty"`
	Steps         steps.Columns `json:"steps"` // float32, the precision the page shows; with the sharpness columns when tracked
	Epochs        []EpochRow    `json:"epochs"`
	// Sharpness is the run's sharpness tracking (its probe set), when it is
	// tracked.
	Sharpness *protocol.SharpnessInfo `json:"sharpness,omitempty"`
}

// EpochRow is one epoch's evaluation on the test set.
type EpochRow struct {
	Epoch        int         `json:"epoch"`
	Step         int         `json:"step"`
	TrainLoss    float64     `json:"trainLoss"`
	TestLoss     float64     `json:"testLoss"`
	TestAccuracy float64     `json:"testAccuracy"` // in [0, 1]
	Confusion    [10][10]int `json:"confusion"`    // [actual][predicted]
}

// appendFloat appends v in strconv's shortest round-trip form ('g', -1), or
// missing when v is not finite.
func appendFloat(b []byte, v float64, missing string) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, missing...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// RunSource is where exports read runs: the live manager (LiveSource),
// which also serves the runs of earlier sessions from the store, or the
// store alone (StoreSource, for `descent plot`).
type RunSource interface {
	// Run returns run id with its settings, steps and epochs. With
	// maxPoints > 0 the steps are thinned to at most that many by package
	// steps' rule, which is all a figure needs.
	Run(ctx context.Context, id string, maxPoints int) (RunData, error)
	// SweepRuns returns the ids of the runs of sweep id, oldest first.
	SweepRuns(ctx context.Context, id string) ([]string, error)
	// Model returns the latest weights of run id.
	Model(ctx context.Context, id string) (*mnist.Model, error)
}

// errNotFound marks an unknown run or sweep, answered with 404.
var errNotFound = errors.New("not found")

// IsNotFound reports whether err is an export's unknown run or sweep.
func IsNotFound(err error) bool { return errors.Is(err, errNotFound) }

// sweepData reads every run of sweep id.
func sweepData(ctx context.Context, src RunSource, id string, maxPoints int) ([]RunData, error) {
	ids, err := src.SweepRuns(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]RunData, 0, len(ids))
	for _, rid := range ids {
		d, err := src.Run(ctx, rid, maxPoints)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// LiveSource reads the runs of a manager, live ones from memory and stored
// ones from the store, all through runs.Run.
type LiveSource struct{ M *runs.Manager }

// Run returns a run's settings, steps and epochs.
func (l LiveSource) Run(ctx context.Context, id string, maxPoints int) (RunData, error) {
	r, err := l.M.Get(id)
	if err != nil {
		return RunData{}, fmt.Errorf("server: unknown run %q: %w", id, errNotFound)
	}
	in := r.Info()
	d := RunData{ID: in.ID, Sweep: in.Sweep, Label: in.Label, Config: in.Config, Status: in.StatusText,
		DivergedAt: in.DivergedAt, StepsPerEpoch: in.StepsPerEpoch, Sharpness: in.Sharpness}
	if d.Steps, err = r.Steps(ctx, maxPoints); err != nil {
		return RunData{}, err
	}
	epochs, err := r.Epochs(ctx)
	if err != nil {
		return RunData{}, err
	}
	for _, e := range epochs {
		d.Epochs = append(d.Epochs, epochRow(e))
	}
	return d, nil
}

// SweepRuns returns the ids of the runs of sweep id.
func (l LiveSource) SweepRuns(_ context.Context, id string) ([]string, error) {
	var ids []string
	for _, r := range l.M.List() {
		if r.Sweep() == id {
			ids = append(ids, r.ID())
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("server: unknown sweep %q: %w", id, errNotFound)
	}
	return ids, nil
}

// Model returns a run's weights after its last epoch.
func (l LiveSource) Model(ctx context.Context, id string) (*mnist.Model, error) {
	r, err := l.M.Get(id)
	if err != nil {
		return nil, fmt.Errorf("server: unknown run %q: %w", id, errNotFound)
	}
	snap, err := r.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, errNotFound)
	}
	if snap.Model == nil {
		return nil, fmt.Errorf("server: run %s has no weights yet: %w", id, errNotFound)
	}
	return snap.Model, nil
}

func epochRow(e mnist.EpochEvent) EpochRow {
	return EpochRow{Epoch: e.Epoch, Step: e.Step, TrainLoss: e.TrainLoss, TestLoss: e.TestLoss,
		TestAccuracy: e.TestAccuracy, Confusion: e.Confusion}
}
