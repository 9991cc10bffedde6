package server

import (
	"encoding/csv"
	"io"
	"strconv"

	"descent/server/figures"
)

// runsCSVHeader names the columns of a run or sweep export. Every row
// carries its run's settings, so that the file filters and pivots without
// a second table; record says whether the row is a "step" (the epoch it is
// in, loss, grad_norm, update_ratio, lr_step) or an "epoch" (train_loss,
// test_loss, test_accuracy after it). A cell that does not apply is empty, and so is a value
// that is not finite. The JSON export also has the optimizer's
// hyperparameters, the schedule and each epoch's confusion matrix.
var runsCSVHeader = []string{"run", "sweep", "label", "arch", "optimizer", "lr", "batch", "epochs", "seed", "status",
	"record", "step", "epoch", "loss", "grad_norm", "update_ratio", "lr_step", "train_loss", "test_loss", "test_accuracy"}

// writeRunsCSV writes every step and epoch of runs, floats in strconv's
// shortest round-trip form.
func writeRunsCSV(w io.Writer, runs []RunData) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(runsCSVHeader); err != nil {
		return err
	}
	row := make([]string, len(runsCSVHeader))
	for _, r := range runs {
		c := r.Config
		copy(row, []string{r.ID, r.Sweep, r.Label, c.Arch.String(), c.Optimizer, fmtFloat(c.LR),
			strconv.Itoa(c.Batch), strconv.Itoa(c.Epochs), strconv.FormatUint(c.Seed, 10), r.Status})
		s := r.Steps
		for i := range s.Step {
			copy(row[10:], []string{"step", strconv.Itoa(s.Step[i]), epochOf(s.Step[i], r.StepsPerEpoch), fmtFloat(s.Loss[i]), fmtFloat(s.GradNorm[i]),
				fmtFloat(s.UpdateRatio[i]), fmtFloat(s.LR[i]), "", "", ""})
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		for _, e := range r.Epochs {
			copy(row[10:], []string{"epoch", strconv.Itoa(e.Step), strconv.Itoa(e.Epoch), "", "", "", "",
				fmtFloat(e.TrainLoss), fmtFloat(e.TestLoss), fmtFloat(e.TestAccuracy)})
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// epochOf is the 1-based epoch of a step, or "" when the steps per epoch
// are not known.
func epochOf(step, perEpoch int) string {
	if perEpoch <= 0 || step < 1 {
		return ""
	}
	return strconv.Itoa((step-1)/perEpoch + 1)
}

// fmtFloat is v in strconv's shortest round-trip form, or "" when v is not
// finite.
func fmtFloat(v float64) string { return string(appendFloat(nil, v, "")) }

// writeTrajectoriesCSV writes one row per iterate: the trajectory's index
// and label, its final status, the step (0 is the start), x, y and J.
func writeTrajectoriesCSV(w io.Writer, fn string, trajs []figures.Trajectory) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"function", "trajectory", "label", "status", "step", "x", "y", "f"}); err != nil {
		return err
	}
	for i, t := range trajs {
		for k, p := range t.Points {
			f := ""
			if k < len(t.F) {
				f = fmtFloat(t.F[k])
			}
			err := cw.Write([]string{fn, strconv.Itoa(i + 1), t.Label, t.Status, strconv.Itoa(k),
				fmtFloat(p[0]), fmtFloat(p[1]), f})
			if err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
