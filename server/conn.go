package server

import (
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Connection timing and sizes, after gorilla/websocket's chat example.
const (
	// writeWait is the time allowed to write one frame; a page that cannot take
	// a frame in this long is dropped (it reconnects and gets the history).
	writeWait = 10 * time.Second
	// pongWait is the time allowed between two pongs before the page counts as
	// gone.
	pongWait = 60 * time.Second
	// pingPeriod must be shorter than pongWait so that a pong can arrive in time.
	pingPeriod = pongWait * 9 / 10
	// maxMessageSize is the hard frame limit: larger frames close the
	// connection. Frames between MaxCommandBytes (MaxPredictBytes for a
	// drawing) and this get an error event and the connection stays open.
	maxMessageSize = 1 << 20
	// queueSize bounds the events waiting for the writer (answers to commands).
	queueSize = 64
	// flushPeriod is how often a writer looks for changes on its own, besides
	// being woken after each publication: status changes wait at most this.
	flushPeriod = 200 * time.Millisecond
)

// conn is one page's websocket: a reader that handles commands and a writer
// that owns every write and all of the page's subscription state.
type conn struct {
	s     *Server
	ws    *websocket.Conn
	queue chan func() error // run by the writer
	wake  chan struct{}     // new frames were published
	done  chan struct{}
	once  sync.Once

	// writer-owned:
	subs  map[string]*subscription
	known map[string]int64 // status version sent for each run
	seen  int64            // manager version last looked at

	draw drawSlot // the drawing waiting for a prediction (draw.go)

	trajs trajSets // the surface explorer's trajectory sets (traj.go)

	role string     // RoleControl or RoleWatch (access.go)
	lim  connLimits // reader-owned: its rate and its runs (limits.go)
}

// subscription is a page's cursor in one run.
type subscription struct {
	run         *Run
	next        int // index of the next step to send
	epochs      int // epochs sent
	weights     bool
	weightsSeen *prepared[Weights]
}

func newConn(s *Server, ws *websocket.Conn) *conn {
	return &conn{s: s, ws: ws, queue: make(chan func() error, queueSize), wake: make(chan struct{}, 1), done: make(chan struct{}),
		subs: map[string]*subscription{}, known: map[string]int64{}, seen: -1}
}

// stop ends both goroutines; it may be called more than once.
func (c *conn) stop() { c.once.Do(func() { close(c.done) }) }

// enqueue hands work to the writer, waiting while the queue is full.
func (c *conn) enqueue(f func() error) {
	select {
	case c.queue <- f:
	case <-c.done:
	}
}

// send queues an event.
func (c *conn) send(v any) { c.enqueue(func() error { return c.write(v) }) }

// readLoop reads commands until the page goes or the server stops.
func (c *conn) readLoop() {
	defer c.s.hub.wg.Done()
	defer c.stop()
	c.ws.SetReadLimit(c.s.validator.hardLimit())
	_ = c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		_, r, err := c.ws.NextReader()
		if err != nil {
			return
		}
		limit := c.s.validator.readLimit()
		frame, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
		if err != nil {
			return
		}
		if len(frame) > limit {
			n, err := io.Copy(io.Discard, r)
			if err != nil {
				return
			}
			frame = make([]byte, len(frame)+int(n)) // only its size is reported
		}
		c.handle(frame)
	}
}

// writeLoop sends queued events, the subscribed runs' frames and pings.
func (c *conn) writeLoop() {
	defer c.s.hub.wg.Done()
	defer c.ws.Close()
	defer c.stop()
	flush := time.NewTicker(flushPeriod)
	ping := time.NewTicker(pingPeriod)
	defer flush.Stop()
	defer ping.Stop()
	hello := c.s.hello()
	hello.Role = c.role
	if c.write(hello) != nil {
		return
	}
	c.seen = c.s.runs.version.Load()
	for _, r := range c.s.runs.list() {
		c.known[r.id] = r.statusVersion()
	}
	for {
		var err error
		select {
		case <-c.done:
			_ = c.ws.SetWriteDeadline(time.Now().Add(time.Second))
			_ = c.ws.WriteMessage(websocket.CloseMessage,
				websocket.FormatCloseMessage(websocket.CloseGoingAway, "server stopping"))
			return
		case f := <-c.queue:
			err = f()
		case <-c.wake:
			err = c.flush()
		case <-flush.C:
			err = c.flush()
		case <-ping.C:
			_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			err = c.ws.WriteMessage(websocket.PingMessage, nil)
		}
		if err != nil {
			return
		}
	}
}

