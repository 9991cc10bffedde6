package server

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"descent/server/protocol"
)

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// TestLandscapeExports: a slice and a 1-D chart that a page made come back
// as figures (PNG, SVG, in Korean too) and as data (CSV, JSON) under their
// ids; an unknown id is a 404, a bad file or language a 400.
func TestLandscapeExports(t *testing.T) {
	_, ts := newTestServer(t, 800, 2)
	c := dial(t, ts)
	id := c.start(1, smallConfig(2))
	c.waitDone(id)
	c.send(map[string]any{"type": "landscape", "req": 2, "run": id, "grid": 9, "testExamples": 50})
	s := c.landscape(2)
	c.send(map[string]any{"type": "landscapeLine", "req": 3, "run": id})
	chart := c.until("chart", isType(protocol.EvLandscapeLineChart))
	base := ts.URL + "/api/export/landscape/"
	for _, f := range []struct{ file, ctype, start string }{
		{s.id + ".png", "image/png", "\x89PNG"}, {s.id + ".svg?lang=ko", "image/svg+xml", "<?xml"},
		{chart["id"].(string) + ".png?lang=ko", "image/png", "\x89PNG"}, {chart["id"].(string) + ".svg", "image/svg+xml", "<?xml"},
	} {
		resp, b := get(t, base+f.file)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != f.ctype || !bytes.HasPrefix(b, []byte(f.start)) ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "descent-landscape-") {
			t.Errorf("GET %s: %d %s %q…", f.file, resp.StatusCode, resp.Header.Get("Content-Type"), b[:min(len(b), 20)])
		}
	}
	resp, b := get(t, base+s.id+".csv")
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("CSV: %d, %v", resp.StatusCode, err)
	}
	points := len(s.done["tracks"].([]any)[0].(map[string]any)["step"].([]any))
	grid, path := 0, 0
	for _, r := range rows[1:] {
		switch r[0] {
		case "grid":
			grid++
			if r[6] == "" || r[8] == "" {
				t.Fatalf("grid row without its losses: %v", r)
			}
		case "path":
			path++
		}
	}
	if rows[0][0] != "record" || grid != 81 || path < points {
		t.Errorf("CSV: header %v, %d grid rows (want 81), %d path rows (want at least %d)", rows[0], grid, path, points)
	}
	_, b = get(t, base+s.id+".json")
	var js struct {
		A, B   []float64
		Loss   [][]*float64
		Center float64
		Paths  []struct {
			Run      string
			Path     [][3]float64
			OffPlane []float64
		}
	}
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Loss) != 9 || len(js.Loss[0]) != 9 || js.Center != s.done["center"] || len(js.Paths) != 1 || js.Paths[0].Run != id ||
		len(js.Paths[0].Path) != len(js.Paths[0].OffPlane) {
		t.Errorf("JSON: %d rows, centre %v (want %v), paths %+v", len(js.Loss), js.Center, s.done["center"], js.Paths)
	}
	_, b = get(t, base+chart["id"].(string)+".csv")
	if rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll(); err != nil || len(rows) != 42 || rows[0][3] != "t" {
		t.Errorf("chart CSV: %d rows (%v), want a header and 41", len(rows), err)
	}
	for file, code := range map[string]int{"l999.png": 404, "l1.gif": 400, "x1.png": 400, s.id + ".png?lang=fr": 400} {
		if resp, _ := get(t, base+file); resp.StatusCode != code {
			t.Errorf("GET %s: %d, want %d", file, resp.StatusCode, code)
		}
	}
}
