package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"strings"

	"descent/server/protocol"
)

// Access: who may use the server. Without tokens (the default on loopback)
// everyone controls everything. With Access.Token set, every request but
// /healthz must carry a token: in the query (?token=…) when the page is first
// opened, after which the server sets a cookie (HttpOnly, SameSite=Strict)
// that the page's own requests, its websocket included, carry; or in an
// Authorization: Bearer header, for scripts. The teacher's token controls
// everything; the watch token (Access.WatchToken) may view runs, draw and
// explore surfaces, but not start, stop, pause, resume, restart, delete or
// rename runs.

// Access holds the tokens; both empty leaves the server open.
type Access struct {
	Token      string // the teacher's: controls everything
	WatchToken string // the students': watch and draw; may be empty
	// LoopbackNames makes a server without tokens answer to localhost and
	// loopback addresses only (loopbackHost); descent serve sets it.
	LoopbackNames bool
}

// Roles, sent in Hello.Role.
const (
	RoleControl = protocol.RoleControl // may do everything
	RoleWatch   = protocol.RoleWatch   // may not start, stop, pause, resume, restart, delete or rename runs
)

// errWatchOnly refuses a command of the control role (commands.go) on a
// watch-only link.
func errWatchOnly(typ string) error {
	return protocol.Refuse(protocol.CodeWatchOnly, "", "viewing runs, drawing and the surface explorer",
		"this is a watch-only link: it cannot %s runs; ask the teacher", typ)
}

// NewToken returns a random token of 128 bits, URL-safe.
func NewToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CheckToken refuses a token that is too short to guess at or that a URL
// would have to escape.
func CheckToken(flag, tok string) error {
	if len(tok) < 8 {
		return fmt.Errorf("server: %s must have at least 8 characters", flag)
	}
	for _, r := range tok {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.~", r)) {
			return fmt.Errorf("server: %s may hold only letters, digits and - _ . ~", flag)
		}
	}
	return nil
}

// Open reports whether the server needs no token.
func (a Access) Open() bool { return a.Token == "" && a.WatchToken == "" }

// role returns the role a token gives, or "". Both tokens are compared, in
// constant time, through their hashes so that even their lengths stay
// hidden.
func (a Access) role(tok string) string {
	h := sha256.Sum256([]byte(tok))
	same := func(want string) bool {
		w := sha256.Sum256([]byte(want))
		return want != "" && subtle.ConstantTimeCompare(h[:], w[:]) == 1
	}
	control, watch := same(a.Token), same(a.WatchToken)
	switch {
	case control:
		return RoleControl
	case watch:
		return RoleWatch
	}
	return ""
}

type roleKey struct{}

// roleOf returns the role that authorize found for a request.
func roleOf(ctx context.Context) string {
	if r, ok := ctx.Value(roleKey{}).(string); ok {
		return r
	}
	return RoleControl
}

// cookieName is the token's cookie. Cookies do not tell ports apart, so the
// name carries the port: two servers on one machine keep their own.
func cookieName(r *http.Request) string {
	name := "descent_token"
	if _, port, err := net.SplitHostPort(r.Host); err == nil && port != "" && strings.Trim(port, "0123456789") == "" {
		name += "_" + port
	}
	return name
}

// loopbackHost reports whether a Host header names this machine: localhost
// or a loopback address. A server without tokens answers to no other name,
// so that a web page whose DNS name was rebound to 127.0.0.1 cannot reach
// it from the browser of the person running it.
func loopbackHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	host = strings.ToLower(host)
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// authorize finds the request's role and answers 401 (no token) or 403 (a
// wrong one) when it has none. A good token in the query is kept in a
// cookie for the page's own requests.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	a := s.cfg.Access
	if a.Open() {
		if a.LoopbackNames && !loopbackHost(r.Host) {
			http.Error(w, "server: this server answers only to localhost and loopback addresses such as http://127.0.0.1:8080 (give --token to serve other names)",
				http.StatusForbidden)
			return r, false
		}
		return r, true
	}
	tok, fromQuery := r.URL.Query().Get("token"), true
	if tok == "" {
		fromQuery = false
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			tok = strings.TrimPrefix(h, "Bearer ")
		} else if c, err := r.Cookie(cookieName(r)); err == nil {
			tok = c.Value
		}
	}
	role := a.role(tok)
	if role == "" {
		w.Header().Set("Cache-Control", "no-store")
		if tok == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="descent"`)
			http.Error(w, "server: this page needs a link with its token (http://…/?token=…), as `descent serve` printed it", http.StatusUnauthorized)
		} else {
			http.Error(w, "server: the token is wrong; ask for the link that `descent serve` printed", http.StatusForbidden)
		}
		return r, false
	}
	if fromQuery {
		http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: tok, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	}
	return r.WithContext(context.WithValue(r.Context(), roleKey{}, role)), true
}
