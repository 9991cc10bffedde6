// Package server is Descent's live page: an HTTP server that serves the page
// embedded from web/ and streams training runs to it over websockets. It
// holds the routes, access and limits, the pages' connections and their hub,
// and the one table of commands (commands.go); the rooms below it hold the
// rest: runs (the run manager), export (figures and data files), traj (the
// surface explorer), draw (the drawing panel), protocol (the messages on the
// wire), steps (the step columns and their one thinning rule), store (the
// run store) and figures (gonum/plot).
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/websocket"

	"descent/mnist"
	"descent/optim"
	"descent/server/analysis"
	"descent/server/draw"
	"descent/server/export"
	"descent/server/internal/priority"
	"descent/server/landscape"
	"descent/server/protocol"
	"descent/server/runs"
	"descent/server/store"
	"descent/server/traj"
	"descent/web"
)

// Config configures a Server.
type Config struct {
	Train, Test *mnist.Dataset // loaded once, shared read-only by every run
	// Concurrent is the number of runs that train at once; if 0, the number
	// of cores. The rest wait with status "queued".
	Concurrent int
	// Page is the built page; if nil, the one embedded from web/.
	Page fs.FS
	// Logger receives the server's log; if nil, slog.Default().
	Logger *slog.Logger
	// Models are saved networks that answer drawings beside the runs, by
	// name (LoadModels); may be nil.
	Models map[string]*mnist.Model
	// Store keeps every run, its steps, epochs and checkpoints; if nil, runs
	// live in memory only. Call Restore after New.
	Store *store.Store
	// Access holds the tokens that a page needs; zero leaves the server
	// open, as on loopback.
	Access Access
	// Limits are the limits a classroom leans on; zero fields take their
	// defaults.
	Limits Limits
}

// Server is the live page's http.Handler: the page, its websocket, and the
// runs it starts.
type Server struct {
	cfg       Config
	mux       *http.ServeMux
	log       *slog.Logger
	runs      *runs.Manager
	hub       *hub
	validator validator
	upgrader  websocket.Upgrader
	page      fs.FS
	instance  string // random, sent in hello
	surfaces  *traj.Surfaces
	models    *draw.Models
	panel     *draw.Panel // explain, gradCheck and the pages' learn copies
	exports   *export.Handler
	analyses  *analysis.Scheduler // the pages' heavy requests, --max-analyses at once
	present   presenter           // what the teacher presents
	lands     *landscape.Service  // the pages' loss landscapes
	limits    Limits              // Config.Limits with defaults
	gate      gate                // the open websockets; runs are checked and created under its lock
	floodFor  time.Duration       // how long a page may flood before it is closed
	etags     etags               // of the page's files
}

// LoadModels reads every model file (*.descent) in dir, for Config.Models.
func LoadModels(dir string) (map[string]*mnist.Model, error) { return draw.LoadModels(dir) }

// New returns a server whose runs train on cfg's datasets. Call Close (or
// let Serve return) to stop its runs.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Page == nil {
		cfg.Page = web.Dist()
	}
	h := newHub()
	s := &Server{cfg: cfg, mux: http.NewServeMux(), log: cfg.Logger, hub: h, page: cfg.Page}
	s.limits, s.floodFor = cfg.Limits.withDefaults(), floodFor
	s.runs = runs.New(runs.Config{Train: cfg.Train, Test: cfg.Test, Concurrent: cfg.Concurrent,
		Logger: cfg.Logger, Store: cfg.Store, Notify: h.wake, SharpnessBudget: s.limits.SharpnessBudget})
	priority.ReserveProcs(2 * s.runs.Concurrent()) // pages first: a tracker may measure beside each run
	s.instance = strconv.FormatUint(rand.Uint64(), 36)
	s.surfaces = traj.NewSurfaces()
	s.analyses = analysis.New(s.limits.MaxAnalyses)
	s.models = draw.NewModels(cfg.Models)
	s.panel = draw.NewPanel(s.runs, s.models, cfg.Test, s.limits.drawLimits())
	s.lands = landscape.New(landscape.Config{Runs: s.runs, Models: s.models, Train: cfg.Train, Test: cfg.Test,
		Analyses: s.analyses, MaxGrid: s.limits.MaxLandscapeGrid, MaxImages: s.limits.MaxLandscapeImages, Logger: cfg.Logger})
	s.exports = export.NewHandler(export.LiveSource{M: s.runs}, cfg.Logger).WithLandscapes(s.lands)
	s.validator.limits = &s.limits
	if cfg.Train != nil {
		s.validator.trainN = cfg.Train.N
	}
	if cfg.Test != nil {
		s.validator.testN = cfg.Test.N
	}
	s.upgrader = websocket.Upgrader{ReadBufferSize: 4096, WriteBufferSize: 16384, CheckOrigin: sameOrigin}
	s.routes()
	return s
}

