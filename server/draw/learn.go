package draw

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"

	"descent/mnist"
	"descent/server/protocol"
)

// Page is one page's side of the panel: its learn copies by name, its
// queue of heavy commands, and their answers until the page's writer takes
// them (Flush). The page's commands run one at a time on the panel's
// workers, so the copies need no lock, and a worker never waits for the
// page: at most LearnQueue commands of a page are unanswered at once,
// waiting, running or with their answer not yet written. Close, when the
// page goes, drops what waits and frees the copies.
type Page struct {
	p    *Panel
	id   uint64 // owns the models the page keeps
	q    *Queue
	wake func() // asks the page's writer to Flush, without waiting
	once sync.Once

	mu       sync.Mutex
	unsent   []any // answers and errors for the writer, in order
	inflight int   // commands accepted and not yet written

	copies map[string]*learnCopy // touched by the page's commands only, one at a time
}

// learnCopy is a Learner and where it came from.
type learnCopy struct {
	l         *mnist.Learner
	src       answering
	optimizer string
	hyper     map[string]float64
	bytes     int64 // counted against MaxLearnBytes
}

var pageIDs atomic.Uint64

// NewPage returns a page's desk; wake must ask the page's writer to call
// Flush soon, without blocking.
func (p *Panel) NewPage(wake func()) *Page {
	return &Page{p: p, id: pageIDs.Add(1), q: p.workers.Queue(protocol.LearnQueue), wake: wake, copies: map[string]*learnCopy{}}
}

// ID names the page as the owner of the models it keeps.
func (pg *Page) ID() uint64 { return pg.id }

// Close drops the page's waiting commands, waits for the one that runs,
// and frees its copies. It may be called more than once.
func (pg *Page) Close() {
	pg.once.Do(func() {
		pg.q.Close()
		var bytes int64
		for _, c := range pg.copies {
			bytes += c.bytes
		}
		pg.p.release(len(pg.copies), bytes)
		clear(pg.copies)
	})
}

// Flush writes the answers that are ready, in order; the page's writer
// calls it.
func (pg *Page) Flush(write func(v any) error) error {
	pg.mu.Lock()
	out := pg.unsent
	pg.unsent = nil
	pg.mu.Unlock()
	for i, v := range out {
		if err := write(v); err != nil {
			pg.written(len(out) - i)
			return err
		}
		pg.written(1)
	}
	return nil
}

func (pg *Page) written(n int) {
	pg.mu.Lock()
	pg.inflight -= n
	pg.mu.Unlock()
}

// submit queues a command whose answer f makes on a worker, or refuses it
// (busy) when LearnQueue of the page's are unanswered.
func (pg *Page) submit(cmd string, req int64, f func() (any, error)) error {
	pg.mu.Lock()
	if pg.inflight >= protocol.LearnQueue {
		pg.mu.Unlock()
		return protocol.Refuse(protocol.CodeBusy, "", fmt.Sprintf("at most %d learn commands and gradient checks of a page unanswered", protocol.LearnQueue),
			"%d commands are unanswered; send the next one after an answer", protocol.LearnQueue)
	}
	pg.inflight++
	pg.mu.Unlock()
	err := pg.q.Submit(func() {
		v, err := f()
		if err != nil {
			v = protocol.ErrorEvent(cmd, req, err)
		}
		pg.mu.Lock()
		pg.unsent = append(pg.unsent, v)
		pg.mu.Unlock()
		pg.wake()
	})
	if err != nil {
		pg.written(1)
	}
	return err
}

// GradCheck queues a gradient check.
func (pg *Page) GradCheck(q GradQuery) error {
	return pg.submit(protocol.CmdGradCheck, q.Req, func() (any, error) { return pg.p.gradCheck(context.Background(), q) })
}

// Start queues the making of a copy.
func (pg *Page) Start(q StartQuery) error {
	return pg.submit(protocol.CmdLearnStart, q.Req, func() (any, error) { return pg.start(q) })
}

// Step queues one step of a copy.
func (pg *Page) Step(q StepQuery) error {
	return pg.submit(protocol.CmdLearnStep, q.Req, func() (any, error) { return pg.step(q) })
}

// Reset queues a copy's reset.
func (pg *Page) Reset(q ResetQuery) error {
	return pg.submit(protocol.CmdLearnReset, q.Req, func() (any, error) { return pg.reset(q) })
}

// Keep queues the keeping of a copy as a model.
func (pg *Page) Keep(q KeepQuery) error {
	return pg.submit(protocol.CmdLearnKeep, q.Req, func() (any, error) { return pg.keep(q) })
}

// Drop queues the dropping of a copy, after the page's earlier commands.
func (pg *Page) Drop(req int64, name string) error {
	return pg.submit(protocol.CmdLearnDrop, req, func() (any, error) {
		c, err := pg.copy(name)
		if err != nil {
			return nil, err
		}
		delete(pg.copies, name)
		pg.p.release(1, c.bytes)
		return protocol.LearnDropped{Type: protocol.EvLearnDropped, Req: req, Copy: name}, nil
	})
}

