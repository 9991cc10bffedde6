package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"descent/mnist"
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
	StepsPerEpoch int         `json:"stepsPerEpoch,omitempty"`
	Steps         StepColumns `json:"steps"`
	Epochs        []EpochRow  `json:"epochs"`
}

// StepColumns are a run's steps, one column per metric; Step[i] is the
// 1-based step of row i.
type StepColumns struct {
	Step        []int  `json:"step"`
	Loss        Floats `json:"loss"`
	GradNorm    Floats `json:"gradNorm"`
	UpdateRatio Floats `json:"updateRatio"`
	LR          Floats `json:"lr"`
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

// Floats is a column written in JSON as the shortest decimals that read back
// to the same float64, with null for a value that is not finite (read back
// as NaN), since a diverged run's loss ends in NaN or ±Inf.
type Floats []float64

// MarshalJSON writes the column as a JSON array.
func (c Floats) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 2+len(c)*12)
	b = append(b, '[')
	for i, v := range c {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendFloat(b, v, "null")
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads an array of numbers and nulls.
func (c *Floats) UnmarshalJSON(b []byte) error {
	var raw []*float64
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*c = make(Floats, len(raw))
	for i, p := range raw {
		(*c)[i] = math.NaN()
		if p != nil {
			(*c)[i] = *p
		}
	}
	return nil
}

// appendFloat appends v in strconv's shortest round-trip form ('g', -1), or
// missing when v is not finite.
func appendFloat(b []byte, v float64, missing string) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return append(b, missing...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// RunSource is where exports read runs: the live manager (liveSource),
// which also serves the runs of earlier sessions from the store, or the
// store alone (StoreSource, for `descent plot`).
type RunSource interface {
	// Run returns run id with its settings, steps and epochs. With
	// maxPoints > 0 the steps may be thinned to about that many (see
	// thinIndices), which is all a figure needs.
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

// liveSource reads the runs of the manager.
type liveSource struct{ m *manager }

// Run returns a run's series: a live run's from memory, a run of an earlier
// session's from the store (persist.go).
func (l liveSource) Run(ctx context.Context, id string, maxPoints int) (RunData, error) {
	r, err := l.m.get(id)
	if err != nil {
		return RunData{}, fmt.Errorf("server: unknown run %q: %w", id, errNotFound)
	}
	if maxPoints > 0 && r.trainer != nil {
		return liveRunThin(r, maxPoints), nil
	}
	d, err := l.m.runData(ctx, r)
	if err == nil && maxPoints > 0 {
		d.Steps = d.Steps.thin(maxPoints)
	}
	return d, err
}

// SweepRuns returns the ids of the runs of sweep id.
func (l liveSource) SweepRuns(_ context.Context, id string) ([]string, error) {
	var ids []string
	for _, r := range l.m.list() {
		if r.sweep == id {
			ids = append(ids, r.id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("server: unknown sweep %q: %w", id, errNotFound)
	}
	return ids, nil
}

// Model returns a run's weights after its last epoch.
func (l liveSource) Model(_ context.Context, id string) (*mnist.Model, error) {
	r, err := l.m.get(id)
	if err != nil {
		return nil, fmt.Errorf("server: unknown run %q: %w", id, errNotFound)
	}
	snap, err := r.snapshot() // a run of an earlier session: its saved weights (persist.go)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, errNotFound)
	}
	m := snap.model
	if m == nil {
		return nil, fmt.Errorf("server: run %s has no weights yet: %w", id, errNotFound)
	}
	return m, nil
}

// liveRunData copies a live run's series. The steps are float32 in memory;
// each is exported as the shortest decimal of its float32, the number the
// page shows.
func liveRunData(r *Run) RunData { return liveRunThin(r, 0) }

// liveRunThin is liveRunData with the steps thinned to about maxPoints
// (thinIndices) when that is above 0, without copying the others.
func liveRunThin(r *Run, maxPoints int) RunData {
	in := r.info()
	d := RunData{ID: r.id, Sweep: r.sweep, Label: r.label, Config: r.cfg, Status: in.StatusText, DivergedAt: in.DivergedAt,
		StepsPerEpoch: in.StepsPerEpoch}
	n := r.steps.len()
	idx := thinIndices(n, maxPoints, func(i int) float64 { return float64(r.steps.at(i).loss) })
	if idx != nil {
		n = len(idx)
	}
	s := StepColumns{Step: make([]int, n), Loss: make(Floats, n), GradNorm: make(Floats, n),
		UpdateRatio: make(Floats, n), LR: make(Floats, n)}
	var buf []byte
	f64 := func(v float32) float64 {
		buf = strconv.AppendFloat(buf[:0], float64(v), 'g', -1, 32)
		f, _ := strconv.ParseFloat(string(buf), 64) // ±Inf and NaN parse too
		return f
	}
	for k := range n {
		i := k
		if idx != nil {
			i = idx[k]
		}
		rec := r.steps.at(i)
		s.Step[k] = i + 1
		s.Loss[k], s.GradNorm[k], s.UpdateRatio[k], s.LR[k] = f64(rec.loss), f64(rec.gradNorm), f64(rec.updateRatio), f64(rec.lr)
	}
	d.Steps = s
	for _, e := range r.epochsFrom(0) {
		d.Epochs = append(d.Epochs, epochRow(e.v.EpochEvent))
	}
	return d
}

func epochRow(e mnist.EpochEvent) EpochRow {
	return EpochRow{Epoch: e.Epoch, Step: e.Step, TrainLoss: e.TrainLoss, TestLoss: e.TestLoss,
		TestAccuracy: e.TestAccuracy, Confusion: e.Confusion}
}
