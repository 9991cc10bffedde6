package traj

import (
	"fmt"

	"descent/optim"
	"descent/server/protocol"
)

// Start creates a set from a validated plan and starts its goroutine; the
// TrajCreated answer and the step-0 points follow through Flush.
func (ts *Sets) Start(p Plan, req int64) error {
	t := &set{sets: ts, fn: p.fn, configs: p.configs, rate: p.rate,
		ctl: make(chan protocol.TrajControl, 16), quit: make(chan struct{}), created: p.created}
	t.created.Req = req
	if !ts.add(t) {
		return protocol.Refuse(protocol.CodeLimit, "", fmt.Sprintf("at most %d trajectory sets per page", protocol.MaxTrajSets),
			"too many trajectory sets; delete one first (trajDelete)")
	}
	t.created.Traj = t.id
	ts.wg.Add(1)
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

// Control hands a validated control to its set's goroutine.
func (ts *Sets) Control(cmd protocol.TrajControl) error {
	t := ts.get(cmd.Traj)
	if t == nil {
		return unknown(cmd.Traj)
	}
	select {
	case t.ctl <- cmd:
		return nil
	default:
		return protocol.Refuse(protocol.CodeBusy, "traj", "", "set %s is busy with earlier controls; try again", cmd.Traj).With(cmd.Traj)
	}
}

// Delete stops a set and forgets it, and returns the status that says so.
func (ts *Sets) Delete(id string) (protocol.TrajStatus, error) {
	t := ts.remove(id)
	if t == nil {
		return protocol.TrajStatus{}, unknown(id)
	}
	t.stop()
	return protocol.TrajStatus{Type: protocol.EvTrajStatus, Traj: t.id, State: protocol.TrajDeleted, Trajs: []protocol.TrajSummary{}}, nil
}

func unknown(id string) error {
	return protocol.Refuse(protocol.CodeUnknown, "traj", "a set of this page, from trajCreated", "unknown trajectory set %q", id).With(id)
}

// Flush sends, on the page's writer, each set's news: TrajCreated once, the
// pending points in frames of at most maxFrameIterates, then the status.
func (ts *Sets) Flush(write func(any) error) error {
	for _, t := range ts.list() {
		created, points, status := t.take()
		if created != nil {
			if err := write(created); err != nil {
				return err
			}
		}
		for len(points) > 0 {
			n := min(len(points), maxFrameIterates)
			if err := write(protocol.TrajPoints{Type: protocol.EvTrajPoints, Traj: t.id, Points: points[:n]}); err != nil {
				return err
			}
			points = points[n:]
		}
		if status != nil {
			if err := write(status); err != nil {
				return err
			}
		}
	}
	return nil
}