// write sends one event as JSON.
func (c *conn) write(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// writePrepared sends a frame encoded once for every page.
func (c *conn) writePrepared(msg *websocket.PreparedMessage) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return c.ws.WritePreparedMessage(msg)
}

// flush sends run-list changes and the subscribed runs' new steps, epochs
// and weights.
func (c *conn) flush() error {
	if v := c.s.runs.version.Load(); v != c.seen {
		c.seen = v
		if err := c.syncRuns(); err != nil {
			return err
		}
	}
	for _, sub := range c.subs {
		if err := c.flushRun(sub); err != nil {
			return err
		}
	}
	return c.flushTrajs()
}

// syncRuns tells the page of runs created, changed and deleted since the
// last look.
func (c *conn) syncRuns() error {
	alive := map[string]bool{}
	for _, r := range c.s.runs.list() {
		alive[r.id] = true
		v, ok := c.known[r.id]
		cur := r.statusVersion()
		if ok && v == cur {
			continue
		}
		c.known[r.id] = cur
		var err error
		if !ok {
			err = c.write(RunCreated{Type: EvRunCreated, Run: r.info()})
		} else {
			err = c.write(Status{Type: EvStatus, Run: r.info()})
		}
		if err != nil {
			return err
		}
	}
	for id := range c.known {
		if !alive[id] {
			delete(c.known, id)
			delete(c.subs, id)
			if err := c.write(Deleted{Type: EvDeleted, Run: id}); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushRun sends one subscription's new steps, then the epochs and weights
// that they reach.
func (c *conn) flushRun(sub *subscription) error {
	r := sub.run
	frames, to, ok := r.feed.since(sub.next)
	if !ok || len(frames) > maxLagFrames {
		if err := c.write(r.steps.points(r.id, sub.next, to, livePoints)); err != nil {
			return err
		}
	} else {
		for _, f := range frames {
			if err := c.writePrepared(f.msg); err != nil {
				return err
			}
		}
	}
	sub.next = to
	for _, e := range r.epochsFrom(sub.epochs) {
		if e.v.Step > sub.next {
			break
		}
		if err := c.writePrepared(e.msg); err != nil {
			return err
		}
		sub.epochs++
	}
	if w := r.weights.Load(); sub.weights && w != nil && w != sub.weightsSeen {
		sub.weightsSeen = w
		return c.writePrepared(w.msg)
	}
	return nil
}

// subscribe sends a run's history and starts its live stream; it runs on
// the writer.
func (c *conn) subscribe(r *Run, req int64, weights bool, from int) error {
	to := r.feed.published()
	from = max(0, min(from, to))
	h := History{Type: EvHistory, Req: req, Run: r.info(), From: from, Steps: r.steps.points("", from, to, HistoryPoints)}
	h.Steps.Type = ""
	sub := &subscription{run: r, next: to, weights: weights}
	for _, e := range r.epochsFrom(0) {
		if e.v.Step > to {
			break
		}
		h.Epochs = append(h.Epochs, e.v)
		sub.epochs++
	}
	if h.Epochs == nil {
		h.Epochs = []Epoch{}
	}
	c.subs[r.id] = sub
	c.known[r.id] = r.statusVersion()
	if err := c.write(h); err != nil {
		return err
	}
	if w := r.weights.Load(); weights && w != nil {
		sub.weightsSeen = w
		return c.writePrepared(w.msg)
	}
	return nil
}
