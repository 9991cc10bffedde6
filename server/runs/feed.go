package runs

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"descent/server/protocol"
	"descent/server/steps"
)

// The fan-out. Training never waits for a page: the training goroutine only
// appends to its run's series. Every publishPeriod one goroutine turns each
// run's new steps into one frame, encoded once and kept in a short ring; each
// page's writer sends the frames it has not sent yet (liveSub.Flush). A page
// that falls more than maxLagFrames behind, or off the end of the ring, gets
// the steps it missed merged into at most livePoints points (package steps'
// rule, which keeps the loss's extremes) and carries on from the newest
// frame. So memory per page is a cursor, and a slow page costs nothing to
// the others.
const (
	// publishPeriod is how often new steps become a frame: short enough that a
	// step reaches the page well within 250 ms, long enough that a frame holds
	// many steps of a fast run (so that 20 pages cost few writes). After each
	// publication the writers are woken, so a step waits at most this long.
	publishPeriod = 100 * time.Millisecond
	// feedFrames is the ring's length, 6.4 s of frames.
	feedFrames = 64
	// maxLagFrames is how far behind a page may be before its backlog is
	// merged.
	maxLagFrames = 5
	// livePoints bounds the points of a merged backlog.
	livePoints = 500
)

// frame is the steps [from, to) of a run and its marks [mfrom, mto) (the
// sharpness measurements finished since the last frame, of steps up to the
// frame's last), encoded for sending.
type frame struct {
	from, to   int
	mfrom, mto int
	msg        []byte
}

// cursor is how far a page is in a run: the next step index and the next
// mark index to send.
type cursor struct{ step, mark int }

// feed is a run's ring of recent frames.
type feed struct {
	mu     sync.Mutex
	frames []frame // oldest first, at most feedFrames
	to     int     // steps published so far
	mto    int     // marks published so far
}

// publish adds a frame with the steps stored since the last one, and the
// marks finished since then whose steps are published with it.
func (f *feed) publish(run string, s *steps.Series) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := s.Len()
	m, _ := s.MarkCount(n)
	if n <= f.to && m <= f.mto {
		return
	}
	b, err := json.Marshal(protocol.Steps{Type: protocol.EvSteps, Run: run, Columns: framed(s, cursor{f.to, f.mto}, cursor{n, m}, 0)})
	if err != nil {
		return
	}
	if len(f.frames) == feedFrames {
		f.frames = append(f.frames[:0], f.frames[1:]...)
	}
	f.frames = append(f.frames, frame{from: f.to, to: n, mfrom: f.mto, mto: m, msg: b})
	f.to, f.mto = n, m
}

// framed returns the steps and marks between two cursors, the steps thinned
// to maxPoints (every one when 0) and every mark.
func framed(s *steps.Series, from, to cursor, maxPoints int) steps.Columns {
	c := steps.Thin(s.Upto(0), from.step, to.step, maxPoints)
	c.AddMarks(s.MarkRange(from.mark, to.mark))
	return c
}

// since returns the frames from cursor next on, and how far the feed has
// published. ok is false when next is not the start of a frame still in
// the ring, so the caller must build the steps itself.
func (f *feed) since(next cursor) (frames []frame, to cursor, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	to = cursor{f.to, f.mto}
	if next.step >= f.to && next.mark >= f.mto {
		return nil, to, true
	}
	for i, fr := range f.frames {
		if fr.from == next.step && fr.mfrom == next.mark {
			return append([]frame(nil), f.frames[i:]...), to, true
		}
	}
	return nil, to, false
}

// published returns how far the feed has published: steps and marks.
func (f *feed) published() cursor {
	f.mu.Lock()
	defer f.mu.Unlock()
	return cursor{f.to, f.mto}
}

// publishLoop publishes every unfinished run's new steps every
// publishPeriod, then calls Config.Notify.
func (m *Manager) publishLoop() {
	defer m.wg.Done()
	tick := time.NewTicker(publishPeriod)
	defer tick.Stop()
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-tick.C:
			for _, r := range m.List() {
				if l, ok := r.(*Live); ok {
					l.publish()
				}
			}
			if m.cfg.Notify != nil {
				m.cfg.Notify()
			}
		}
	}
}

// liveSub is a page's cursor in a live run.
type liveSub struct {
	r           *Live
	req         int64
	from        int
	weights     bool
	started     bool
	next        cursor // the next step and mark to send
	epochs      int    // the epochs sent
	weightsSeen *prepared[protocol.Weights]
}

// Subscribe opens a page's stream; the history is made at the first Flush,
// on the page's writer.
func (r *Live) Subscribe(_ context.Context, req int64, from int, weights bool) (Subscription, error) {
	return &liveSub{r: r, req: req, from: from, weights: weights}, nil
}

// Flush sends the history first, then the new steps, and the epochs and
// weights that they reach.
func (s *liveSub) Flush(write func([]byte) error) error {
	if !s.started {
		s.started = true
		return s.history(write)
	}
	r := s.r
	frames, to, ok := r.feed.since(s.next)
	if !ok || len(frames) > maxLagFrames {
		b, err := json.Marshal(protocol.Steps{Type: protocol.EvSteps, Run: r.id, Columns: framed(&r.steps, s.next, to, livePoints)})
		if err == nil {
			err = write(b)
		}
		if err != nil {
			return err
		}
	} else {
		for _, f := range frames {
			if err := write(f.msg); err != nil {
				return err
			}
		}
	}
	s.next = to
	return s.epochsAndWeights(write)
}

// history sends the run so far: the steps after from, down-sampled, with
// the marks published of those steps, and the epochs they reach.
func (s *liveSub) history(write func([]byte) error) error {
	r := s.r
	to := r.feed.published()
	from := max(0, min(s.from, to.step))
	h := protocol.History{Type: protocol.EvHistory, Req: s.req, Run: r.Info(), From: from,
		Steps: protocol.Steps{Columns: steps.Thin(r.steps.Upto(to.mark), from, to.step, protocol.HistoryPoints)}, Epochs: []protocol.Epoch{}}
	s.next = to
	for _, e := range r.epochsFrom(0) {
		if e.v.Step > to.step {
			break
		}
		h.Epochs = append(h.Epochs, e.v)
		s.epochs++
	}
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	if err := write(b); err != nil {
		return err
	}
	return s.sendWeights(write)
}

// epochsAndWeights sends the epochs that the steps sent reach, then the
// latest weights if they changed.
func (s *liveSub) epochsAndWeights(write func([]byte) error) error {
	for _, e := range s.r.epochsFrom(s.epochs) {
		if e.v.Step > s.next.step {
			break
		}
		if err := write(e.msg); err != nil {
			return err
		}
		s.epochs++
	}
	return s.sendWeights(write)
}

func (s *liveSub) sendWeights(write func([]byte) error) error {
	if w := s.r.weights.Load(); s.weights && w != nil && w != s.weightsSeen {
		s.weightsSeen = w
		return write(w.msg)
	}
	return nil
}
