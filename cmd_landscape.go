package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"descent/mnist"
	"descent/server/store"
)

// landscapeFlags are the flags of `descent landscape`.
type landscapeFlags struct {
	model, run, sweep, dir, plane, data, out, lang string
	examples, testExamples, grid, workers          int
	rng                                            float64
	seed                                           uint64
	json                                           bool
}

func newLandscapeFlags(stderr io.Writer) (*flag.FlagSet, *landscapeFlags, func() error) {
	fs := flag.NewFlagSet("descent landscape", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def, _ := store.DefaultDir()
	f := &landscapeFlags{}
	fs.StringVar(&f.model, "model", "", "a saved model (descent train --out): the slice around its weights")
	fs.StringVar(&f.run, "run", "", "id of a stored run (descent runs): its path on the plane of its principal directions")
	fs.StringVar(&f.sweep, "sweep", "", "id of a stored sweep: its runs' paths on one plane, the principal directions of them all from their shared θ₀")
	fs.StringVar(&f.dir, "data-dir", def, "folder of the run store, for --run and --sweep (descent serve's --data-dir)")
	fs.StringVar(&f.plane, "plane", "", "random (two filter-normalised random directions, for --model) or pca (for --run); default: the one that fits")
	fs.IntVar(&f.examples, "examples", 10000, "the first N training images that the loss is measured on")
	fs.IntVar(&f.testExamples, "test-examples", 0, "also measure the loss on the first N test images (0: none)")
	fs.IntVar(&f.grid, "grid", mnist.DefaultGrid, fmt.Sprintf("points along each side of the grid, 2 to %d", mnist.MaxGrid))
	fs.Float64Var(&f.rng, "range", 0, "the grid spans [−R, R]² (default 1 on a random plane, the path's extent with a margin on a PCA plane)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the random directions")
	fs.BoolVar(&f.json, "json", false, `print {"a", "b", "loss" (one row per b), "center", "seconds", …} as JSON`)
	fs.StringVar(&f.out, "out", "", "also draw the figure into FILE.png (at 2×) or FILE.svg")
	fs.StringVar(&f.data, "data", "data/mnist", "folder with the MNIST .gz files (make data)")
	fs.StringVar(&f.lang, "lang", "en", "language of the figure: en or ko")
	fs.IntVar(&f.workers, "workers", runtime.NumCPU(), "goroutines that compute the grid")
	loadFont := fontFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent landscape --model FILE [flags]\n       descent landscape --run ID --data-dir DIR --plane pca [flags]\n"+
			"       descent landscape --sweep ID --data-dir DIR --plane pca [flags]\n\n"+
			"The network's loss over a 2-D slice of its weights, L(θ + a·δ + b·η) on a grid\n"+
			"(Li et al. 2018): around a saved model in random filter-normalised directions,\n"+
			"or around a stored run's last weights on the plane of its path's principal\n"+
			"directions, with the path drawn on it.\n\nFlags:")
		fs.PrintDefaults()
	}
	return fs, f, loadFont
}

// check validates the flags and fills in the plane. Errors are for exit code 2.
func (f *landscapeFlags) check(rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	given := 0
	for _, v := range []string{f.model, f.run, f.sweep} {
		if v != "" {
			given++
		}
	}
	if given != 1 {
		return errors.New("give one of --model FILE, --run ID or --sweep ID")
	}
	want := mnist.PlaneRandom
	for name, id := range map[string]string{"run": f.run, "sweep": f.sweep} {
		if id == "" {
			continue
		}
		want = mnist.PlanePCA
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return fmt.Errorf("--%s %q is not a stored %s's number; see `descent runs`", name, id, name)
		}
	}
	if f.plane == "" {
		f.plane = want
	}
	if f.plane != want {
		return fmt.Errorf("--plane %q: a model's slice is on --plane random, a run's or a sweep's paths on --plane pca", f.plane)
	}
	if f.examples < 1 || f.examples > mnist.MaxBatch {
		return fmt.Errorf("--examples %d: want 1 to %d training images", f.examples, mnist.MaxBatch)
	}
	if f.testExamples < 0 || f.testExamples > 10000 {
		return fmt.Errorf("--test-examples %d: want 0 to 10000 test images", f.testExamples)
	}
	if f.grid < 2 || f.grid > mnist.MaxGrid {
		return fmt.Errorf("--grid %d: want 2 to %d points a side", f.grid, mnist.MaxGrid)
	}
	if math.IsNaN(f.rng) || math.IsInf(f.rng, 0) || f.rng < 0 {
		return fmt.Errorf("--range %g: want a finite R > 0", f.rng)
	}
	if f.workers < 1 {
		return fmt.Errorf("--workers %d: want at least 1", f.workers)
	}
	if ext := f.format(); f.out != "" && ext != "png" && ext != "svg" {
		return fmt.Errorf("--out %q: want a .png or .svg file", f.out)
	}
	if f.lang != "en" && f.lang != "ko" {
		return fmt.Errorf("--lang %q: want en or ko", f.lang)
	}
	return nil
}

func (f *landscapeFlags) format() string {
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(f.out)), ".")
}

// exitError carries the exit code of a failure: 2 for bad input, 1 for
// work that failed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

func badInput(err error) error { return &exitError{2, err} }

func runLandscape(args []string, stdout, stderr io.Writer) int {
	fs, f, loadFont := newLandscapeFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := errors.Join(f.check(fs.Args()), loadFont()); err != nil {
		fmt.Fprintf(stderr, "descent landscape: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := landscape(ctx, f, stdout); err != nil {
		fmt.Fprintf(stderr, "descent landscape: %v\n", err)
		var e *exitError
		if errors.As(err, &e) {
			return e.code
		}
		return 1
	}
	return 0
}

// landscape prepares the plane, computes the slice and writes what was asked.
func landscape(ctx context.Context, f *landscapeFlags, stdout io.Writer) error {
	var job *landscapeJob
	var err error
	switch {
	case f.model != "":
		job, err = modelJob(f)
	case f.run != "":
		job, err = runJob(ctx, f)
	default:
		job, err = sweepJob(ctx, f)
	}
	if err != nil {
		return err
	}
	if max := mnist.MaxProbeImages(job.plane.Arch); f.examples > max || f.testExamples > max {
		return badInput(fmt.Errorf("--examples: a slice of %s takes at most %d images", job.plane.Arch, max))
	}
	train, test, err := mnist.Load(f.data)
	if err != nil {
		return err
	}
	probes := []mnist.Probe{{Data: train, N: min(f.examples, train.N)}}
	if f.testExamples > 0 {
		probes = append(probes, mnist.Probe{Data: test, N: min(f.testExamples, test.N)})
	}
	s, err := mnist.NewSlicer[float32](job.plane, probes...)
	if err != nil {
		return badInput(err)
	}
	job.slice, err = s.Compute(ctx, mnist.SliceOptions{Grid: f.grid, Domain: job.domain, Workers: f.workers}, nil)
	if err != nil {
		return err
	}
	if err := job.write(f, stdout); err != nil {
		return err
	}
	if f.out != "" {
		return job.figure(f)
	}
	return nil
}
