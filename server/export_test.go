package server

// DropSockets closes every websocket as a network failure would, leaving the
// server running, so that a test can watch the page reconnect.
func (s *Server) DropSockets() {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	for c := range s.hub.conns {
		_ = c.ws.Close()
	}
}
