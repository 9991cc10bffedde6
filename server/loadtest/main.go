// Command loadtest drives a `descent serve` with many pages at once, on
// loopback only, for a fixed time: it starts -runs training runs, then -n
// websocket clients that each subscribe to every run, send a drawing five
// times a second (an explain with its saliency instead of a predict with
// -explain) and start a trajectory set every few seconds; with -learn each
// also makes a learn copy and takes a learn step every second. At the end it
// prints the messages per second, the p50 and p99 latencies of the drawing
// round trips, of trajectory starts and of learn steps, the errors, and the
// peak memory.
//
//	go run ./server/loadtest -n 100 -d 60s            # a server in this process
//	go run ./server/loadtest -n 20 -explain -learn    # the Draw view's derivatives
//	go run ./server/loadtest -addr 127.0.0.1:8080     # a running descent serve
package main

import (
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
	flag.BoolVar(&drawing.explain, "explain", false, "send each drawing as an explain (probabilities and saliency) instead of a predict")
	flag.BoolVar(&drawing.learn, "learn", false, "each client also makes a learn copy and takes a learn step every second")
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
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Limits: server.Limits{MaxConns: n + 10, MaxLearnersTotal: n + 10}})
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
