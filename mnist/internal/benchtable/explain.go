package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"descent/mnist"
)

// The explain section of the table: the latency of what the Draw view's
// derivatives cost below the server, on an idle machine and with four runs
// training beside them as descent serve runs them. An explanation is a
// 140×140 drawing preprocessed, the forward pass, the backward pass for the
// top class and the saliency; a learn step is one optimizer step on one
// example with the accuracy on mnist.EvalImages test images after it.
// Goals, for the busy column: an explanation's median well under 1 ms and its
// p99 under the server's 20 ms (a drawing's answer over loopback, issue 15),
// a learn step's p99 under 50 ms.
var (
	explainGoal = goal{p50: time.Millisecond, p99: 20 * time.Millisecond}
	learnGoal   = goal{p99: 50 * time.Millisecond}
)

// busyRuns are the training runs of the busy column, as in the server's goal.
const busyRuns = 4

// explainTable prints the p50 and p99 of an explanation and of a learn step
// for three shapes, idle and busy, each measured for about budget.
func explainTable(train, test *mnist.Dataset, budget time.Duration) {
	runtime.GOMAXPROCS(runtime.NumCPU())
	archs := []mnist.Arch{mnist.DefaultArch(), {Hidden: []int{1024}, Activation: mnist.Sigmoid},
		{Hidden: []int{256, 128}, Activation: mnist.ReLU}}
	fmt.Printf("\nexplain and learn (p50 / p99; busy = %d default runs training on %d cores; load average %s):\n",
		busyRuns, runtime.NumCPU(), loadAverage())
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "network\texplain idle\texplain busy\tgoal\tlearn idle\tlearn busy\tgoal\t")
	for _, arch := range archs {
		net, err := mnist.NewNet[float32](arch, 1)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		m := net.Model()
		var ex, le [2]quant // idle, busy
		for i, busy := range []bool{false, true} {
			stop := background(train, test, busy)
			ex[i] = latencies(budget/4, explainOnce(m))
			le[i] = latencies(budget/4, learnOnce(m, test))
			stop()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", arch, ex[0], ex[1], verdict(ex[1], explainGoal),
			le[0], le[1], verdict(le[1], learnGoal))
	}
	tw.Flush()
}

// loadAverage is the machine's 1-minute load average, which says how idle
// "idle" was.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	if f := strings.Fields(string(raw)); len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

// background starts busyRuns training runs when busy and returns their stop.
// It sets them up as descent serve does (server/priority.go): two Ps beyond
// the runs', and each run on its own thread at niceness 10, so that the
// kernel runs the explaining thread first.
func background(train, test *mnist.Dataset, busy bool) (stop func()) {
	if !busy {
		return func() {}
	}
	procs := runtime.GOMAXPROCS(busyRuns + 2)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range busyRuns {
		cfg := mnist.DefaultConfig()
		cfg.Epochs, cfg.EvalLimit, cfg.Seed = 100, 1, uint64(i+1)
		t, err := mnist.NewTrainer(cfg, train, test)
		if err != nil {
			continue
		}
		wg.Go(func() {
			runtime.LockOSThread() // the thread ends with the goroutine, niceness and all
			setNice(10)
			t.Run(ctx, mnist.Hooks{})
		})
	}
	time.Sleep(50 * time.Millisecond) // let them reach their loops
	return func() { cancel(); wg.Wait(); runtime.GOMAXPROCS(procs) }
}

// explainOnce returns one explanation of a drawing with m.
func explainOnce(m *mnist.Model) func() {
	e, err := mnist.NewExplainer(m)
	if err != nil {
		panic(err)
	}
	canvas := make([]uint8, 140*140)
	for y := 30; y < 110; y++ {
		for x := 60 + y/8; x < 72+y/8; x++ {
			canvas[y*140+x] = 255
		}
	}
	return func() {
		img, _, _ := mnist.Preprocess(canvas, 140, 140)
		if _, err := e.Explain(img, mnist.TopClass, mnist.TopClass); err != nil {
			panic(err)
		}
	}
}

// learnOnce returns one SGD step on the first test image of a copy of m.
func learnOnce(m *mnist.Model, test *mnist.Dataset) func() {
	l, err := mnist.NewLearner(m, "sgd", nil, test)
	if err != nil {
		panic(err)
	}
	return func() {
		if _, err := l.Step(test.Image(0), int(test.Labels[0]), 1e-3); err != nil {
			panic(err)
		}
	}
}

// quant is the median and the 99th percentile of some latencies.
type quant struct{ p50, p99 time.Duration }

func (q quant) String() string { return ms(q.p50) + " / " + ms(q.p99) }

// latencies times f repeatedly for about budget, at least 100 times.
func latencies(budget time.Duration, f func()) quant {
	f() // warm up
	var ds []time.Duration
	start := time.Now()
	for len(ds) < 100 || time.Since(start) < budget {
		t := time.Now()
		f()
		ds = append(ds, time.Since(t))
	}
	slices.Sort(ds)
	at := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	return quant{at(0.5), at(0.99)}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3g ms", float64(d)/float64(time.Millisecond)) }

// goal bounds the median (when not 0) and the 99th percentile.
type goal quant

// verdict compares the busy latencies with the goal.
func verdict(busy quant, g goal) string {
	text, ok := "p99 < "+ms(g.p99), busy.p99 <= g.p99
	if g.p50 > 0 {
		text, ok = "p50 < "+ms(g.p50)+", "+text, ok && busy.p50 <= g.p50
	}
	return text + " " + okOrOver(ok)
}
