// Command loadtest drives a `descent serve` with many pages at once, on
// loopback only, for a fixed time: it starts -runs training runs, then -n
// websocket clients that each subscribe to every run, send a drawing five
// times a second and start a trajectory set every few seconds. At the end it
// prints the messages per second, the p50 and p99 latencies of the drawing
// round trips and of trajectory starts, the errors, and the peak memory.
//
//	go run ./server/loadtest -n 100 -d 60s            # a server in this process
//	go run ./server/loadtest -addr 127.0.0.1:8080     # a running descent serve
package main

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"descent/mnist"
	"descent/server"
	"descent/server/protocol"
)

// Bounds, so that a typo cannot turn the load generator into a flood.
const (
	maxClients  = 1000
	maxDuration = 10 * time.Minute
	predictHz   = 5               // drawings a second per client
	trajEvery   = 3 * time.Second // a trajectory set per client this often
	dialTimeout = 10 * time.Second
)

func main() {
	n := flag.Int("n", 100, "websocket clients (at most 1000)")
	d := flag.Duration("d", 60*time.Second, "how long the clients run (at most 10m)")
	addr := flag.String("addr", "", "a running descent serve on loopback (host:port); empty starts one in this process")
	runs := flag.Int("runs", 4, "training runs to start first")
	data := flag.String("data", "data/mnist", "MNIST, for the server in this process")
	token := flag.String("token", "", "the teacher's token of a server started with one")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of this process (and the server in it) to this file")
	flag.StringVar(&memprofile, "memprofile", "", "write a heap profile, taken just before the clients stop, to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*n, *d, *addr, *runs, *data, *token); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

// memprofile is the -memprofile file.
var memprofile string

// writeHeap writes a heap profile to memprofile.
func writeHeap() {
	f, err := os.Create(memprofile)
	if err != nil {
		slog.Warn("memprofile", "err", err)
		return
	}
	defer f.Close()
	_ = pprof.Lookup("heap").WriteTo(f, 0)
}

// stats are shared by every client.
type stats struct {
	msgs, errs, drops atomic.Int64
	mu                sync.Mutex
	predict, traj     []time.Duration
}

func (s *stats) add(dst *[]time.Duration, d time.Duration) {
	s.mu.Lock()
	*dst = append(*dst, d)
	s.mu.Unlock()
}

func run(n int, d time.Duration, addr string, runs int, data, token string) error {
	if n < 1 || n > maxClients || d <= 0 || d > maxDuration || runs < 1 || runs > 12 {
		return fmt.Errorf("-n 1…%d, -d up to %v, -runs 1…12", maxClients, maxDuration)
	}
	peak := watchMemory()
	if addr == "" {
		stop, a, err := startServer(data, runs, n)
		if err != nil {
			return err
		}
		defer stop()
		addr = a
	} else if err := loopbackOnly(addr); err != nil {
		return err
	}
	wsURL := "ws://" + addr + "/ws"
	if token != "" {
		wsURL += "?token=" + url.QueryEscape(token)
	}
	ids, teacher, err := startRuns(wsURL, runs)
	if err != nil {
		return err
	}
	defer teacher.Close()
	fmt.Printf("loadtest: %d runs training on %s; %d clients for %v; %d cores, load average %s\n", len(ids), addr, n, d, runtime.NumCPU(), loadavg())

	st := &stats{}
	end := time.Now().Add(d)
	var live atomic.Uint64 // heap after a GC, near the end, under load
	time.AfterFunc(d-min(d/10, time.Second), func() {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		live.Store(m.HeapAlloc)
		if memprofile != "" {
			writeHeap()
		}
	})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := client(wsURL, ids, end, st); err != nil {
				st.errs.Add(1)
				slog.Warn("client", "i", i, "err", err)
			}
		}()
		time.Sleep(5 * time.Millisecond) // do not dial all at once
	}
	wg.Wait()
	for _, id := range ids {
		_ = teacher.WriteJSON(map[string]any{"type": "stop", "run": id})
	}
	report(st, d, n, peak(), live.Load())
	fmt.Printf("load average       %s (the machine's, at the end)\n", loadavg())
	return nil
}

