package export

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"

	"descent/server/figures"
	"descent/server/steps"
)

// runsCSVHeader names the columns of a run or sweep export. Every row
// carries its run's settings, so that the file filters and pivots without
// a second table; record says whether the row is a "step" (the epoch it is
// in, loss, grad_norm, update_ratio, lr_step), an "epoch" (train_loss,
// test_loss, test_accuracy after it) or a "sharpness" measurement (the step
// whose starting weights were measured, its epoch, lr_step, sharpness and
// threshold). A cell that does not apply is empty, and so is a value that
// is not finite (a threshold where none applies). The JSON export also has
// the optimizer's hyperparameters, the schedule and each epoch's confusion
// matrix.
var runsCSVHeader = []string{"run", "sweep", "label", "arch", "optimizer", "lr", "batch", "epochs", "seed", "status",
	"record", "step", "epoch", "loss", "grad_norm", "update_ratio", "lr_step", "train_loss", "test_loss", "test_accuracy",
	"sharpness", "threshold"}

// runsEncoder writes runs one at a time, so that a sweep's export holds
// one run in memory: as CSV (runsCSVHeader) or as JSON, {"runs": [...]}.
type runsEncoder struct {
	w   io.Writer
	csv *csv.Writer // nil for JSON
	n   int         // runs written
	row []string
}

// newRunsEncoder starts a file of format "csv" or "json".
func newRunsEncoder(w io.Writer, format string) (*runsEncoder, error) {
	e := &runsEncoder{w: w}
	if format == "json" {
		_, err := io.WriteString(w, `{"runs": [`+"\n")
		return e, err
	}
	e.csv, e.row = csv.NewWriter(w), make([]string, len(runsCSVHeader))
	return e, e.csv.Write(runsCSVHeader)
}

// run writes one run.
func (e *runsEncoder) run(r RunData) error {
	e.n++
	if e.csv == nil {
		b, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if e.n > 1 {
			b = append([]byte(",\n"), b...)
		}
		_, err = e.w.Write(b)
		return err
	}
	row, c := e.row, r.Config
	copy(row, []string{r.ID, r.Sweep, r.Label, c.Arch.String(), c.Optimizer, fmtFloat(c.LR),
		strconv.Itoa(c.Batch), strconv.Itoa(c.Epochs), strconv.FormatUint(c.Seed, 10), r.Status})
	s := r.Steps
	for i := range s.Step {
		copy(row[10:], []string{"step", strconv.Itoa(s.Step[i]), epochOf(s.Step[i], r.StepsPerEpoch), fmt32(s.Loss[i]),
			fmt32(s.GradNorm[i]), fmt32(s.UpdateRatio[i]), fmt32(s.LR[i]), "", "", "", "", ""})
		if err := e.csv.Write(row); err != nil {
			return err
		}
	}
	for _, ep := range r.Epochs {
		copy(row[10:], []string{"epoch", strconv.Itoa(ep.Step), strconv.Itoa(ep.Epoch), "", "", "", "",
			fmtFloat(ep.TrainLoss), fmtFloat(ep.TestLoss), fmtFloat(ep.TestAccuracy), "", ""})
		if err := e.csv.Write(row); err != nil {
			return err
		}
	}
	for i := range s.MarkLen() {
		m := s.MarkAt(i)
		copy(row[10:], []string{"sharpness", strconv.Itoa(m.Step), epochOf(m.Step, r.StepsPerEpoch), "", "", "", fmt32(m.LR),
			"", "", "", fmt32(m.Sharpness), fmt32(m.Threshold)})
		if err := e.csv.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// end finishes the file.
func (e *runsEncoder) end() error {
	if e.csv == nil {
		_, err := io.WriteString(e.w, "\n]}\n")
		return err
	}
	e.csv.Flush()
	return e.csv.Error()
}

// writeRuns writes runs as a whole file of format "csv" or "json".
func writeRuns(w io.Writer, format string, runs []RunData) error {
	e, err := newRunsEncoder(w, format)
	for _, r := range runs {
		if err == nil {
			err = e.run(r)
		}
	}
	if err == nil {
		err = e.end()
	}
	return err
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

// fmt32 is a step's value as the shortest decimal of its float32, the
// number the page shows, or "" when it is not finite.
func fmt32(v float32) string { return string(steps.AppendFloat(nil, v, "")) }

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
