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
// update alone (θ ← θ − αg, one Axpy) against the step as training takes it.
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

	fmt.Printf("where a step's time goes: %s, batch %d, one core, %d steps (%.3f s)\n",
		cfg.Arch, cfg.Batch, rec.Steps, res.Seconds)
	update := updateShare(cfg.Arch.NumParams())
	phaseTable(rec, cfg, update)
	fmt.Printf("(the optimizer measures the norms in its pass over θ, so they are timed together; their split is\n"+
		"estimated on the same slab outside training: the bare update θ ← θ − αg takes %.0f%% of the step's time)\n", 100*update)
	fmt.Printf("test-set evaluation after the epoch (%d images): %.4f s, %.1f%% of the epoch's %.3f s\n",
		test.N, eval, 100*eval/res.Seconds, res.Seconds)
}

// phaseTable prints the phases of rec in the order of a step, with each
// product's throughput, and the totals; update is the optimizer's share
// that is the update rather than the norms.
func phaseTable(rec *phase.Recorder, cfg mnist.Config, update float64) {
	var total time.Duration
	for _, d := range rec.Total {
		total += d
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tµs/step\tshare\tGFLOP/s\t")
	row := func(name string, d time.Duration, flops float64) {
		rate := ""
		if flops > 0 && d > 0 {
			rate = fmt.Sprintf("%.0f", flops*float64(rec.Steps)/d.Seconds()/1e9)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f%%\t%s\t\n", name, d.Seconds()/float64(rec.Steps)*1e6, 100*d.Seconds()/total.Seconds(), rate)
	}
	sizes := cfg.Arch.Sizes()
	var products time.Duration
	product := func(p phase.Phase, l int) {
		if d := rec.Total[p]; d > 0 {
			products += d
			row(p.String(), d, 2*float64(cfg.Batch*sizes[l]*sizes[l+1]))
		}
	}
	row(phase.Gather.String(), rec.Total[phase.Gather], 0)
	for l := range len(sizes) - 1 {
		product(phase.Forward(l), l)
	}
	row(phase.Activation.String(), rec.Total[phase.Activation], 0)
	row(phase.Softmax.String(), rec.Total[phase.Softmax], 0)
	for l := len(sizes) - 2; l >= 0; l-- {
		product(phase.WeightGrad(l), l)
		product(phase.InputGrad(l), l)
	}
	row(phase.BiasGrad.String(), rec.Total[phase.BiasGrad], 0)
	opt := rec.Total[phase.Optimizer]
	row("optimizer θ ← θ − αg", time.Duration(update*float64(opt)), 0)
	row("norms ‖g‖², ‖Δθ‖², ‖θ‖² for the page", time.Duration((1-update)*float64(opt)), 0)
	row(phase.Rest.String(), rec.Total[phase.Rest], 0)
	row("all matrix products", products, float64(cfg.Batch)*flopsPerSample(cfg.Arch))
	row("everything but the products", total-products, 0)
	row("step", total, 0)
	tw.Flush()
}

// updateShare times, on a slab of n parameters, the report's optimizer
// step as training takes it (the fused kernel with its norms where there
// is one, optim's measured step elsewhere) and the bare update θ ← θ − αg,
// and returns the update's share of the step.
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
	measured := func() { m.StepMeasured(theta, grad) }
	if kernels.FastSGD() {
		measured = func() { kernels.SGD(theta, grad, 1e-9) }
	}
	step := best(measured)
	axpy := best(func() { kernels.Axpy(-1e-9, grad, theta) })
	return min(1, float64(axpy)/float64(step))
}
