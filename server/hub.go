package server

import "sync"

// hub keeps the open connections so that the runs' publisher can wake their
// writers and shutdown can close them and wait.
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
		c.wakeWriter()
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