// copy returns the page's copy called name.
func (pg *Page) copy(name string) (*learnCopy, error) {
	if c, ok := pg.copies[name]; ok {
		return c, nil
	}
	return nil, protocol.Refuse(protocol.CodeUnknown, "copy", "a copy this page made with learnStart", "no copy %q", name).With(name)
}

// start makes a copy of the network q names, within the limits, replacing
// the page's copy of the same name.
func (pg *Page) start(q StartQuery) (any, error) {
	src, err := source(context.Background(), q.Run, q.Model, pg.p.runs, pg.p.models)
	if err != nil {
		return nil, err
	}
	c := &learnCopy{src: src, optimizer: q.Optimizer, hyper: q.Hyper, bytes: LearnerBytes(src.snap.Model.Arch, q.Optimizer)}
	if err := pg.install(q.Copy, c, func() (*mnist.Learner, error) {
		return mnist.NewLearner(src.snap.Model, q.Optimizer, q.Hyper, pg.p.test)
	}); err != nil {
		return nil, err
	}
	return c.event(q.Req, q.Copy), nil
}

// install counts c against the limits (in place of the copy of the same
// name, if any), makes its Learner and puts it under name; on an error
// nothing changes.
func (pg *Page) install(name string, c *learnCopy, learner func() (*mnist.Learner, error)) error {
	old, added, oldBytes := pg.copies[name], 1, int64(0)
	if old != nil {
		added, oldBytes = 0, old.bytes
	}
	if err := pg.p.reserve(c.bytes, len(pg.copies), oldBytes, old != nil); err != nil {
		return err
	}
	l, err := learner()
	if err != nil {
		pg.p.release(added, c.bytes-oldBytes)
		return fmt.Errorf("server: %w", err)
	}
	c.l = l
	pg.copies[name] = c
	return nil
}

// step takes one step of a copy.
func (pg *Page) step(q StepQuery) (any, error) {
	c, err := pg.copy(q.Copy)
	if err != nil {
		return nil, err
	}
	img, err := q.Picture.inked(pg.p.test)
	if err != nil {
		return nil, err
	}
	res, err := c.l.Step(img, q.Label, q.LR)
	if err != nil {
		return nil, protocol.Refuse(protocol.CodeInvalid, "lr", "a rate that keeps the weights finite; learnReset the copy", "%v", err).With(q.LR)
	}
	ev := protocol.Learned{Type: protocol.EvLearned, Req: q.Req, Copy: q.Copy, Image: img, LearnResult: *res}
	ev.TestIndex, ev.TestLabel = q.Picture.testFields(pg.p.test)
	return ev, nil
}

// reset puts a copy back to its original weights, with a new optimizer
// when q names one.
func (pg *Page) reset(q ResetQuery) (any, error) {
	c, err := pg.copy(q.Copy)
	if err != nil {
		return nil, err
	}
	if q.Optimizer == "" {
		c.l.Reset()
		return c.event(q.Req, q.Copy), nil
	}
	n := &learnCopy{src: c.src, optimizer: q.Optimizer, hyper: q.Hyper, bytes: LearnerBytes(c.src.snap.Model.Arch, q.Optimizer)}
	if err := pg.install(q.Copy, n, func() (*mnist.Learner, error) {
		return mnist.NewLearner(c.l.Original(), q.Optimizer, q.Hyper, pg.p.test)
	}); err != nil {
		return nil, err
	}
	return n.event(q.Req, q.Copy), nil
}

// keep makes a copy's current weights a saved model.
func (pg *Page) keep(q KeepQuery) (any, error) {
	c, err := pg.copy(q.Copy)
	if err != nil {
		return nil, err
	}
	info, err := pg.p.models.Keep(q.Name, c.l.Model(), c.src.describe(), c.l.Steps(), pg.id, pg.p.lim.MaxKept)
	if err != nil {
		return nil, err
	}
	return protocol.Kept{Type: protocol.EvKept, Req: q.Req, Copy: q.Copy, Model: info}, nil
}

// event describes the copy as it is.
func (c *learnCopy) event(req int64, name string) protocol.LearnCopy {
	acc, loss, n := c.l.Accuracy()
	return protocol.LearnCopy{Type: protocol.EvLearnCopy, Req: req, Copy: name, Run: c.src.run, Model: c.src.model,
		Epoch: c.src.snap.Epoch, Arch: c.src.snap.Model.Arch, Optimizer: c.optimizer, Hyper: maps.Clone(c.hyper),
		Steps: c.l.Steps(), EvalImages: n, Accuracy: acc, TestLoss: loss, Bytes: c.bytes}
}

// describe says where a copy came from, for a kept model's From.
func (a answering) describe() string {
	if a.model != "" {
		return "model " + a.model
	}
	return fmt.Sprintf("run %s, epoch %d", a.run, a.snap.Epoch)
}
