package server

import (
	"fmt"

	"descent/optim"
)

// trajStart creates a set and starts its goroutine; TrajCreated and the
// step-0 points follow through the writer.
func (c *conn) trajStart(cmd *TrajStart) error {
	fn, configs, err := c.s.validator.trajStart(cmd)
	if err != nil {
		return err
	}
	opts := make([]TrajOptimizer, len(cmd.Optimizers))
	for i, o := range cmd.Optimizers {
		opts[i] = TrajOptimizer{Method: o.Method, Params: withDefaults(o.Method, o.Params), Label: o.Label}
	}
	t := &trajSet{c: c, fn: fn, configs: configs, rate: cmd.Rate,
		ctl: make(chan TrajControl, 16), quit: make(chan struct{}),
		created: TrajCreated{Type: EvTrajCreated, Req: cmd.Req, Fn: fn, Start: cmd.Start,
			Optimizers: opts, Steps: cmd.Steps, Tol: cmd.Tol}}
	if !c.trajs.add(t) {
		return fieldErr("", fmt.Sprintf("at most %d trajectory sets per page", MaxTrajSets),
			"too many trajectory sets; delete one first (trajDelete)")
	}
	t.created.Traj = t.id
	c.s.hub.wg.Add(1) // the reader is counted, so the group is not at zero
	go t.run()
	return nil
}

// withDefaults returns a method's hyperparameters with the defaults filled in.
func withDefaults(method string, params map[string]float64) map[string]float64 {
	spec, _ := optim.Lookup(method)
	out := make(map[string]float64, len(spec.Params))
	for _, p := range spec.Params {
		out[p.Name] = p.Default
	}
	for k, v := range params {
		out[k] = v
	}
	return out
}

// trajControl hands a control to its set's goroutine.
func (c *conn) trajControl(cmd *TrajControl) error {
	t := c.trajs.get(cmd.Traj)
	if t == nil {
		return unknownTraj(cmd.Traj)
	}
	select {
	case t.ctl <- *cmd:
		return nil
	default:
		return fieldErr("traj", "", "set %s is busy with earlier controls; try again", cmd.Traj)
	}
}

// trajDelete stops a set and forgets it.
func (c *conn) trajDelete(cmd *TrajCommand) error {
	t := c.trajs.remove(cmd.Traj)
	if t == nil {
		return unknownTraj(cmd.Traj)
	}
	t.stop()
	c.send(TrajStatus{Type: EvTrajStatus, Traj: t.id, State: TrajDeleted, Trajs: []TrajSummary{}})
	return nil
}

func unknownTraj(id string) error {
	return fieldErr("traj", "a set of this page, from trajCreated", "unknown trajectory set %q", id)
}

// flushTrajs sends, on the writer, each set's news: TrajCreated once, the
// pending points in frames of at most maxFrameIterates, then the status.
func (c *conn) flushTrajs() error {
	for _, t := range c.trajs.list() {
		created, points, status := t.take()
		if created != nil {
			if err := c.write(created); err != nil {
				return err
			}
		}
		for len(points) > 0 {
			n := min(len(points), maxFrameIterates)
			if err := c.write(TrajPoints{Type: EvTrajPoints, Traj: t.id, Points: points[:n]}); err != nil {
				return err
			}
			points = points[n:]
		}
		if status != nil {
			if err := c.write(status); err != nil {
				return err
			}
		}
	}
	return nil
}

// wakeWriter asks the writer to flush soon, without waiting.
func (c *conn) wakeWriter() {
	select {
	case c.wake <- struct{}{}:
	default: // already woken
	}
}