// Restore loads the runs kept in the store, marking those that a previous
// server left alive as interrupted. Call it once, after New and before
// Serve. Without Config.Store it does nothing.
func (s *Server) Restore(ctx context.Context) error { return s.runs.Restore(ctx) }

// routes registers every route, in one place.
func (s *Server) routes() {
	s.mux.HandleFunc("GET /ws", s.handleSocket)
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /api/runs", s.handleRuns)
	s.mux.Handle("GET /api/surface", s.surfaces)
	s.mux.HandleFunc("GET /api/export/{what}/{file}", s.exports.ServeData)
	s.mux.HandleFunc("GET /api/export/{what}/{id}/{file}", s.exports.ServeFile)
	s.mux.HandleFunc("GET /api/export/model/{file}", s.handleModel)
	s.mux.HandleFunc("POST /api/export/trajectory/{file}", s.exports.ServeTrajectory)
	s.mux.HandleFunc("GET /api/export/landscape/{file}", s.exports.ServeLandscape)
	s.mux.HandleFunc("POST /api/export/hessian/{file}", s.exports.ServeHessian)
	s.mux.HandleFunc("GET /", s.handlePage)
}

// ServeHTTP makes the server an http.Handler.
// Every route but /healthz needs a token when Config.Access has one.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/healthz" {
		var ok bool
		if r, ok = s.authorize(w, r); !ok {
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// Serve serves on ln until ctx ends, then stops every run, closes every
// websocket and waits for their goroutines before it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	var err error
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	s.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if e := hs.Shutdown(sctx); e != nil && err == nil {
		err = e
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close stops every run and analysis, closes every websocket, and waits
// for them.
func (s *Server) Close() {
	s.runs.Close()
	s.hub.close()
	s.analyses.Close()
	s.panel.Close()
	s.lands.Close()
}

// Connections returns the number of open websockets.
func (s *Server) Connections() int { return s.hub.count() }

// hello is the first event of every connection.
func (s *Server) hello(role string) protocol.Hello {
	return protocol.Hello{Type: protocol.EvHello, Version: protocol.Version, Instance: s.instance, Optimizers: optim.Specs(),
		Schedules: optim.ScheduleSpecs(), Activations: mnist.Activations(), Defaults: mnist.DefaultConfig(),
		Samples: s.runs.Samples(), Runs: s.runs.Infos(), Limits: s.helloLimits(), Functions: optim.Functions(),
		Surface: traj.Limits(s.limits.MaxTrajSteps), Models: s.models.Infos(), Role: role, Hessian: s.hessianLimits()}
}

// handleSocket upgrades to a websocket and starts its reader and writer.
func (s *Server) handleSocket(w http.ResponseWriter, r *http.Request) {
	if !s.gate.enter(s.limits.MaxConns) {
		http.Error(w, fmt.Sprintf("server: %d connections are open, the most allowed (--max-conns); try again later", s.limits.MaxConns),
			http.StatusServiceUnavailable)
		return
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		s.gate.leave()
		return // the upgrader has answered with an HTTP error
	}
	c := newConn(s, ws, roleOf(r.Context()))
	if !s.hub.add(c) {
		s.gate.leave()
		ws.Close()
		return
	}
	go func() {
		defer s.gate.leave()
		c.readLoop()
		s.hub.remove(c)
	}()
	go c.writeLoop()
}

// sameOrigin accepts a websocket only from a page served by this server (or
// from a client that sends no Origin, which is not a browser).
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// handleRuns lists the runs as JSON, for scripts.
func (s *Server) handleRuns(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(protocol.Runs{Type: protocol.EvRuns, Runs: s.runs.Infos()})
}

// handlePage serves the built page, or says how to build it.
func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	if _, err := fs.Stat(s.page, "index.html"); err != nil {
		http.Error(w, "server: page not built: run `make web` (or `make build`)", http.StatusServiceUnavailable)
		return
	}
	if r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, "/assets/") {
		s.serveStatic(w, r)
		return
	}
	http.NotFound(w, r)
}
