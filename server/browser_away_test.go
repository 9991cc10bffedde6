package server_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"testing"

	"descent/server"
	"descent/server/store"
)

// restartable is a server with a run store on a fixed address, which can
// stop and start again there as a new process would.
type restartable struct {
	t    *testing.T
	dir  string
	addr string
	cfg  server.Config
	st   *store.Store
	srv  *server.Server
	ts   *httptest.Server
}

func (r *restartable) start() {
	r.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, r.dir)
	if err != nil {
		r.t.Fatal(err)
	}
	cfg := r.cfg
	cfg.Store, cfg.Logger = st, slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := server.New(cfg)
	if err := srv.Restore(ctx); err != nil {
		r.t.Fatal(err)
	}
	addr := r.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		r.t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	ts := httptest.NewUnstartedServer(srv)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	r.st, r.srv, r.ts = st, srv, ts
}

func (r *restartable) stop() {
	if r.ts == nil {
		return
	}
	r.ts.Close()
	r.srv.Close()
	r.st.Close()
	r.ts = nil
}

// TestBrowserServerAway stops the server under an open page: the controls
// that need it are disabled and say why; after it starts again (a new
// instance on the same store) the page shows the interrupted run's curve
// without a reload, Resume says from which epoch it continues, and the
// surface's paths stay drawn and Play draws them afresh.
func TestBrowserServerAway(t *testing.T) {
	needBrowser(t)
	train, test := subsetMNIST(t)
	r := &restartable{t: t, dir: t.TempDir(), cfg: server.Config{Train: train, Test: test, Concurrent: 1}}
	r.start()
	t.Cleanup(r.stop)
	b := openPage(t, "http://"+r.addr+"/#surface", 1280, 800, "en")
	allowPageErrors(b.ctx, `WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource`)
	b.waitJS("surface image", `document.querySelector('.surf-stage').dataset.loaded`)
	b.eval(setJS("#view-surface [name=speed]", "9", "input"))
	b.eval(setJS("#view-surface [name=surfSteps]", "300", "change"))
	b.click("#view-surface [data-act=surfPlay]")
	b.waitJS("the surface's paths", hasPaths+` && `+surfSet+`.state === "done"`)

	b.click("#tab-train")
	b.eval(setJS("#view-train input[name=epochs]", "200", "input"))
	b.click("#view-train form button[type=submit]")
	b.waitJS("two epochs done", lastRun+` && `+lastRun+`.epochs.length >= 2`)
	id := b.text(lastRun + `.id`)
	r.stop()
	b.waitJS("the page knows the server is away", `document.querySelector('#conn').classList.contains('conn-closed') &&
		document.querySelector("#view-train form button[type=submit]").disabled &&
		document.querySelector("#view-compare form button[type=submit]").disabled &&
		document.querySelector("#view-surface [data-act=surfPlay]").disabled &&
		!document.querySelector("#view-train .offline-note").hidden`)
	b.shot("train-away-1280x800.png")

	r.start()
	run := `window.descent.store.runs.get("` + id + `")`
	b.waitJS("the interrupted run's curve, without a reload", run+` && `+run+`.info.status === "interrupted" && `+run+`.steps.step.length > 0 &&
		window.descent.views.train.current === "`+id+`" && window.descent.views.train.charts.loss.data[0].length > 0 &&
		!document.querySelector("#view-train form button[type=submit]").disabled`)
	b.waitJS("Resume says where it continues", `/^Resume continues from epoch \d+ of 200/.test(document.querySelector("#view-train .resume-note").textContent)`)
	b.shot("train-restarted-1280x800.png")
	b.click("#view-train .runbar button[data-i18n=resume]")
	b.waitJS("the run again", run+`.info.status === "running" || `+run+`.info.status === "queued"`)
	b.click("#view-train .runbar button[data-i18n=stop]")

	b.click("#tab-surface")
	if !b.truth(hasPaths) {
		t.Error("the surface's paths are gone after the server's restart")
	}
	b.click("#view-surface [data-act=surfPlay]")
	b.waitJS("the paths drawn afresh", surfSet+` && `+surfSet+`.id && `+hasPaths+` && `+surfSet+`.state === "done"`)
}