// loopbackOnly refuses an address that is not this machine.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("cannot resolve %s: %v", host, err)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s is not loopback: the load generator only drives a server on this machine", addr)
		}
	}
	return nil
}

// startServer serves descent on 127.0.0.1 in this process.
func startServer(data string, runs, n int) (stop func(), addr string, err error) {
	train, test, err := mnist.Load(data)
	if err != nil {
		return nil, "", fmt.Errorf("%w (run `make data`)", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	srv := server.New(server.Config{Train: train, Test: test, Concurrent: max(runs, 1),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: server.Limits{MaxConns: n + 10}})
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return func() { srv.Close(); _ = hs.Close() }, ln.Addr().String(), nil
}

// startRuns starts the training runs on one teacher connection.
func startRuns(wsURL string, runs int) ([]string, *websocket.Conn, error) {
	ws, err := dial(wsURL)
	if err != nil {
		return nil, nil, err
	}
	cfg := map[string]any{"optimizer": "sgd", "lr": 0.1, "batch": 32, "epochs": 20,
		"arch": map[string]any{"hidden": []int{100}, "activation": "sigmoid"}}
	var ids []string
	for i := range runs {
		if err := ws.WriteJSON(map[string]any{"type": "start", "req": i + 1, "config": cfg, "label": fmt.Sprintf("load %d", i+1)}); err != nil {
			return nil, nil, err
		}
	}
	_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for len(ids) < runs {
		var ev struct {
			Type, Message string
			Req           int
			Run           struct{ ID string }
		}
		if err := ws.ReadJSON(&ev); err != nil {
			return nil, nil, err
		}
		switch {
		case ev.Type == protocol.EvError:
			return nil, nil, errors.New("start refused: " + ev.Message)
		case ev.Type == protocol.EvRunCreated && ev.Req > 0:
			ids = append(ids, ev.Run.ID)
		}
	}
	go func() { // keep reading, so that the teacher is not a slow page
		for {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	return ids, ws, nil
}

func dial(wsURL string) (*websocket.Conn, error) {
	dialer := websocket.Dialer{HandshakeTimeout: dialTimeout}
	ws, resp, err := dialer.Dial(wsURL, nil)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: HTTP %d: %w", resp.StatusCode, err)
		}
		return nil, err
	}
	var hello struct{ Type string }
	if err := ws.ReadJSON(&hello); err != nil || hello.Type != protocol.EvHello {
		ws.Close()
		return nil, fmt.Errorf("no hello: %v", err)
	}
	return ws, nil
}

// drawing is a 140×140 "1", base64, as the page sends it.
var drawing = func() string {
	pix := make([]byte, 140*140)
	for y := 20; y < 120; y++ {
		for x := 63; x < 77; x++ {
			pix[y*140+x] = 255
		}
	}
	return base64.StdEncoding.EncodeToString(pix)
}()

// client is one page until end: subscribed to every run, drawing and
// starting trajectories, and timing the answers.
func client(wsURL string, ids []string, end time.Time, st *stats) error {
	ws, err := dial(wsURL)
	if err != nil {
		return err
	}
	defer ws.Close()
	var mu sync.Mutex
	sent := map[int64]time.Time{} // req → when, for predict and trajStart
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, b, err := ws.ReadMessage()
			if err != nil {
				return
			}
			st.msgs.Add(1)
			ev, ok := head(b)
			if !ok {
				st.errs.Add(1)
				continue
			}
			mu.Lock()
			at, ok := sent[ev.Req]
			delete(sent, ev.Req)
			mu.Unlock()
			switch ev.Type {
			case protocol.EvError:
				st.errs.Add(1)
				slog.Warn("error event", "event", string(b))
			case protocol.EvPrediction:
				if ok {
					st.add(&st.predict, time.Since(at))
				}
			case protocol.EvTrajCreated:
				if ok {
					st.add(&st.traj, time.Since(at))
				}
			}
		}
	}()
	var req int64
	send := func(cmd map[string]any, timed bool) error {
		req++
		cmd["req"] = req
		if timed {
			mu.Lock()
			sent[req] = time.Now()
			mu.Unlock()
		}
		_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
		return ws.WriteJSON(cmd)
	}
	for _, id := range ids {
		if err := send(map[string]any{"type": "subscribe", "run": id}, false); err != nil {
			return err
		}
	}
	tick := time.NewTicker(time.Second / predictHz)
	defer tick.Stop()
	lastTraj, traj := time.Time{}, 0
	for time.Now().Before(end) {
		select {
		case <-done:
			return errors.New("the server closed the connection")
		case <-tick.C:
		}
		if err := send(map[string]any{"type": "predict", "run": ids[int(req)%len(ids)], "width": 140, "height": 140, "pixels": drawing}, true); err != nil {
			return err
		}
		if time.Since(lastTraj) >= trajEvery {
			lastTraj = time.Now()
			traj++
			if traj > 1 {
				_ = send(map[string]any{"type": "trajDelete", "traj": fmt.Sprintf("t%d", traj-1)}, false)
			}
			cmd := map[string]any{"type": "trajStart", "fn": "rosenbrock", "start": []float64{-1.5, 2}, "steps": 2000, "tol": 1e-6, "rate": 500,
				"optimizers": []map[string]any{{"method": "adam", "params": map[string]float64{"lr": 0.05}}, {"method": "gd", "params": map[string]float64{"lr": 0.001}}}}
			if err := send(cmd, true); err != nil {
				return err
			}
		}
	}
	mu.Lock()
	st.drops.Add(int64(len(sent))) // drawings merged away, answers in flight
	mu.Unlock()
	_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	return nil
}

