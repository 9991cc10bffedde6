package server

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pageDir writes a built page into dir/dist, with a secret beside it that
// no request may reach.
func pageDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"secret.txt":                     "SECRET outside the page",
		"dist/index.html":                "<!doctype html><title>Descent</title>",
		"dist/assets/app.js":             "console.log(1)",
		"dist/assets/app-5HMXQ2ZB.js":    "console.log(2)",
		"dist/assets/style.css":          "body{}",
		"dist/assets/logo.png":           "\x89PNG\r\n\x1a\n",
		"dist/assets/data.json":          "{}",
		"dist/assets/style-AB12CD34.css": "p{}",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// rawGet sends path as it is, without Go's client cleaning it.
func rawGet(t *testing.T, addr, path string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: "+addr+"\r\nConnection: close\r\n\r\n")
	b, _ := io.ReadAll(conn)
	resp := string(b)
	code := 0
	if len(resp) >= 12 {
		code = int(resp[9]-'0')*100 + int(resp[10]-'0')*10 + int(resp[11]-'0')
	}
	return code, resp
}

func TestStaticNoTraversal(t *testing.T) {
	dir := pageDir(t)
	_, ts := newServerWith(t, 100, 1, Config{Page: os.DirFS(filepath.Join(dir, "dist"))})
	addr := strings.TrimPrefix(ts.URL, "http://")
	for _, p := range []string{
		"/assets/../../secret.txt", "/assets/../secret.txt", "/../secret.txt",
		"/assets/%2e%2e/%2e%2e/secret.txt", "/assets/%2E%2E%2F%2E%2E%2Fsecret.txt", "/%2e%2e/secret.txt",
		"/assets/..%2fsecret.txt", "/assets/..%5c..%5csecret.txt", "/assets/..\\..\\secret.txt",
		"/assets/%5c..%5csecret.txt", "/assets/" + dir + "/secret.txt", "/assets//" + dir + "/secret.txt",
		"//" + dir + "/secret.txt", "/assets/%2f" + strings.TrimPrefix(dir, "/") + "/secret.txt",
		"/assets/../../go.mod", "/assets/%2e%2e/%2e%2e/go.mod", "/assets/C:%5cWindows%5cwin.ini",
		"/assets/\x00secret.txt", "/assets/%00../secret.txt",
	} {
		code, resp := rawGet(t, addr, p)
		if code == http.StatusOK || strings.Contains(resp, "SECRET") || strings.Contains(resp, "module descent") {
			t.Errorf("GET %q: HTTP %d, and it %s the secret", p, code, map[bool]string{true: "shows", false: "hides"}[strings.Contains(resp, "SECRET")])
		}
	}
}

func TestStaticHeaders(t *testing.T) {
	dir := pageDir(t)
	_, ts := newServerWith(t, 100, 1, Config{Page: os.DirFS(filepath.Join(dir, "dist"))})
	for _, tc := range []struct{ path, ctype, cache string }{
		{"/", "text/html; charset=utf-8", "no-cache"},
		{"/assets/app.js", "text/javascript; charset=utf-8", "no-cache"},
		{"/assets/app-5HMXQ2ZB.js", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/assets/style.css", "text/css; charset=utf-8", "no-cache"},
		{"/assets/style-AB12CD34.css", "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"/assets/logo.png", "image/png", "no-cache"},
		{"/assets/data.json", "application/json", "no-cache"},
	} {
		resp, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != http.StatusOK || h.Get("Content-Type") != tc.ctype || h.Get("Cache-Control") != tc.cache ||
			h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: HTTP %d, %q, %q, nosniff %q; want 200, %q, %q", tc.path, resp.StatusCode,
				h.Get("Content-Type"), h.Get("Cache-Control"), h.Get("X-Content-Type-Options"), tc.ctype, tc.cache)
		}
		etag := h.Get("ETag")
		req, _ := http.NewRequest("GET", ts.URL+tc.path, nil)
		req.Header.Set("If-None-Match", etag)
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if etag == "" || resp.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s again with If-None-Match %s: HTTP %d, want 304", tc.path, etag, resp.StatusCode)
		}
	}
	resp, err := http.Get(ts.URL + "/assets/nothing.js")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") {
		t.Errorf("a missing asset: HTTP %d %q, want 404 as text", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// TestExportsNoTraversal: the export routes answer ids and file names, never
// paths.
func TestExportsNoTraversal(t *testing.T) {
	_, ts := newTestServer(t, 100, 1)
	addr := strings.TrimPrefix(ts.URL, "http://")
	for _, p := range []string{
		"/api/export/run/..%2f..%2fgo.mod/loss.csv", "/api/export/run/%2e%2e/%2e%2e/go.mod",
		"/api/export/run/r1/..%2f..%2f..%2fgo.mod", "/api/export/../../go.mod", "/api/export/run/r1/%5c..%5cgo.mod",
		"/api/export/run/" + "%2fetc%2fpasswd" + "/loss.csv",
	} {
		code, resp := rawGet(t, addr, p)
		if code == http.StatusOK || strings.Contains(resp, "module descent") || strings.Contains(resp, "root:") {
			t.Errorf("GET %q: HTTP %d, want a refusal", p, code)
		}
	}
}
