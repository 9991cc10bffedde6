package server

import (
	"context"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"descent/server/draw"
	"descent/server/landscape"
	"descent/server/protocol"
	"descent/server/runs"
	"descent/server/traj"
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
	// connection. Frames between the command limit (--max-message, larger
	// for a drawing) and this get an error event and the connection stays open.
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
	role  string            // RoleControl or RoleWatch
	queue chan func() error // run by the writer
	wake  chan struct{}     // new frames were published
	done  chan struct{}
	once  sync.Once
	// ctx ends when the page goes: the page's analyses stop with it.
	ctx    context.Context
	cancel context.CancelFunc

	// writer-owned:
	subs  map[string]runs.Subscription
	known map[string]int64 // status version sent for each run
	seen  int64            // manager version last looked at

	modelsSeen  int64 // writer-owned: the saved models' version last sent
	presentSeen int64 // writer-owned: the presented state's version last sent

	draw    draw.Slot[draw.Drawing]      // the drawing waiting for a prediction
	explain draw.Slot[draw.ExplainQuery] // the drawing waiting for an explanation
	learn   *draw.Page                   // its learn copies and gradient checks
	trajs   *traj.Sets                   // the surface explorer's trajectory sets
	land    *landscape.Page              // the loss landscape's frames and its work
	lim     connLimits                   // reader-owned: its rate and its runs
}

func newConn(s *Server, ws *websocket.Conn, role string) *conn {
	c := &conn{s: s, ws: ws, role: role, queue: make(chan func() error, queueSize), wake: make(chan struct{}, 1),
		done: make(chan struct{}), subs: map[string]runs.Subscription{}, known: map[string]int64{}, seen: -1}
	c.trajs = traj.NewSets(c.wakeWriter, c.done, &s.hub.wg)
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.learn = s.panel.NewPage(c.wakeWriter)
	c.land = s.lands.NewPage(c.ctx, c.wakeWriter)
	return c
}

// stop ends both goroutines and the page's analyses; it may be called more
// than once.
func (c *conn) stop() { c.once.Do(func() { close(c.done); c.cancel() }) }

// enqueue hands work to the writer, waiting while the queue is full.
func (c *conn) enqueue(f func() error) {
	select {
	case c.queue <- f:
	case <-c.done:
	}
}

// send queues an event.
func (c *conn) send(v any) { c.enqueue(func() error { return c.write(v) }) }

// wakeWriter asks the writer to flush soon, without waiting.
func (c *conn) wakeWriter() {
	select {
	case c.wake <- struct{}{}:
	default: // already woken
	}
}

// readLoop reads commands until the page goes or the server stops.
func (c *conn) readLoop() {
	defer c.s.hub.wg.Done()
	defer c.learn.Close() // the page has gone: its learn copies go with it
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
	c.modelsSeen = c.s.models.Version()
	if c.write(c.s.hello(c.role)) != nil {
		return
	}
	c.seen = c.s.runs.Version()
	for _, r := range c.s.runs.List() {
		c.known[r.ID()] = r.Version()
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
	return c.writeBytes(b)
}

// writeBytes sends a frame already encoded, such as a run's frames, encoded
// once for every page.
func (c *conn) writeBytes(b []byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
	return c.ws.WriteMessage(websocket.TextMessage, b)
}

// flush sends run-list changes, the subscribed runs' new frames, the
// trajectory sets' news, the saved models after a change, the answers of
// the learn workers and the landscape's frames.
func (c *conn) flush() error {
	if v := c.s.models.Version(); v != c.modelsSeen {
		c.modelsSeen = v
		if err := c.write(protocol.Models{Type: protocol.EvModels, Models: c.s.models.Infos()}); err != nil {
			return err
		}
	}
	if err := c.learn.Flush(c.write); err != nil {
		return err
	}
	if err := c.flushPresented(); err != nil {
		return err
	}
	if v := c.s.runs.Version(); v != c.seen {
		c.seen = v
		if err := c.syncRuns(); err != nil {
			return err
		}
	}
	for _, sub := range c.subs {
		if err := sub.Flush(c.writeBytes); err != nil {
			return err
		}
	}
	if err := c.trajs.Flush(c.write); err != nil {
		return err
	}
	return c.land.Flush(c.write)
}

// subscribe starts sending a run's stream; it runs on the writer.
func (c *conn) subscribe(r runs.Run, sub runs.Subscription) error {
	c.subs[r.ID()] = sub
	c.known[r.ID()] = r.Version()
	return sub.Flush(c.writeBytes)
}

// syncRuns tells the page of runs created, changed and deleted since the
// last look.
func (c *conn) syncRuns() error {
	alive := map[string]bool{}
	for _, r := range c.s.runs.List() {
		id := r.ID()
		alive[id] = true
		v, ok := c.known[id]
		cur := r.Version()
		if ok && v == cur {
			continue
		}
		c.known[id] = cur
		var err error
		if !ok {
			err = c.write(protocol.RunCreated{Type: protocol.EvRunCreated, Run: r.Info()})
		} else {
			err = c.write(protocol.Status{Type: protocol.EvStatus, Run: r.Info()})
		}
		if err != nil {
			return err
		}
	}
	for id := range c.known {
		if !alive[id] {
			delete(c.known, id)
			delete(c.subs, id)
			if err := c.write(protocol.Deleted{Type: protocol.EvDeleted, Run: id}); err != nil {
				return err
			}
		}
	}
	return nil
}