// loadavg is the machine's 1-minute load average, or "?": figures taken on
// a busy machine say so.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// event is the head of an event: the server writes "type" first and "req"
// second, so reading the first bytes is enough and leaves the CPU to the
// server.
type event struct {
	Type string
	Req  int64
}

func head(b []byte) (event, bool) {
	var ev event
	s := string(b[:min(len(b), 80)])
	rest, ok := strings.CutPrefix(s, `{"type":"`)
	if !ok {
		return ev, false
	}
	i := strings.IndexByte(rest, '"')
	if i < 0 {
		return ev, false
	}
	ev.Type, rest = rest[:i], rest[i+1:]
	if r, ok := strings.CutPrefix(rest, `,"req":`); ok {
		j := strings.IndexFunc(r, func(c rune) bool { return c < '0' || c > '9' })
		if j > 0 {
			ev.Req, _ = strconv.ParseInt(r[:j], 10, 64)
		}
	}
	return ev, true
}

// watchMemory samples this process's heap every 50 ms; the returned func
// stops and gives the peak HeapAlloc and Sys.
func watchMemory() func() [2]uint64 {
	var peak [2]uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak[0], peak[1] = max(peak[0], m.HeapAlloc), max(peak[1], m.Sys)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() [2]uint64 { close(stop); <-done; return peak }
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(len(ds)-1, int(p*float64(len(ds))))]
}

func report(st *stats, d time.Duration, n int, peak [2]uint64, live uint64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ms := func(x time.Duration) string { return fmt.Sprintf("%.1f ms", float64(x.Microseconds())/1000) }
	fmt.Printf("clients            %d for %v\n", n, d)
	fmt.Printf("messages received  %d (%.0f/s)\n", st.msgs.Load(), float64(st.msgs.Load())/d.Seconds())
	fmt.Printf("predict round trip %d answered: p50 %s, p99 %s, max %s (%d unanswered: merged or in flight)\n", len(st.predict),
		ms(pct(st.predict, 0.5)), ms(pct(st.predict, 0.99)), ms(pct(st.predict, 1)), st.drops.Load())
	fmt.Printf("trajectory start   %d: p50 %s, p99 %s, max %s\n", len(st.traj), ms(pct(st.traj, 0.5)), ms(pct(st.traj, 0.99)), ms(pct(st.traj, 1)))
	fmt.Printf("errors             %d\n", st.errs.Load())
	fmt.Printf("peak memory        heap %d MB (live after a GC under load %d MB), from the OS %d MB\n", peak[0]>>20, live>>20, peak[1]>>20)
	fmt.Printf("                   (this process: the clients, and the server when in-process)\n")
}
