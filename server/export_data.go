package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"descent/mnist"
	"descent/server/store"
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

// runSource is where exports read runs: the live manager, or the store for
// runs of earlier processes.
type runSource interface {
	Run(ctx context.Context, id string) (RunData, error)
	Sweep(ctx context.Context, id string) ([]RunData, error)
	Model(ctx context.Context, id string) (*mnist.Model, error)
}

// errNotFound marks an unknown run or sweep, answered with 404.
var errNotFound = errors.New("not found")

// liveSource reads the runs of the manager at full resolution.
type liveSource struct{ m *manager }

// Run returns a live run's series at full resolution.
func (l liveSource) Run(ctx context.Context, id string) (RunData, error) {
	r, err := l.m.get(id)
	if err != nil {
		return RunData{}, fmt.Errorf("server: unknown run %q: %w", id, errNotFound)
	}
	return l.m.runData(ctx, r) // persist.go: a run of an earlier session from the store
}

// Sweep returns every live run of sweep id.
func (l liveSource) Sweep(ctx context.Context, id string) ([]RunData, error) {
	var out []RunData
	for _, r := range l.m.list() {
		if r.sweep == id {
			d, err := l.m.runData(ctx, r)
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("server: unknown sweep %q: %w", id, errNotFound)
	}
	return out, nil
}

// Model returns a live run's weights after its last epoch.
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
func liveRunData(r *Run) RunData {
	in := r.info()
	d := RunData{ID: r.id, Sweep: r.sweep, Label: r.label, Config: r.cfg, Status: in.StatusText, DivergedAt: in.DivergedAt,
		StepsPerEpoch: in.StepsPerEpoch}
	n := r.steps.len()
	s := StepColumns{Step: make([]int, n), Loss: make(Floats, n), GradNorm: make(Floats, n),
		UpdateRatio: make(Floats, n), LR: make(Floats, n)}
	var buf []byte
	f64 := func(v float32) float64 {
		buf = strconv.AppendFloat(buf[:0], float64(v), 'g', -1, 32)
		f, _ := strconv.ParseFloat(string(buf), 64) // ±Inf and NaN parse too
		return f
	}
	for i := range n {
		rec := r.steps.at(i)
		s.Step[i] = i + 1
		s.Loss[i], s.GradNorm[i], s.UpdateRatio[i], s.LR[i] = f64(rec.loss), f64(rec.gradNorm), f64(rec.updateRatio), f64(rec.lr)
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

// StoreSource reads runs saved in St; its ids are the store's decimal ids.
type StoreSource struct{ St *store.Store }

// Run returns the stored run id.
func (s StoreSource) Run(ctx context.Context, id string) (RunData, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return RunData{}, fmt.Errorf("server: run id %q is not a number", id)
	}
	return StoreRun(ctx, s.St, n)
}

// Sweep returns every run of the stored sweep id.
func (s StoreSource) Sweep(ctx context.Context, id string) ([]RunData, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("server: sweep id %q is not a number", id)
	}
	return StoreSweep(ctx, s.St, n)
}

// StoreSweep reads every run of a stored sweep, oldest first.
func StoreSweep(ctx context.Context, st *store.Store, id int64) ([]RunData, error) {
	sw, err := st.GetSweep(ctx, id)
	if err != nil {
		return nil, notFoundOr(err)
	}
	var out []RunData
	for _, rid := range sw.RunIDs {
		d, err := StoreRun(ctx, st, rid)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("server: sweep %d has no runs: %w", id, errNotFound)
	}
	return out, nil
}

// IsNotFound reports whether err is an export's unknown run or sweep.
func IsNotFound(err error) bool { return errors.Is(err, errNotFound) }

// Model returns the stored run's latest checkpointed weights.
func (s StoreSource) Model(ctx context.Context, id string) (*mnist.Model, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("server: run id %q is not a number", id)
	}
	m, err := s.St.Model(ctx, n, 0)
	return m, notFoundOr(err)
}

// StoreRun reads one stored run with every step and epoch.
func StoreRun(ctx context.Context, st *store.Store, id int64) (RunData, error) {
	r, err := st.GetRun(ctx, id)
	if err != nil {
		return RunData{}, notFoundOr(err)
	}
	steps, err := st.Steps(ctx, id, 0, 0)
	if err != nil {
		return RunData{}, err
	}
	epochs, err := st.Epochs(ctx, id)
	if err != nil {
		return RunData{}, err
	}
	d := RunData{ID: strconv.FormatInt(r.ID, 10), Label: r.Name, Config: r.Config, Status: r.StatusText,
		StepsPerEpoch: r.StepsPerEpoch}
	if d.Status == "" {
		d.Status = r.Status
	}
	if r.SweepID != 0 {
		d.Sweep = strconv.FormatInt(r.SweepID, 10)
	}
	for _, e := range steps {
		d.Steps.Step = append(d.Steps.Step, e.Step)
		d.Steps.Loss = append(d.Steps.Loss, e.Loss)
		d.Steps.GradNorm = append(d.Steps.GradNorm, e.GradNorm)
		d.Steps.UpdateRatio = append(d.Steps.UpdateRatio, e.UpdateRatio)
		d.Steps.LR = append(d.Steps.LR, e.LR)
		if d.DivergedAt == 0 && (math.IsNaN(e.Loss) || math.IsInf(e.Loss, 0)) {
			d.DivergedAt = e.Step
		}
	}
	for _, e := range epochs {
		d.Epochs = append(d.Epochs, epochRow(e))
	}
	return d, nil
}

// notFoundOr marks the store's not-found errors with errNotFound.
func notFoundOr(err error) error {
	if err != nil && errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("server: %w: %w", err, errNotFound)
	}
	return err
}

// writeRunsJSON writes runs as {"runs": [...]}, every series with its settings.
func writeRunsJSON(w io.Writer, runs []RunData) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(struct {
		Runs []RunData `json:"runs"`
	}{runs})
}
