package server

import (
	"errors"

	"descent/mnist"
)

// handle parses and carries out one command. Refused commands get an Error
// event; the connection stays open either way.
func (c *conn) handle(frame []byte) {
	if !c.admit() { // limits.go: the rate
		return
	}
	cmd, typ, req, err := c.s.validator.parse(frame)
	err = c.vet(typ, cmd, err) // limits.go: the role and the limits
	if err == nil {
		err = c.do(cmd)
	}
	if err != nil {
		c.sendError(typ, req, err)
	}
}

func (c *conn) sendError(typ string, req int64, err error) {
	ev := Error{Type: EvError, Req: req, Command: typ, Message: err.Error()}
	var fe *FieldError
	if errors.As(err, &fe) {
		ev.Field, ev.Allowed, ev.Message = fe.Field, fe.Allowed, fe.Message
	}
	c.send(ev)
}

// do carries out a validated command.
func (c *conn) do(cmd any) error {
	m := c.s.runs
	switch cmd := cmd.(type) {
	case *Start:
		cfg, _ := c.s.validator.config(cmd.Config, func(f string) string { return "config." + f })
		return c.create(cmd.Req, []mnist.Config{cfg}, []string{cmd.Label})
	case *Sweep:
		cfgs, _ := c.s.validator.sweep(cmd)
		labels := make([]string, len(cmd.Variants))
		for i, v := range cmd.Variants {
			labels[i] = v.Label
		}
		return c.create(cmd.Req, cfgs, labels)
	case *RunCommand:
		return c.runCommand(cmd)
	case *Subscribe:
		r, err := m.get(cmd.Run)
		if err != nil {
			return err
		}
		if r.trainer == nil {
			return c.subscribeStored(r, cmd) // restart.go
		}
		c.enqueue(func() error { return c.subscribe(r, cmd.Req, cmd.Weights, cmd.From) })
	case *Rename:
		return m.rename(cmd.Run, cmd.Name) // persist.go
	case *List:
		c.send(Runs{Type: EvRuns, Req: cmd.Req, Runs: m.infos()})
	case *TrajStart:
		return c.trajStart(cmd)
	case *TrajControl:
		return c.trajControl(cmd)
	case *TrajCommand:
		return c.trajDelete(cmd)
	case *Predict:
		c.queuePredict(cmd)
	}
	return nil
}

// create starts runs and answers with one RunCreated each.
func (c *conn) create(req int64, cfgs []mnist.Config, labels []string) error {
	runs, err := c.createRuns(cfgs, labels) // limits.go
	if err != nil {
		return err
	}
	c.enqueue(func() error {
		for _, r := range runs {
			c.known[r.id] = r.statusVersion()
			if err := c.write(RunCreated{Type: EvRunCreated, Req: req, Run: r.info()}); err != nil {
				return err
			}
		}
		return nil
	})
	return nil
}

// runCommand pauses, resumes, stops, deletes or unsubscribes.
func (c *conn) runCommand(cmd *RunCommand) error {
	m := c.s.runs
	r, err := m.get(cmd.Run)
	if err != nil {
		return err
	}
	switch cmd.Type {
	case CmdPause:
		return r.pause()
	case CmdResume:
		return r.resume()
	case CmdStop:
		return r.stop()
	case CmdDelete:
		return m.remove(cmd.Run)
	case CmdRestart:
		return m.restart(cmd.Run) // restart.go
	case CmdUnsubscribe:
		c.enqueue(func() error { delete(c.subs, cmd.Run); return nil })
	}
	return nil
}
