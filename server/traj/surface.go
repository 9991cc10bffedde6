package traj

import (
	"container/list"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"

	"descent/optim"
	"descent/server/figures"
	"descent/server/protocol"
)

// The surface images. GET /api/surface renders a function's heat map with
// contour lines over a domain as a PNG (figures.RenderSurface):
//
//	GET /api/surface?fn=rosenbrock&xmin=-2&xmax=2&ymin=-1&ymax=3&w=640&h=560&lang=en&dpi=96
//
// fn is required; the domain defaults to the function's own, w and h to
// 640 × 560, lang to "en", dpi to figures' default. A function's parameters
// come as p.<name> (p.cond=100&p.angle=30 for the quadratic). The answer's
// X-Plot-Area header is the data area "l,t,r,b" in image pixels and
// X-Domain the domain "xmin,xmax,ymin,ymax": the page maps (x, y) to pixels
// with figures.Domain.ToPixel's formula. Bad parameters get 400 and a line
// of text that names the parameter.
const (
	// MinSurfaceWidth and MaxSurfaceWidth bound a domain's width and height,
	// so that zooming stays where float64 and the contours make sense.
	MinSurfaceWidth = 1e-6
	MaxSurfaceWidth = 1e6
	// surfaceCacheSize is the number of recent images kept: rendering takes
	// tens of milliseconds, and a page asks again after each zoom and when
	// the language changes back.
	surfaceCacheSize = 32
)

// surfaceRequest is a parsed, validated GET /api/surface.
type surfaceRequest struct {
	fn   optim.Function
	dom  figures.Domain
	w, h int
	lang string
	dpi  float64
}

// Surfaces serves GET /api/surface, keeping recent renderings, least
// recently used first out.
type Surfaces struct {
	mu    sync.Mutex
	order *list.List // of *surfaceEntry, most recent at the front
	byKey map[string]*list.Element
}

type surfaceEntry struct {
	key string
	s   *figures.Surface
}

// NewSurfaces returns an empty cache.
func NewSurfaces() *Surfaces {
	return &Surfaces{order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *Surfaces) get(key string) (*figures.Surface, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*surfaceEntry).s, true
}

func (c *Surfaces) put(key string, s *figures.Surface) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(&surfaceEntry{key: key, s: s})
	for c.order.Len() > surfaceCacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*surfaceEntry).key)
	}
}

// ServeHTTP answers GET /api/surface.
func (cache *Surfaces) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req, err := parseSurfaceRequest(q)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	key := canonicalQuery(q)
	img, ok := cache.get(key)
	if !ok {
		img, err = figures.RenderSurface(req.fn, req.dom, req.w, req.h, figures.SurfaceOptions{Lang: req.lang, DPI: req.dpi})
		if err != nil {
			http.Error(w, "server: "+err.Error(), http.StatusBadRequest)
			return
		}
		cache.put(key, img)
	}
	p, d := img.Plot, img.Domain
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Cache-Control", "public, max-age=86400") // the same query always draws the same image
	h.Set("X-Plot-Area", fmt.Sprintf("%d,%d,%d,%d", p.Min.X, p.Min.Y, p.Max.X, p.Max.Y))
	h.Set("X-Domain", fmt.Sprintf("%g,%g,%g,%g", d.XMin, d.XMax, d.YMin, d.YMax))
	h.Set("X-Levels", fmt.Sprintf("log=%t,min=%g,max=%g", img.Log, img.Min, img.Max))
	_, _ = w.Write(img.PNG)
}

// parseSurfaceRequest validates the query of GET /api/surface.
func parseSurfaceRequest(q url.Values) (surfaceRequest, error) {
	var req surfaceRequest
	name := q.Get("fn")
	if name == "" {
		return req, fmt.Errorf("server: fn is missing (allowed: %s)", strings.Join(optim.FunctionNames(), ", "))
	}
	params := map[string]float64{}
	for k := range q {
		if p, ok := strings.CutPrefix(k, "p."); ok {
			v, err := queryFloat(q, k, 0)
			if err != nil {
				return req, err
			}
			params[p] = v
		} else if !knownSurfaceKey(k) {
			return req, fmt.Errorf("server: unknown parameter %q", k)
		}
	}
	fn, err := optim.NewFunction(name, params)
	if err != nil {
		return req, fmt.Errorf("server: fn: %v", err)
	}
	req.fn = fn
	def := figures.DomainOf(fn)
	bounds := [4]*float64{&req.dom.XMin, &req.dom.XMax, &req.dom.YMin, &req.dom.YMax}
	for i, k := range [4]string{"xmin", "xmax", "ymin", "ymax"} {
		v, err := queryFloat(q, k, [4]float64{def.XMin, def.XMax, def.YMin, def.YMax}[i])
		if err != nil {
			return req, err
		}
		if math.Abs(v) > protocol.MaxTrajCoord {
			return req, fmt.Errorf("server: %s = %g is out of range (allowed: |%s| ≤ %g)", k, v, k, protocol.MaxTrajCoord)
		}
		*bounds[i] = v
	}
	if err := checkWidth("x", req.dom.XMax-req.dom.XMin); err != nil {
		return req, err
	}
	if err := checkWidth("y", req.dom.YMax-req.dom.YMin); err != nil {
		return req, err
	}
	if req.w, err = queryInt(q, "w", 640); err != nil {
		return req, err
	}
	if req.h, err = queryInt(q, "h", 560); err != nil {
		return req, err
	}
	if req.dpi, err = queryFloat(q, "dpi", 0); err != nil {
		return req, err
	}
	if d := req.dpi; d != 0 && (d < 24 || d > 960) {
		return req, fmt.Errorf("server: dpi = %g is out of range (allowed: 24 to 960)", d)
	}
	req.lang = q.Get("lang")
	if req.lang != "" && req.lang != "en" && req.lang != "ko" {
		return req, fmt.Errorf("server: lang = %q (allowed: en, ko)", req.lang)
	}
	return req, nil
}

// checkWidth refuses a domain side outside [MinSurfaceWidth, MaxSurfaceWidth].
func checkWidth(axis string, w float64) error {
	if w >= MinSurfaceWidth && w <= MaxSurfaceWidth {
		return nil
	}
	return fmt.Errorf("server: %smax − %smin = %g (allowed: %g to %g)", axis, axis, w, MinSurfaceWidth, MaxSurfaceWidth)
}

func knownSurfaceKey(k string) bool {
	switch k {
	case "fn", "xmin", "xmax", "ymin", "ymax", "w", "h", "lang", "dpi":
		return true
	}
	return false
}

// queryFloat reads a finite number, or def when the key is absent.
func queryFloat(q url.Values, k string, def float64) (float64, error) {
	s := q.Get(k)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !protocol.Finite(v) {
		return 0, fmt.Errorf("server: %s = %q (allowed: a finite number)", k, s)
	}
	return v, nil
}

// queryInt reads an image side in pixels, or def when the key is absent.
func queryInt(q url.Values, k string, def int) (int, error) {
	s := q.Get(k)
	if s == "" {
		return def, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < figures.MinSurfacePixels || v > figures.MaxSurfacePixels {
		return 0, fmt.Errorf("server: %s = %q (allowed: an integer from %d to %d)", k, s, figures.MinSurfacePixels, figures.MaxSurfacePixels)
	}
	return v, nil
}

// canonicalQuery is the cache key: the parameters sorted.
func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s&", k, q.Get(k))
	}
	return b.String()
}
