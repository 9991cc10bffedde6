package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"descent/server/store"
)

// TestHelperServe is not a test: TestServeCrash runs the test binary again
// with DESCENT_HELPER_SERVE=1 as `descent serve` with the arguments after
// "--", so that it can kill -9 a real server process.
func TestHelperServe(t *testing.T) {
	if os.Getenv("DESCENT_HELPER_SERVE") != "1" {
		t.Skip("the descent serve process of TestServeCrash")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(runServe(args, os.Stdout, os.Stderr))
}

// serveProc is a descent serve process started by a test.
type serveProc struct {
	cmd  *exec.Cmd
	addr string
	out  *lockedBuffer
	done chan struct{}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServe runs descent serve on the run store dir and waits until it
// answers /healthz.
func startServe(t *testing.T, dir string) *serveProc {
	t.Helper()
	p := &serveProc{addr: freeAddr(t), out: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestHelperServe$", "--",
		"--addr", p.addr, "--data", "data/mnist", "--data-dir", dir, "--max-runs", "1")
	p.cmd.Env = append(os.Environ(), "DESCENT_HELPER_SERVE=1")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			t.Fatalf("descent serve exited at start:\n%s", p.out)
		default:
		}
		if resp, err := http.Get("http://" + p.addr + "/healthz"); err == nil {
			resp.Body.Close()
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("descent serve did not answer within 30 s:\n%s", p.out)
	return nil
}

// kill ends the process with SIGKILL (the process this test started, and
// only it) and waits for it.
func (p *serveProc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Kill()
	<-p.done
}

// interrupt stops the process as Ctrl-C does and waits for it.
func (p *serveProc) interrupt(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		t.Fatalf("descent serve did not stop on SIGINT:\n%s", p.out)
	}
}

// page is a websocket client of a serveProc.
type page struct {
	t  *testing.T
	ws *websocket.Conn
}

func dialPage(t *testing.T, p *serveProc) *page {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+p.addr+"/ws", nil)
	if err != nil {
		t.Fatalf("dial: %v\n%s", err, p.out)
	}
	t.Cleanup(func() { ws.Close() })
	return &page{t: t, ws: ws}
}

func (pg *page) send(v any) {
	pg.t.Helper()
	if err := pg.ws.WriteJSON(v); err != nil {
		pg.t.Fatal(err)
	}
}

// until reads events until ok accepts one; an error event fails the test.
func (pg *page) until(what string, ok func(map[string]any) bool) map[string]any {
	pg.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	pg.ws.SetReadDeadline(deadline)
	for {
		var ev map[string]any
		if err := pg.ws.ReadJSON(&ev); err != nil {
			pg.t.Fatalf("waiting for %s: %v", what, err)
		}
		if ev["type"] == "error" {
			pg.t.Fatalf("waiting for %s: %v", what, ev)
		}
		if ok(ev) {
			return ev
		}
	}
}

func runOf(ev map[string]any) map[string]any {
	r, _ := ev["run"].(map[string]any)
	return r
}

// TestServeCrash is the run store's crash test: train in a real descent serve,
// kill -9 it in the middle of an epoch, and start it again on the same
// store: every epoch that finished is there with its checkpoint, the store
// passes integrity_check, and the interrupted run restarts from its last
// checkpoint and finishes.
func TestServeCrash(t *testing.T) {
	if _, err := os.Stat("data/mnist/train-images-idx3-ubyte.gz"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("data/mnist is missing: run make data")
		}
		t.Skip("data/mnist is missing: run make data")
	}
	if testing.Short() {
		t.Skip("starts descent serve twice")
	}
	dir := t.TempDir()
	ctx := context.Background()
	const epochs, perEpoch = 5, 6000 // batch 10
	p := startServe(t, dir)
	pg := dialPage(t, p)
	pg.send(map[string]any{"type": "start", "req": 1, "config": map[string]any{"optimizer": "sgd", "lr": 0.05,
		"batch": 10, "epochs": epochs, "evalLimit": 1000, "arch": map[string]any{"hidden": []int{32}, "activation": "sigmoid"}}})
	id := runOf(pg.until("runCreated", func(ev map[string]any) bool { return ev["type"] == "runCreated" && ev["req"] == 1.0 }))["id"].(string)
	pg.send(map[string]any{"type": "subscribe", "run": id})
	seen := 0
	pg.until("steps in epoch 3", func(ev map[string]any) bool {
		switch ev["type"] {
		case "epoch":
			seen = int(ev["epoch"].(float64))
		case "steps":
			s := ev["step"].([]any)
			return seen >= 2 && len(s) > 0 && s[len(s)-1].(float64) > 2*perEpoch+perEpoch/10
		}
		return false
	})
	p.kill() // kill -9, mid-epoch 3
	if seen < 2 {
		t.Fatalf("the page saw %d epochs before the kill, want 2", seen)
	}

	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatalf("the store after kill -9: %v", err)
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	sid := int64(0)
	fmt.Sscanf(id, "r%d", &sid)
	eps, _ := st.Epochs(ctx, sid)
	cks, _ := st.Checkpoints(ctx, sid)
	if len(eps) < seen || len(cks) != len(eps) {
		t.Errorf("after kill -9: %d epochs and %d checkpoints in the store, the page saw %d", len(eps), len(cks), seen)
	}
	if r, err := st.GetRun(ctx, sid); err != nil || r.Status != store.StatusRunning || r.Steps < len(eps)*perEpoch {
		t.Errorf("after kill -9 the run is %+v (%v), want running after epoch %d", r, err, len(eps))
	} else {
		t.Logf("killed at step %d, %d epochs kept", r.Steps, len(eps))
	}
	st.Close()

	p = startServe(t, dir)
	pg = dialPage(t, p)
	hello := pg.until("hello", func(ev map[string]any) bool { return ev["type"] == "hello" })
	var listed map[string]any
	for _, r := range hello["runs"].([]any) {
		if r := r.(map[string]any); r["id"] == id {
			listed = r
		}
	}
	if listed == nil || listed["status"] != "interrupted" {
		t.Fatalf("after the restart, hello lists %v, want run %s interrupted", hello["runs"], id)
	}
	pg.send(map[string]any{"type": "restart", "req": 2, "run": id})
	done := pg.until("the restarted run done", func(ev map[string]any) bool {
		return ev["type"] == "status" && runOf(ev)["id"] == id && runOf(ev)["status"] == "done"
	})
	if res := runOf(done)["result"].(map[string]any); res["epochs"] != float64(epochs) || res["testAccuracy"].(float64) < 0.8 {
		t.Errorf("the restarted run ended with %v, want %d epochs and accuracy over 80%%", res, epochs)
	}

	var out, errb bytes.Buffer
	if code := runRuns([]string{"--data-dir", dir}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "another descent is using") {
		t.Errorf("descent runs while serving: %d, %q; want 1 and a word on the other descent", code, errb.String())
	}
	p.interrupt(t)
	out.Reset()
	if code := runRuns([]string{"--data-dir", dir}, &out, &errb); code != 0 || !strings.Contains(out.String(), "done") {
		t.Errorf("descent runs after serving: %d, %q", code, out.String())
	}

	st, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	eps, _ = st.Epochs(ctx, sid)
	steps, _ := st.Steps(ctx, sid, 0, 0)
	if len(eps) != epochs || len(steps) != epochs*perEpoch || steps[len(steps)-1].Step != epochs*perEpoch {
		t.Errorf("at the end: %d epochs and %d steps in the store, want %d and %d", len(eps), len(steps), epochs, epochs*perEpoch)
	}
}
