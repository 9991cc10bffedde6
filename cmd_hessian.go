package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"descent/mnist"
)

// hessianFlags are the flags of `descent hessian`.
type hessianFlags struct {
	model, data string
	opt         mnist.HessianOptions
	json        bool
}

func newHessianFlags(stderr io.Writer) (*flag.FlagSet, *hessianFlags) {
	fs := flag.NewFlagSet("descent hessian", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &hessianFlags{}
	fs.StringVar(&f.model, "model", "", "model file written by descent train --out (required)")
	fs.IntVar(&f.opt.Examples, "examples", mnist.DefaultSharpnessExamples, "the loss is the mean cross-entropy over the first N training images, 1 to 60000")
	fs.IntVar(&f.opt.Top, "top", 5, fmt.Sprintf("number of largest eigenvalues (Lanczos), 1 to %d", mnist.MaxTopEigenvalues))
	fs.IntVar(&f.opt.TraceProbes, "probes", 100, "Hutchinson probes for the trace; its standard error falls as 1/√probes")
	fs.BoolVar(&f.opt.Density, "density", false, "also estimate the spectral density (stochastic Lanczos quadrature)")
	fs.BoolVar(&f.json, "json", false, "print one JSON object instead of text")
	fs.StringVar(&f.data, "data", "data/mnist", "folder with the MNIST .gz files (make data)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent hessian --model FILE [--examples N] [--top K] [--density] [--json] [--data DIR]\n\n"+
			"Analyses the Hessian H = ∇²J of a saved model's loss with exact Hessian-vector products,\n"+
			"never forming H: its top eigenvalues, its trace and, with --density, its spectral density.\n\nFlags:")
		fs.PrintDefaults()
	}
	return fs, f
}

// check validates the flags that need no data.
func (f *hessianFlags) check(rest []string) error {
	var errs []error
	if len(rest) > 0 {
		errs = append(errs, fmt.Errorf("unexpected argument %q", rest[0]))
	}
	if f.model == "" {
		errs = append(errs, errors.New("--model FILE is required (a model written by descent train --out)"))
	}
	if f.opt.Examples < 1 || f.opt.Examples > mnist.MaxBatch {
		errs = append(errs, fmt.Errorf("--examples %d is out of range [1, %d]", f.opt.Examples, mnist.MaxBatch))
	}
	if f.opt.Top < 1 || f.opt.Top > mnist.MaxTopEigenvalues {
		errs = append(errs, fmt.Errorf("--top %d is out of range [1, %d]", f.opt.Top, mnist.MaxTopEigenvalues))
	}
	if f.opt.TraceProbes < 1 {
		errs = append(errs, fmt.Errorf("--probes %d: want at least 1", f.opt.TraceProbes))
	}
	return errors.Join(errs...)
}

func runHessian(args []string, stdout, stderr io.Writer) int {
	fs, f := newHessianFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := f.check(fs.Args()); err != nil {
		fmt.Fprintf(stderr, "descent hessian: %v\n", err)
		return 2
	}
	model, err := mnist.LoadModel(f.model)
	if err != nil {
		fmt.Fprintf(stderr, "descent hessian: %v\n", err)
		return 2
	}
	train, _, err := mnist.Load(f.data)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if f.opt.Examples > train.N {
		fmt.Fprintf(stderr, "descent hessian: --examples %d is out of range [1, %d]\n", f.opt.Examples, train.N)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	r, err := mnist.AnalyzeHessian(ctx, model, train, f.opt)
	if err != nil {
		fmt.Fprintf(stderr, "descent hessian: %v\n", err)
		return 1
	}
	if f.json {
		json.NewEncoder(stdout).Encode(r)
		return 0
	}
	printHessian(stdout, model, r)
	return 0
}

// printHessian writes the report as text.
func printHessian(w io.Writer, m *mnist.Model, r mnist.HessianReport) {
	fmt.Fprintf(w, "Hessian of the mean cross-entropy over the first %d training images\n", r.Examples)
	fmt.Fprintf(w, "Network %s, %d parameters, loss %.6f\n", m.Arch, len(m.Params), r.Loss)
	vals := make([]string, len(r.Eigenvalues))
	for i, v := range r.Eigenvalues {
		vals[i] = fmt.Sprintf("%.6g", v)
	}
	note := ""
	if !r.Converged {
		note = " (not converged: lower bounds)"
	}
	fmt.Fprintf(w, "Top %d eigenvalues: %s%s\n", len(vals), strings.Join(vals, "  "), note)
	fmt.Fprintf(w, "Trace: %.6g ± %.2g (Hutchinson, %d probes)\n", r.Trace, r.TraceStdErr, r.TraceProbes)
	if d := r.Density; d != nil {
		fmt.Fprintf(w, "Spectral density on %d points from %.4g to %.4g (--json prints them); at a few:\n", len(d.X), d.X[0], d.X[len(d.X)-1])
		for i := 0; i < len(d.X); i += max(1, len(d.X)/16) {
			fmt.Fprintf(w, "  λ = %9.4f  density %.3g\n", d.X[i], d.Y[i])
		}
	}
	fmt.Fprintf(w, "%d Hessian-vector products in %.2f s\n", r.HVPs, r.Seconds)
}
