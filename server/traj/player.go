package traj

import (
	"time"

	"descent/optim"
	"descent/server/protocol"
)

// player is the state of a set's goroutine.
type player struct {
	t       *set
	runner  *optim.Runner
	last    []optim.Iterate // each trajectory's latest iterate
	playing bool
	rate    float64 // steps per second; 0 is as fast as possible
	credit  float64 // steps owed by slow-rate ticks
	tick    *time.Ticker
}

// run is the set's goroutine: it takes steps while playing and answers
// controls, until the set is deleted or its page goes.
func (t *set) run() {
	defer t.sets.wg.Done()
	p := &player{t: t, tick: time.NewTicker(time.Hour)}
	defer p.tick.Stop()
	p.reset()
	if t.rate != nil {
		p.play(*t.rate)
	}
	p.report()
	for {
		select {
		case <-t.sets.done:
			return
		case <-t.quit:
			return
		case cmd := <-t.ctl:
			p.control(cmd)
			p.report()
		case <-p.tick.C:
			if p.playing {
				p.advance(p.due())
			}
		}
	}
}

// reset goes back to step 0, paused.
func (p *player) reset() {
	t := p.t
	r, err := optim.NewRunner(t.fn, t.created.Start, t.configs, t.created.Steps, t.created.Tol)
	if err != nil { // validated before: cannot happen
		panic("server: " + err.Error())
	}
	p.runner = r
	p.last = r.Initial()
	t.emit(p.last, true)
	p.pause()
}

func (p *player) control(cmd protocol.TrajControl) {
	switch cmd.Action {
	case protocol.TrajPlay:
		rate := 0.0
		if cmd.Rate != nil {
			rate = *cmd.Rate
		}
		p.play(rate)
	case protocol.TrajPause:
		p.pause()
	case protocol.TrajStep:
		p.pause()
		p.advance(1)
	case protocol.TrajReset:
		p.reset()
	}
}

// play ticks once per step up to 1/trajBatchPeriod steps a second, and
// every trajBatchPeriod above that.
func (p *player) play(rate float64) {
	if p.runner.Done() {
		return
	}
	p.playing, p.rate, p.credit = true, rate, 0
	period := trajBatchPeriod
	if rate > 0 && rate < float64(time.Second/trajBatchPeriod) {
		period = time.Duration(float64(time.Second) / rate)
	}
	p.tick.Reset(period)
}

func (p *player) pause() {
	p.playing = false
	p.tick.Reset(time.Hour)
}

// due returns the steps this tick should take: -1 for as many as the
// budget allows.
func (p *player) due() int {
	if p.rate == 0 {
		return -1
	}
	p.credit += max(1, p.rate*trajBatchPeriod.Seconds())
	n := int(p.credit)
	p.credit -= float64(n)
	return n
}

// advance takes up to n lockstep steps (n < 0: as many as fastStepBudget
// allows), stopping early when the pending batch is full: a slow page holds
// the set back rather than letting the batch grow.
func (p *player) advance(n int) {
	t := p.t
	deadline := time.Now().Add(fastStepBudget)
	var its []optim.Iterate
	free := t.room()
	for k := 0; (n < 0 || k < n) && !p.runner.Done(); k++ {
		if n < 0 && k%64 == 0 && time.Now().After(deadline) {
			break
		}
		if len(its) >= free {
			break
		}
		step := p.runner.Step()
		for _, it := range step {
			p.last[it.Trajectory] = it
		}
		its = append(its, step...)
	}
	t.emit(its, false)
	if p.runner.Done() {
		p.pause()
		p.report()
		return
	}
	t.sets.wake()
}

// report queues the set's status for the writer.
func (p *player) report() {
	state := protocol.TrajPaused
	switch {
	case p.runner.Done():
		state = protocol.TrajDone
	case p.playing:
		state = protocol.TrajPlaying
	}
	p.t.report(state, p.rate, p.last)
}
