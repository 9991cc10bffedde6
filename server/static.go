package server

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"sync"
)

// Static files: the page's index.html and assets/ from the embedded build.
// Content types come from the table below rather than the system's
// mime.types, which on some systems says application/x-javascript. An asset
// whose name carries a content hash (esbuild's name-HASH.js) never changes,
// so it is cached for a year; everything else is revalidated on each load,
// cheaply, against an ETag of its content. Paths are cleaned by ServeMux and
// looked up in an fs.FS, which has no "..", so nothing outside the build is
// reachable.

// staticTypes maps the extensions of the build to their media types.
var staticTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".png":   "image/png",
	".svg":   "image/svg+xml",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	".map":   "application/json",
}

// hashedName matches esbuild's [name]-[hash] names: eight or more
// upper-case base-32 characters before the extension.
var hashedName = regexp.MustCompile(`-[A-Z0-9]{8,}\.[a-z0-9]+$`)

// etags caches the ETag of each file of a page.
type etags struct {
	mu sync.Mutex
	m  map[string]string
}

func (e *etags) of(fsys fs.FS, name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t, ok := e.m[name]; ok {
		return t
	}
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	if e.m == nil {
		e.m = map[string]string{}
	}
	e.m[name] = `"` + hex.EncodeToString(sum[:8]) + `"`
	return e.m[name]
}

// serveStatic serves one file of the page with its type and cache headers.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if !fs.ValidPath(name) || strings.ContainsAny(name, `\:`) {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if t, ok := staticTypes[path.Ext(name)]; ok {
		h.Set("Content-Type", t)
	}
	if hashedName.MatchString(name) {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	if tag := s.etags.of(s.page, name); tag != "" {
		h.Set("ETag", tag)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	http.FileServerFS(s.page).ServeHTTP(w, r)
}
