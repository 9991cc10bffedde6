package server

import (
	"context"
	"fmt"

	"descent/mnist"
	"descent/server/protocol"
	"descent/server/runs"
)

// The checks and deeds of the run commands of the table (commands.go).

// newRuns are the validated runs of a start or a sweep, their pace and
// their sharpness tracking's probe set (0: not tracked).
type newRuns struct {
	cfgs         []mnist.Config
	labels       []string
	epochSeconds float64
	sharpness    int
}

func checkStart(s *Server, w *protocol.Start) (newRuns, error) {
	if err := protocol.Label("label", w.Label); err != nil {
		return newRuns{}, err
	}
	cfg, err := s.validator.config(w.Config, func(f string) string { return "config." + f })
	if err == nil {
		err = s.limits.checkSize("config.arch.hidden", w.Config)
	}
	n := newRuns{cfgs: []mnist.Config{cfg}, labels: []string{w.Label}}
	if err == nil {
		n.epochSeconds, err = checkPaceOf(w.Pace)
	}
	if err == nil {
		n.sharpness, err = s.validator.sharpness(w.Sharpness, true, cfg)
	}
	return n, err
}

func checkSweep(s *Server, w *protocol.Sweep) (newRuns, error) {
	cfgs, err := s.validator.sweep(w)
	if err == nil {
		err = s.limits.checkSize("base.arch.hidden", w.Base)
	}
	n := newRuns{cfgs: cfgs, labels: make([]string, len(w.Variants))}
	for i, v := range w.Variants {
		n.labels[i] = v.Label
	}
	if err == nil {
		n.epochSeconds, err = checkPaceOf(w.Pace)
	}
	if err == nil {
		n.sharpness, err = s.validator.sharpness(w.Sharpness, false, cfgs[0])
	}
	return n, err
}

// checkPaceOf returns a start's pace: as fast as it goes when missing.
func checkPaceOf(p *protocol.Pace) (float64, error) {
	if p == nil {
		return 0, nil
	}
	return p.EpochSeconds, checkEpochSeconds("pace.epochSeconds", p.EpochSeconds)
}

func checkEpochSeconds(field string, s float64) error {
	if !protocol.Finite(s) || s < 0 || s > protocol.MaxEpochSeconds {
		return protocol.OutOfRange(field, fmt.Sprintf("seconds an epoch from 0 (as fast as it goes) to %d", protocol.MaxEpochSeconds), s)
	}
	return nil
}

func checkPace(_ *Server, w *protocol.PaceCommand) (protocol.PaceCommand, error) {
	if err := checkRunID(w.Run); err != nil {
		return *w, err
	}
	return *w, checkEpochSeconds("epochSeconds", w.EpochSeconds)
}

func doPace(c *conn, _ int64, w protocol.PaceCommand) error {
	r, err := c.s.runs.Live(w.Run)
	if err != nil {
		return err
	}
	return r.SetPace(w.EpochSeconds)
}

func checkWeightsAt(_ *Server, w *protocol.WeightsAt) (protocol.WeightsAt, error) {
	if w.Step < 0 {
		return *w, protocol.OutOfRange("step", "a step number ≥ 0", w.Step)
	}
	return *w, checkRunID(w.Run)
}

// doWeightsAt reads the weights on the reader (a stored run's from the
// disk) and hands the answer to the writer.
func doWeightsAt(c *conn, req int64, w protocol.WeightsAt) error {
	r, err := c.s.runs.Get(w.Run)
	if err != nil {
		return err
	}
	b, err := r.WeightsAt(context.Background(), req, w.Step)
	if err != nil {
		return err
	}
	c.enqueue(func() error { return c.writeBytes(b) })
	return nil
}

// doCreate starts runs, within the page's and the queue's limits, and
// answers with one RunCreated each.
func doCreate(c *conn, req int64, n newRuns) error {
	made, err := c.createRuns(n)
	if err != nil {
		return err
	}
	c.enqueue(func() error {
		for _, r := range made {
			c.known[r.ID()] = r.Version()
			if err := c.write(protocol.RunCreated{Type: protocol.EvRunCreated, Req: req, Run: r.Info()}); err != nil {
				return err
			}
		}
		return nil
	})
	return nil
}

// runCommand is a command that names a run.
func runCommand(do func(c *conn, req int64, id string) error) command {
	return entry[protocol.RunCommand, string]{
		check: func(_ *Server, w *protocol.RunCommand) (string, error) { return w.Run, checkRunID(w.Run) },
		do:    do,
	}
}

// runAction is a command that acts on a live run.
func runAction(act func(c *conn, r *runs.Live) error) command {
	return runCommand(func(c *conn, _ int64, id string) error {
		r, err := c.s.runs.Live(id)
		if err != nil {
			return err
		}
		return act(c, r)
	})
}

func checkRenameCmd(_ *Server, w *protocol.Rename) (protocol.Rename, error) {
	name, err := checkRename(w)
	w.Name = name
	return *w, err
}

func doRename(c *conn, _ int64, w protocol.Rename) error { return c.s.runs.Rename(w.Run, w.Name) }

func checkSubscribe(_ *Server, w *protocol.Subscribe) (protocol.Subscribe, error) {
	if w.From < 0 {
		return *w, protocol.OutOfRange("from", "a step number ≥ 0", w.From)
	}
	return *w, checkRunID(w.Run)
}

// doSubscribe opens the run's stream here, on the reader (a stored run's
// history is read from the disk now), and hands it to the writer.
func doSubscribe(c *conn, req int64, w protocol.Subscribe) error {
	r, err := c.s.runs.Get(w.Run)
	if err != nil {
		return err
	}
	sub, err := r.Subscribe(context.Background(), req, w.From, w.Weights)
	if err != nil {
		return err
	}
	c.enqueue(func() error { return c.subscribe(r, sub) })
	return nil
}

func doUnsubscribe(c *conn, _ int64, id string) error {
	c.enqueue(func() error { delete(c.subs, id); return nil })
	return nil
}

func checkNothing[W any](*Server, *W) (struct{}, error) { return struct{}{}, nil }

func doList(c *conn, req int64, _ struct{}) error {
	c.send(protocol.Runs{Type: protocol.EvRuns, Req: req, Runs: c.s.runs.Infos()})
	return nil
}
