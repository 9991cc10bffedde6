// Command benchtable prints `make bench`'s table: the seconds per epoch of the
// network's training at several shapes, on one core and on two, with the
// matrix-product throughput, the allocations per training step, and the
// memory of one and of eight concurrent runs.
//
// A row that would take long (batch 1 is 60,000 steps an epoch) is measured
// for a fixed time and extrapolated to a whole epoch; the column "measured"
// says how many steps were timed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"descent/mnist"
)

// peakGFLOPS is one core's float32 FMA peak here: 2 FMA pipes × 16 lanes
// (AVX-512) × 2 flops × about 3.3 GHz ≈ 210 GFLOP/s.
const peakGFLOPS = 210

type row struct {
	hidden []int
	act    mnist.Activation
	batch  int
	procs  int
}

func main() {
	data := flag.String("data", "data/mnist", "MNIST folder")
	budget := flag.Duration("budget", 3*time.Second, "longest time to measure one row")
	quick := flag.Bool("quick", false, "only the default network")
	flag.Parse()
	train, test, err := mnist.Load(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	rows := []row{{[]int{100}, mnist.Sigmoid, 64, 1}, {[]int{100}, mnist.Sigmoid, 64, 2}}
	if !*quick {
		rows = append(rows,
			row{[]int{16}, mnist.Sigmoid, 64, 1}, row{[]int{1024}, mnist.Sigmoid, 64, 1},
			row{[]int{100}, mnist.ReLU, 64, 1}, row{[]int{100}, mnist.Tanh, 64, 1},
			row{[]int{256, 128}, mnist.ReLU, 64, 1},
			row{[]int{100}, mnist.Sigmoid, 1, 1}, row{[]int{100}, mnist.Sigmoid, 60000, 1})
	}
	fmt.Printf("%d cores, load average %s before the table (figures taken while other programs run are slower)\n\n", runtime.NumCPU(), loadavg())
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "network\tbatch\tcores\ts/epoch\tsteps/s\tGFLOP/s\t% peak\tallocs/step\tmeasured\t")
	for _, r := range rows {
		m := measure(train, test, r, *budget)
		allocs := "n/a"
		if m.allocsPerStep >= 0 {
			allocs = fmt.Sprintf("%.1f", m.allocsPerStep)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.1f\t%.1f\t%.0f%%\t%s\t%s\t\n",
			mnist.Arch{Hidden: r.hidden, Activation: r.act}, r.batch, r.procs,
			m.epochSeconds, m.stepsPerSec, m.gflops, 100*m.gflops/peakGFLOPS, allocs, m.measured)
	}
	tw.Flush()
	runtime.GOMAXPROCS(runtime.NumCPU())
	fmt.Println()
	phases(train, test)
	fmt.Println()
	scaling(train, test, *budget)
	memory(train, test)
	explainTable(train, test, *budget)
	landscape(train, test, *budget)
	hessianTable(train)
	fmt.Printf("\npeak RSS of this process: %s; load average %s after the table\n", peakRSS(), loadavg())
}

// loadavg is the machine's 1-, 5- and 15-minute load averages, or "?".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

type result struct {
	epochSeconds, stepsPerSec, gflops, allocsPerStep float64
	measured                                         string
}

// measure trains one row for at most budget and extrapolates to an epoch.
func measure(train, test *mnist.Dataset, r row, budget time.Duration) result {
	runtime.GOMAXPROCS(r.procs)
	cfg := mnist.DefaultConfig()
	cfg.Arch = mnist.Arch{Hidden: r.hidden, Activation: r.act}
	cfg.Batch, cfg.Epochs, cfg.EvalLimit = r.batch, 1, 1
	t, err := mnist.NewTrainer(cfg, train, test)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ms runtime.MemStats
	var mallocs0, mallocs1 uint64
	var steps0, steps1 int
	start := time.Now()
	hook := func(e mnist.StepEvent) {
		switch {
		case e.Step == 5:
			runtime.ReadMemStats(&ms)
			mallocs0, steps0 = ms.Mallocs, e.Step
		case e.Step == e.StepsPerEpoch || time.Since(start) > budget:
			runtime.ReadMemStats(&ms)
			mallocs1, steps1 = ms.Mallocs, e.Step
			cancel()
		}
	}
	res, _ := t.Run(ctx, mnist.Hooks{Step: hook})
	per := res.Seconds / float64(res.Steps)
	spe := t.StepsPerEpoch()
	out := result{epochSeconds: per * float64(spe), stepsPerSec: 1 / per, measured: fmt.Sprintf("%d/%d steps", res.Steps, spe)}
	out.gflops = flopsPerSample(cfg.Arch) * float64(train.N) / out.epochSeconds / 1e9
	out.allocsPerStep = -1 // too few steps to tell the steady state
	if steps0 > 0 && steps1 > steps0 {
		out.allocsPerStep = float64(mallocs1-mallocs0) / float64(steps1-steps0)
	}
	return out
}

// flopsPerSample counts the matrix products of one training sample: the
// forward x·Wᵀ, the weight gradient dyᵀ·x, and the input gradient dy·W for
// every layer but the first, 2·in·out flops each.
func flopsPerSample(a mnist.Arch) float64 {
	s, f := a.Sizes(), 0.0
	for l := 0; l+1 < len(s); l++ {
		mults := 2.0
		if l > 0 {
			mults = 3
		}
		f += mults * 2 * float64(s[l]*s[l+1])
	}
	return f
}

// memory trains 1 and then 8 default runs at once for one epoch each (with
// the test-set evaluation) and prints the live heap with the runs still held:
// the dataset is shared, so 8 runs should cost little more than their own
// weights, gradients, optimizer state and workspaces. The target is
// heap(8) ≤ 1.2·heap(1) + 7 × the weights.
func memory(train, test *mnist.Dataset) {
	base := heap()
	held := func(n int) uint64 {
		var wg sync.WaitGroup
		trainers := make([]*mnist.Trainer, n)
		for i := range trainers {
			cfg := mnist.DefaultConfig()
			cfg.Epochs = 1
			trainers[i], _ = mnist.NewTrainer(cfg, train, test)
			wg.Go(func() { trainers[i].Run(context.Background(), mnist.Hooks{}) })
		}
		wg.Wait()
		h := heap()
		runtime.KeepAlive(trainers)
		return h
	}
	one, eight := held(1), held(8)
	weights := uint64(4 * mnist.DefaultArch().NumParams())
	limit := uint64(1.2*float64(one)) + 7*weights
	fmt.Printf("live heap: dataset %s; 1 run %s; 8 runs %s (limit 1.2 × one + 7 × weights = %s): %s\n",
		mib(base), mib(one), mib(eight), mib(limit), map[bool]string{true: "ok", false: "OVER"}[eight <= limit])
}

func heap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func peakRSS() string {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
