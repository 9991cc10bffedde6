package store

import (
	"context"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"
)

// Summary is one line of `descent runs`.
type Summary struct {
	ID           int64
	Name         string
	Sweep        string // the sweep's name, or "" for a run of its own
	Status       string // the status text when there is one, else the status
	Optimizer    string
	LR           float64
	Batch        int
	EpochsDone   int
	Epochs       int     // as configured
	BestAccuracy float64 // NaN before the first epoch
	Created      time.Time
}

// Summaries returns a Summary of every run, oldest first.
func (s *Store) Summaries(ctx context.Context) ([]Summary, error) {
	runs, err := s.ListRuns(ctx)
	if err != nil {
		return nil, err
	}
	sweeps, err := s.ListSweeps(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, sw := range sweeps {
		names[sw.ID] = sw.Name
	}
	list := make([]Summary, len(runs))
	for i, r := range runs {
		list[i] = Summary{
			ID: r.ID, Name: r.Name, Sweep: names[r.SweepID], Status: orDefault(r.StatusText, r.Status),
			Optimizer: r.Config.Optimizer, LR: r.Config.LR, Batch: r.Config.Batch,
			EpochsDone: r.EpochsDone, Epochs: r.Config.Epochs, BestAccuracy: r.BestAccuracy, Created: r.Created,
		}
	}
	return list, nil
}

// FormatTable writes the summaries as an aligned table with a header, in the
// local time zone, with "-" for an accuracy not measured yet.
func FormatTable(w io.Writer, list []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSWEEP\tSTATUS\tOPTIMIZER\tLR\tBATCH\tEPOCHS\tBEST\tCREATED")
	for _, s := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%g\t%d\t%d/%d\t%s\t%s\n",
			s.ID, s.Name, orDefault(s.Sweep, "-"), s.Status, s.Optimizer, s.LR, s.Batch,
			s.EpochsDone, s.Epochs, percent(s.BestAccuracy), s.Created.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func percent(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*f)
}
