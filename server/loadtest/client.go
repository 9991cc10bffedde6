package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"descent/server/protocol"
)

func dial(wsURL string) (*websocket.Conn, error) {
	dialer := websocket.Dialer{HandshakeTimeout: dialTimeout}
	ws, resp, err := dialer.Dial(wsURL, nil)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: HTTP %d: %w", resp.StatusCode, err)
		}
		return nil, err
	}
	var hello struct{ Type string }
	if err := ws.ReadJSON(&hello); err != nil || hello.Type != protocol.EvHello {
		ws.Close()
		return nil, fmt.Errorf("no hello: %v", err)
	}
	return ws, nil
}

// drawing is what the clients draw with: -explain and -learn.
var drawing struct{ explain, learn bool }

// learnEvery is how often a client takes a learn step with -learn.
const learnEvery = time.Second

// canvas is a 140×140 "1", base64, as the page sends it.
var canvas = func() string {
	pix := make([]byte, 140*140)
	for y := 20; y < 120; y++ {
		for x := 63; x < 77; x++ {
			pix[y*140+x] = 255
		}
	}
	return base64.StdEncoding.EncodeToString(pix)
}()

// page is one client: its socket, the times of the commands whose answers
// it times (by req), and the stats it adds to.
type page struct {
	ws   *websocket.Conn
	st   *stats
	mu   sync.Mutex
	sent map[int64]time.Time // req → when, for predict and trajStart
	req  int64
	done chan struct{} // closed when the reader ends
}

// client is one page until end: subscribed to every run, drawing and
// starting trajectories, and timing the answers.
func client(wsURL string, ids []string, end time.Time, st *stats) error {
	ws, err := dial(wsURL)
	if err != nil {
		return err
	}
	defer ws.Close()
	p := &page{ws: ws, st: st, sent: map[int64]time.Time{}, done: make(chan struct{})}
	go p.read()
	for _, id := range ids {
		if err := p.send(map[string]any{"type": "subscribe", "run": id}, false); err != nil {
			return err
		}
	}
	if err := p.drive(ids, end); err != nil {
		return err
	}
	p.mu.Lock()
	st.drops.Add(int64(len(p.sent))) // drawings merged away, answers in flight
	p.mu.Unlock()
	_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	select {
	case <-p.done:
	case <-time.After(2 * time.Second):
	}
	return nil
}

// read counts the page's messages and times the answers, until the socket
// closes.
func (p *page) read() {
	defer close(p.done)
	for {
		_ = p.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
		_, b, err := p.ws.ReadMessage()
		if err != nil {
			return
		}
		p.st.msgs.Add(1)
		ev, ok := head(b)
		if !ok {
			p.st.errs.Add(1)
			continue
		}
		p.mu.Lock()
		at, ok := p.sent[ev.Req]
		delete(p.sent, ev.Req)
		p.mu.Unlock()
		switch ev.Type {
		case protocol.EvError:
			p.st.errs.Add(1)
			slog.Warn("error event", "event", string(b))
		case protocol.EvPrediction, protocol.EvExplanation:
			if ok {
				p.st.add(&p.st.predict, time.Since(at))
			}
		case protocol.EvLearned:
			if ok {
				p.st.add(&p.st.learn, time.Since(at))
			}
		case protocol.EvTrajCreated:
			if ok {
				p.st.add(&p.st.traj, time.Since(at))
			}
		}
	}
}

// send writes a command with the next req, noting when when timed.
func (p *page) send(cmd map[string]any, timed bool) error {
	p.req++
	cmd["req"] = p.req
	if timed {
		p.mu.Lock()
		p.sent[p.req] = time.Now()
		p.mu.Unlock()
	}
	_ = p.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return p.ws.WriteJSON(cmd)
}

// drive draws predictHz times a second and starts a trajectory set every
// trajEvery, deleting the one before, until end.
func (p *page) drive(ids []string, end time.Time) error {
	tick := time.NewTicker(time.Second / predictHz)
	defer tick.Stop()
	lastTraj, traj, lastLearn := time.Time{}, 0, time.Now()
	if drawing.learn {
		if err := p.send(map[string]any{"type": "learnStart", "copy": "c", "run": ids[0]}, false); err != nil {
			return err
		}
	}
	for time.Now().Before(end) {
		select {
		case <-p.done:
			return errors.New("the server closed the connection")
		case <-tick.C:
		}
		cmd := map[string]any{"type": "predict", "run": ids[int(p.req)%len(ids)], "width": 140, "height": 140, "pixels": canvas}
		if drawing.explain {
			cmd["type"] = "explain"
		}
		if err := p.send(cmd, true); err != nil {
			return err
		}
		if drawing.learn && time.Since(lastLearn) >= learnEvery {
			lastLearn = time.Now()
			if err := p.learnStep(); err != nil {
				return err
			}
		}
		if time.Since(lastTraj) < trajEvery {
			continue
		}
		lastTraj = time.Now()
		traj++
		if traj > 1 {
			_ = p.send(map[string]any{"type": "trajDelete", "traj": fmt.Sprintf("t%d", traj-1)}, false)
		}
		cmd = map[string]any{"type": "trajStart", "fn": "rosenbrock", "start": []float64{-1.5, 2}, "steps": 2000, "tol": 1e-6, "rate": 500,
			"optimizers": []map[string]any{{"method": "adam", "params": map[string]float64{"lr": 0.05}}, {"method": "gd", "params": map[string]float64{"lr": 0.001}}}}
		if err := p.send(cmd, true); err != nil {
			return err
		}
	}
	return nil
}

// learnStep takes a step of the client's copy on a test image, timed.
func (p *page) learnStep() error {
	return p.send(map[string]any{"type": "learnStep", "copy": "c", "testIndex": int(p.req) % 1000, "label": 3, "lr": 1e-3}, true)
}

// event is the head of an event: the server writes "type" first and "req"
// second, so reading the first bytes is enough and leaves the CPU to the
// server.
type event struct {
	Type string
	Req  int64
}

func head(b []byte) (event, bool) {
	var ev event
	s := string(b[:min(len(b), 80)])
	rest, ok := strings.CutPrefix(s, `{"type":"`)
	if !ok {
		return ev, false
	}
	i := strings.IndexByte(rest, '"')
	if i < 0 {
		return ev, false
	}
	ev.Type, rest = rest[:i], rest[i+1:]
	if r, ok := strings.CutPrefix(rest, `,"req":`); ok {
		j := strings.IndexFunc(r, func(c rune) bool { return c < '0' || c > '9' })
		if j > 0 {
			ev.Req, _ = strconv.ParseInt(r[:j], 10, 64)
		}
	}
	return ev, true
}
