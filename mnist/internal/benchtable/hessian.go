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

	"descent/internal/cputime"
	"descent/mnist"
	"descent/optim/spectrum"
)

// The Hessian's rows of the table, on the report's network over the first
// 1,000 training images (the default probe set), each with its goal:
//
//   - one Hessian-vector product against one gradient on the same images,
//     in float64 (exact, the CLI) and float32 (tracking): at most 2.5×;
//   - the top 5 eigenvalues (Lanczos, Tol 1e-6) on one core: at most 2 s;
//   - training's slowdown with sharpness tracking at the default frequency
//     (a Tracker at its default budget): at most 20 %, on one core (the
//     tracker shares the run's core, as when every core trains) and on two.
//
// Timings are medians (products) or minima (training runs) of several
// alternating repetitions; the load average is printed beside them, since
// other work on the machine moves them.

// hessianTable prints the rows.
func hessianTable(train *mnist.Dataset) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	fmt.Printf("\nHessian of the report's network, first 1,000 training images (load average %s)\n", loadAverage())
	tw := newTable("measure", "value", "goal", "")
	for _, precision := range []string{"float64", "float32"} {
		hvp, grad := hvpAndGradient(train, precision)
		tw.row(fmt.Sprintf("one HVP / one gradient, %s", precision),
			fmt.Sprintf("%.1f ms / %.1f ms = %.2f×", msOf(hvp), msOf(grad), hvp.Seconds()/grad.Seconds()), "≤ 2.5×", okOrOver(hvp.Seconds() <= 2.5*grad.Seconds()))
	}
	for _, at := range []string{"initial weights", "after 1 epoch"} {
		d, products := top5(train, at == "after 1 epoch")
		tw.row("top 5 eigenvalues, 1 core, "+at, fmt.Sprintf("%.2f s (%d HVPs)", d.Seconds(), products), "≤ 2 s", okOrOver(d <= 2*time.Second))
	}
	tw.flush()
	fmt.Println("\nTraining with sharpness tracking at the default frequency (a Tracker at its default budget): the report's run,\n" +
		"10 epochs of batch 64, and full-batch GD on the first 5,000 images for 100 steps; the least of 3 runs each.\n" +
		"Sharing a core, the slowdown is the CPU added (the goal's column); the wall times move with the machine's load.")
	tw = newTable("run", "cores", "without", "with", "slowdown", "CPU without", "CPU with", "CPU added", "measurements", "goal", "")
	for _, procs := range []int{1, 2} {
		for _, full := range []bool{false, true} {
			r := trackingSlowdown(train, procs, full, false)
			tw.row(r.name, fmt.Sprint(procs), secs(r.without), secs(r.with), pct(r.with, r.without),
				secs(r.cpuWithout), secs(r.cpuWith), pct(r.cpuWith, r.cpuWithout), r.measured, "≤ 20 %", okOrOver(r.cpuWith <= 1.2*r.cpuWithout))
		}
	}
	r := trackingSlowdown(train, 1, false, true)
	tw.row(r.name, "1", secs(r.without), secs(r.with), pct(r.with, r.without),
		secs(r.cpuWithout), secs(r.cpuWith), pct(r.cpuWith, r.cpuWithout), r.measured, "(for comparison)", "")
	tw.flush()
}

func msOf(d time.Duration) float64     { return d.Seconds() * 1000 }
func secs(s float64) string            { return fmt.Sprintf("%.2f s", s) }
func pct(with, without float64) string { return fmt.Sprintf("%+.0f %%", 100*(with/without-1)) }

// medianTime runs f reps times and returns the median duration.
func medianTime(reps int, f func()) time.Duration {
	d := make([]time.Duration, reps)
	for i := range d {
		start := time.Now()
		f()
		d[i] = time.Since(start)
	}
	slices.Sort(d)
	return d[reps/2]
}

// hvpAndGradient times one product and one gradient, alternating.
func hvpAndGradient(train *mnist.Dataset, precision string) (hvp, grad time.Duration) {
	idx := make([]int32, 1000)
	for i := range idx {
		idx[i] = int32(i)
	}
	var apply, gradient func()
	v, hv := make([]float64, mnist.DefaultArch().NumParams()), make([]float64, mnist.DefaultArch().NumParams())
	for i := range v {
		v[i] = 1 / float64(i+1)
	}
	if precision == "float64" {
		h, net := hessianAt[float64](train)
		apply, gradient = func() { h.Apply(hv, v) }, func() { net.Loss(train, idx) }
	} else {
		h, net := hessianAt[float32](train)
		apply, gradient = func() { h.Apply(hv, v) }, func() { net.Loss(train, idx) }
	}
	apply()
	gradient()
	return medianTime(9, apply), medianTime(9, gradient)
}

