package main

import (
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

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
	learn             []time.Duration
}

func (s *stats) add(dst *[]time.Duration, d time.Duration) {
	s.mu.Lock()
	*dst = append(*dst, d)
	s.mu.Unlock()
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
	fmt.Printf("drawing round trip %d answered: p50 %s, p99 %s, max %s (%d unanswered: merged or in flight)\n", len(st.predict),
		ms(pct(st.predict, 0.5)), ms(pct(st.predict, 0.99)), ms(pct(st.predict, 1)), st.drops.Load())
	fmt.Printf("trajectory start   %d: p50 %s, p99 %s, max %s\n", len(st.traj), ms(pct(st.traj, 0.5)), ms(pct(st.traj, 0.99)), ms(pct(st.traj, 1)))
	if len(st.learn) > 0 {
		fmt.Printf("learn step         %d: p50 %s, p99 %s, max %s (with its 1,000-image accuracy)\n", len(st.learn),
			ms(pct(st.learn, 0.5)), ms(pct(st.learn, 0.99)), ms(pct(st.learn, 1)))
	}
	fmt.Printf("errors             %d\n", st.errs.Load())
	fmt.Printf("peak memory        heap %d MB (live after a GC under load %d MB), from the OS %d MB\n", peak[0]>>20, live>>20, peak[1]>>20)
	fmt.Printf("                   (this process: the clients, and the server when in-process)\n")
}
