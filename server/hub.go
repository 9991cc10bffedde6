package server

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The fan-out. Training never waits for a page: the training goroutine only
// appends to its run's series. Every publishPeriod one goroutine turns each
// run's new steps into one frame, encoded once and kept in a short ring; each
// connection's writer sends the frames it has not sent yet. A connection that
// falls more than maxLagFrames behind, or off the end of the ring, gets the
// steps it missed merged into at most livePoints points (keeping the loss's
// min and max) and carries on from the newest frame. So memory per page is
// a cursor, and a slow page costs nothing to the others.
const (
	// publishPeriod is how often new steps become a frame: short enough that a
	// step reaches the page well within 250 ms, long enough that a frame holds
	// many steps of a fast run (so that 20 pages cost few writes). After each
	// publication the writers are woken, so a step waits at most this long.
	publishPeriod = 100 * time.Millisecond
	// feedFrames is the ring's length, 6.4 s of frames.
	feedFrames = 64
	// maxLagFrames is how far behind a connection may be before its backlog is
	// merged.
	maxLagFrames = 5
	// livePoints bounds the points of a merged backlog.
	livePoints = 500
	// HistoryPoints bounds the points per series in a History event.
	HistoryPoints = 2000
)

// frame is the steps [from, to) of a run, prepared for sending.
type frame struct {
	from, to int
	msg      *websocket.PreparedMessage
}

// feed is a run's ring of recent frames.
type feed struct {
	mu     sync.Mutex
	frames []frame // oldest first, at most feedFrames
	to     int     // steps published so far
}

// publish adds a frame with the steps stored since the last one.
func (f *feed) publish(run string, s *series) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := s.len()
	if n <= f.to {
		return
	}
	b, err := json.Marshal(s.points(run, f.to, n, n-f.to))
	if err != nil {
		return
	}
	msg, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
	if err != nil {
		return
	}
	if len(f.frames) == feedFrames {
		f.frames = append(f.frames[:0], f.frames[1:]...)
	}
	f.frames = append(f.frames, frame{from: f.to, to: n, msg: msg})
	f.to = n
}

// since returns the frames that start at step index next or later, and the
// number of steps published. ok is false when next is not the start of a
// frame still in the ring, so the caller must build the steps itself.
func (f *feed) since(next int) (frames []frame, to int, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if next >= f.to {
		return nil, f.to, true
	}
	for i, fr := range f.frames {
		if fr.from == next {
			return append([]frame(nil), f.frames[i:]...), f.to, true
		}
	}
	return nil, f.to, false
}

// published returns the number of steps published so far.
func (f *feed) published() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.to
}

// publishLoop publishes every unfinished run's new steps every publishPeriod.
func (m *manager) publishLoop() {
	defer m.wg.Done()
	tick := time.NewTicker(publishPeriod)
	defer tick.Stop()
	for {
		select {
		case <-m.ctx.Done():
			return
		case <-tick.C:
			for _, r := range m.list() {
				r.publish()
			}
			if m.notify != nil {
				m.notify()
			}
		}
	}
}

// hub keeps the open connections so that shutdown can close them and wait.
type hub struct {
	mu     sync.Mutex
	conns  map[*conn]struct{}
	closed bool
	wg     sync.WaitGroup
}

func newHub() *hub { return &hub{conns: map[*conn]struct{}{}} }

// add registers a connection; it reports false after shutdown began.
func (h *hub) add(c *conn) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.conns[c] = struct{}{}
	h.wg.Add(2) // its reader and its writer
	return true
}

func (h *hub) remove(c *conn) {
	h.mu.Lock()
	delete(h.conns, c)
	h.mu.Unlock()
}

// wake tells every writer that new frames may be ready, without waiting.
func (h *hub) wake() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.conns {
		select {
		case c.wake <- struct{}{}:
		default: // already woken
		}
	}
}

// count returns the number of open connections.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns)
}

// close closes every connection and waits for their goroutines.
func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	for c := range h.conns {
		c.stop()
	}
	h.mu.Unlock()
	h.wg.Wait()
}