// hessianAt is the Hessian over 1,000 images at the initial weights of
// seed 1, and the network with those weights.
func hessianAt[T float32 | float64](train *mnist.Dataset) (*mnist.Hessian[T], *mnist.Net[T]) {
	net, _ := mnist.NewNet[T](mnist.DefaultArch(), 1)
	h, err := mnist.NewHessian[T](mnist.DefaultArch(), train, 1000)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h.SetParams(net.Params)
	return h, net
}

// top5 times the top 5 eigenvalues with float64 products, from setting the
// weights to the last product.
func top5(train *mnist.Dataset, trained bool) (time.Duration, int) {
	net, _ := mnist.NewNet[float64](mnist.DefaultArch(), 1)
	if trained {
		cfg := mnist.DefaultConfig()
		cfg.Epochs, cfg.EvalLimit = 1, 1
		t, _ := mnist.NewTrainer(cfg, train, nil)
		t.Run(context.Background(), mnist.Hooks{})
		net, _ = mnist.NetFrom[float64](t.Snapshot())
	}
	h, _ := mnist.NewHessian[float64](mnist.DefaultArch(), train, 1000)
	products := 0
	d := medianTime(3, func() {
		h.SetParams(net.Params)
		e, _ := spectrum.Lanczos(context.Background(), h.Apply, h.Dim(), spectrum.LanczosOptions{K: 5, Seed: 1})
		products = e.Products
	})
	return d, products
}

// slow is one slowdown row.
type slow struct {
	name                string
	without, with       float64 // wall seconds
	cpuWithout, cpuWith float64 // CPU seconds of the process
	measured            string
}

// trackingSlowdown trains without and with tracking, alternating, 3 times each,
// and returns the least times (those the machine's other work disturbed
// least) and the median count of measurements. With
// onTraining it measures on the training goroutine every 47 steps (20 an epoch)
// instead of with a Tracker.
func trackingSlowdown(train *mnist.Dataset, procs int, full, onTraining bool) slow {
	runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(1)
	cfg := mnist.DefaultConfig()
	cfg.EvalLimit = 1
	r := slow{name: "batch 64, Tracker"}
	if full {
		cfg.TrainExamples, cfg.Batch, cfg.Epochs, cfg.LR = 5000, 5000, 100, 0.5
		r.name = "full batch 5,000, Tracker"
	}
	if onTraining {
		cfg.Epochs = 1
		r.name = "batch 64, 1 epoch, every 47 steps on the training goroutine"
	}
	var without, with, cpuWithout, cpuWith []float64
	var counts []int
	for range 3 {
		o := train1(cfg, train, false, false)
		without, cpuWithout = append(without, o.seconds), append(cpuWithout, o.cpu)
		o = train1(cfg, train, !onTraining, onTraining)
		with, cpuWith, counts = append(with, o.seconds), append(cpuWith, o.cpu), append(counts, o.measurements)
	}
	for _, s := range [][]float64{without, with, cpuWithout, cpuWith} {
		slices.Sort(s)
	}
	slices.Sort(counts)
	r.without, r.with, r.cpuWithout, r.cpuWith = without[0], with[0], cpuWithout[0], cpuWith[0] // the least disturbed

	per := "an epoch"
	if full {
		r.measured = fmt.Sprintf("%d in 100 steps", counts[1])
	} else {
		r.measured = fmt.Sprintf("%.1f %s", float64(counts[1])/float64(cfg.Epochs), per)
	}
	return r
}

type outcome struct {
	seconds, cpu float64
	measurements int
}

// train1 trains cfg once, with a Tracker beside it or the sharpness every
// 47 steps, and returns the wall time of the run.
func train1(cfg mnist.Config, train *mnist.Dataset, tracker, onTraining bool) outcome {
	if onTraining {
		cfg.SharpnessEvery = 47
	}
	t, err := mnist.NewTrainer(cfg, train, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var o outcome
	hooks := mnist.Hooks{Step: func(ev mnist.StepEvent) {
		if ev.Sharpness != 0 {
			o.measurements++
		}
	}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	if tracker {
		tr, err := mnist.NewTracker(t, mnist.TrackerOptions{})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		hooks.Step = tr.Observe
		wg.Go(func() { tr.Run(ctx, func(mnist.SharpnessEvent) { o.measurements++ }) })
	}
	runtime.GC()
	start, cpu := time.Now(), cputime.Process()
	t.Run(context.Background(), hooks)
	cancel()
	wg.Wait()
	o.seconds, o.cpu = time.Since(start).Seconds(), (cputime.Process() - cpu).Seconds()
	return o
}

// table is a tabwriter with one call per row.
type table struct{ w *tabwriter.Writer }

func newTable(header ...string) table {
	t := table{tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)}
	t.row(header...)
	return t
}

func (t table) row(cells ...string) { fmt.Fprintln(t.w, strings.Join(cells, "\t")+"\t") }
func (t table) flush()              { t.w.Flush() }
