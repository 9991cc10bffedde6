package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/store"
)

// StoreSource reads runs saved in St; its ids are the store's decimal ids.
// `descent plot` uses it; the server reads its own earlier runs through the
// manager.
type StoreSource struct{ St *store.Store }

// Run returns the stored run id; with maxPoints > 0 its steps are thinned
// by store.StepColumns, the rule of package steps.
func (s StoreSource) Run(ctx context.Context, id string, maxPoints int) (RunData, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return RunData{}, fmt.Errorf("server: run id %q is not a number", id)
	}
	return storeRun(ctx, s.St, n, maxPoints)
}

// SweepRuns returns the ids of the runs of the stored sweep id.
func (s StoreSource) SweepRuns(ctx context.Context, id string) ([]string, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("server: sweep id %q is not a number", id)
	}
	sw, err := s.St.GetSweep(ctx, n)
	if err != nil {
		return nil, notFoundOr(err)
	}
	if len(sw.RunIDs) == 0 {
		return nil, fmt.Errorf("server: sweep %d has no runs: %w", n, errNotFound)
	}
	ids := make([]string, len(sw.RunIDs))
	for i, rid := range sw.RunIDs {
		ids[i] = strconv.FormatInt(rid, 10)
	}
	return ids, nil
}

// Model returns the stored run's latest checkpointed weights.
func (s StoreSource) Model(ctx context.Context, id string) (*mnist.Model, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("server: run id %q is not a number", id)
	}
	m, err := s.St.Model(ctx, n, 0)
	return m, notFoundOr(err)
}

// StoreSweep reads every run of a stored sweep with every step, oldest
// first.
func StoreSweep(ctx context.Context, st *store.Store, id int64) ([]RunData, error) {
	return sweepData(ctx, StoreSource{st}, strconv.FormatInt(id, 10), 0)
}

// StoreRun reads one stored run with every step and epoch.
func StoreRun(ctx context.Context, st *store.Store, id int64) (RunData, error) {
	return storeRun(ctx, st, id, 0)
}

// storeRun reads one stored run, its steps thinned to maxPoints when that
// is above 0.
func storeRun(ctx context.Context, st *store.Store, id int64, maxPoints int) (RunData, error) {
	r, err := st.GetRun(ctx, id)
	if err != nil {
		return RunData{}, notFoundOr(err)
	}
	cols, err := st.StepColumns(ctx, id, maxPoints)
	if err != nil {
		return RunData{}, err
	}
	epochs, err := st.Epochs(ctx, id)
	if err != nil {
		return RunData{}, err
	}
	d := RunData{ID: strconv.FormatInt(r.ID, 10), Label: r.Name, Config: r.Config, Status: r.StatusText,
		StepsPerEpoch: r.StepsPerEpoch, Steps: cols}
	if d.Status == "" {
		d.Status = r.Status
	}
	if r.SweepID != 0 {
		d.Sweep = strconv.FormatInt(r.SweepID, 10)
	}
	if r.SharpnessExamples > 0 {
		d.Sharpness = &protocol.SharpnessInfo{Examples: r.SharpnessExamples}
	}
	if r.Status == mnist.StatusDiverged {
		fmt.Sscanf(r.StatusText, "diverged at step %d", &d.DivergedAt)
	}
	for i := 0; d.DivergedAt == 0 && i < cols.Len(); i++ { // a run that did not finish
		if f := float64(cols.Loss[i]); math.IsNaN(f) || math.IsInf(f, 0) {
			d.DivergedAt = cols.Step[i]
		}
	}
	for _, e := range epochs {
		d.Epochs = append(d.Epochs, epochRow(e))
	}
	return d, nil
}

// notFoundOr marks the store's not-found errors with errNotFound, keeping
// their message.
func notFoundOr(err error) error {
	if err != nil && errors.Is(err, store.ErrNotFound) {
		return storeNotFound{err}
	}
	return err
}

// storeNotFound is a store error that is also errNotFound.
type storeNotFound struct{ error }

func (e storeNotFound) Unwrap() []error { return []error{e.error, errNotFound} }
