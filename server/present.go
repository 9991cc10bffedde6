package server

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"descent/server/protocol"
)

// presenter holds what the teacher presents; every page's writer sends it
// when its version changes (conn.flush).
type presenter struct {
	mu      sync.Mutex
	state   string
	version int64
}

// set presents state ("" stops) and tells the writers.
func (p *presenter) set(state string) {
	p.mu.Lock()
	p.state = state
	p.version++
	p.mu.Unlock()
}

// get returns the state presented and its version (0: never presented).
func (p *presenter) get() (string, int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state, p.version
}

// presentState is a checked presented state.
type presentState string

// checkPresent takes a presented state of at most MaxPresentState bytes of
// printable characters.
func checkPresent(_ *Server, w *protocol.Present) (presentState, error) {
	allowed := fmt.Sprintf("the page's URL state: at most %d bytes of printable characters", protocol.MaxPresentState)
	if n := len(w.State); n > protocol.MaxPresentState {
		return "", protocol.Refuse(protocol.CodeTooLarge, "state", allowed, "%d bytes", n)
	}
	if i := strings.IndexFunc(w.State, func(r rune) bool { return !unicode.IsPrint(r) }); i >= 0 {
		return "", protocol.Refuse(protocol.CodeInvalid, "state", allowed, "a character that is not printable at byte %d", i)
	}
	return presentState(w.State), nil
}

func doPresent(c *conn, _ int64, state presentState) error {
	c.s.present.set(string(state))
	c.s.hub.wake()
	return nil
}

// flushPresented sends the presented state when it changed since the page
// last saw it; it runs on the writer.
func (c *conn) flushPresented() error {
	state, v := c.s.present.get()
	if v == c.presentSeen {
		return nil
	}
	c.presentSeen = v
	return c.write(protocol.Presented{Type: protocol.EvPresented, State: state, Version: v})
}
