package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"text/tabwriter"
	"time"

	"descent/mnist"
	"descent/mnist/internal/kernels"
	"descent/mnist/internal/phase"
	"descent/optim"
)

// phases trains the default network for one epoch on one core with the
// phase timer on and prints where a step's time goes, then the test-set
// evaluation that follows the epoch and its share of the epoch's time.
//
// The optimizer's pass measures the norms of the page (‖g‖², ‖Δθ‖², ‖θ‖²)
// as it updates θ, so the two cannot be timed apart inside a step. Their
// split is estimated from the same slab outside training: the time of the
// update alone (θ ← θ − αg, one Axpy) against the measured step.
func phases(train, test *mnist.Dataset) {
	runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(runtime.NumCPU())
	cfg := mnist.DefaultConfig()
	cfg.Epochs = 1
	t, err := mnist.NewTrainer(cfg, train, test)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var lastStep, evalDone time.Time
	hooks := mnist.Hooks{
		Step:  func(mnist.StepEvent) { lastStep = time.Now() },
		Epoch: func(mnist.EpochEvent) { evalDone = time.Now() },
	}
	rec := phase.Start()
	res, _ := t.Run(context.Background(), hooks)
	phase.Stop()
	eval := evalDone.Sub(lastStep).Seconds()

	perStep := func(d time.Duration) float64 { return d.Seconds() / float64(rec.Steps) * 1e6 }
	var total time.Duration
	for _, d := range rec.Total {
		total += d
	}
	update := updateShare(cfg.Arch.NumParams())
	fmt.Printf("where a step's time goes: %s, batch %d, one core, %d steps (%.3f s)\n",
		cfg.Arch, cfg.Batch, rec.Steps, res.Seconds)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tµs/step\tshare\t")
	row := func(name string, d time.Duration) {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f%%\t\n", name, perStep(d), 100*d.Seconds()/total.Seconds())
	}
	var products time.Duration
	for p := range phase.Count {
		ph := phase.Phase(p)
		d := rec.Total[p]
		switch {
		case ph == phase.Optimizer:
			row("optimizer θ ← θ − αg", time.Duration(update*float64(d)))
			row("norms ‖g‖², ‖Δθ‖², ‖θ‖² for the page", time.Duration((1-update)*float64(d)))
		case ph.IsProduct() && d == 0:
		default:
			if ph.IsProduct() {
				products += d
			}
			row(ph.String(), d)
		}
	}
	row("all matrix products", products)
	row("everything but the products", total-products)
	row("step", total)
	tw.Flush()
	fmt.Printf("(the optimizer's split into update and norms is estimated: the update alone takes %.0f%% of the measured step on the same slab)\n", 100*update)
	fmt.Printf("test-set evaluation after the epoch (%d images): %.4f s, %.1f%% of the epoch's %.3f s\n",
		test.N, eval, 100*eval/res.Seconds, res.Seconds)
}

// updateShare times, on a slab of n parameters, SGD's measured step and the
// bare update θ ← θ − αg, and returns the update's share of the step.
func updateShare(n int) float64 {
	theta, grad := make([]float32, n), make([]float32, n)
	for i := range theta {
		theta[i], grad[i] = float32(i%7)*0.01, float32(i%5)*0.001
	}
	opt, err := optim.New[float32]("sgd", nil)
	if err != nil {
		panic(err)
	}
	m := opt.(optim.Measured[float32])
	m.SetLR(1e-9)
	best := func(f func()) time.Duration {
		b := time.Duration(1 << 62)
		for range 200 {
			start := time.Now()
			f()
			b = min(b, time.Since(start))
		}
		return b
	}
	step := best(func() { m.StepMeasured(theta, grad) })
	axpy := best(func() { kernels.Axpy(-1e-9, grad, theta) })
	return min(1, float64(axpy)/float64(step))
}
