package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sync"
	"time"

	"descent/internal/cputime"
	"descent/mnist"
)

// landscape prints the loss landscape's timings for the report's network
// after one epoch, on 10,000 training images: the default 51×51 slice and its
// 11×11 preview on one core (wall time and the thread's CPU time, which
// other processes on the machine do not inflate), against their goals, and
// training's slowdown while slices are computed on the other core.
func landscape(train, test *mnist.Dataset, budget time.Duration) {
	runtime.GOMAXPROCS(1)
	cfg := mnist.DefaultConfig()
	cfg.Epochs, cfg.EvalLimit = 1, 1
	t, err := mnist.NewTrainer(cfg, train, test)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	runtime.LockOSThread()
	c0 := cputime.Thread()
	t.Run(context.Background(), mnist.Hooks{})
	epoch := (cputime.Thread() - c0).Seconds()
	runtime.UnlockOSThread()
	plane, err := mnist.RandomPlane(t.Snapshot(), 1)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var full, fullCPU, prev, prevCPU []float64
	for range 3 {
		w, c, pw, pc := timeSlice(plane, train)
		full, fullCPU, prev, prevCPU = append(full, w), append(fullCPU, c), append(prev, pw), append(prevCPU, pc)
	}
	fmt.Printf("\nloss landscape of %s after an epoch, 10,000 training images, one core (median of 3; load average %s):\n",
		cfg.Arch, loadAverage())
	fmt.Printf("  51×51 slice:   %.2f s wall, %.2f s CPU (goal: 5 epochs = %.2f s CPU): %s\n",
		median(full), median(fullCPU), 5*epoch, okOrOver(median(fullCPU) <= 5*epoch))
	fmt.Printf("  11×11 preview: %.3f s wall, %.3f s CPU (goal: 0.1 s): %s\n",
		median(prev), median(prevCPU), okOrOver(median(prevCPU) <= 0.1))
	runtime.GOMAXPROCS(runtime.NumCPU())
	alone, beside := slowdown(plane, train, test, budget)
	fmt.Printf("  training beside slices on the other core: %.0f steps/s against %.0f alone, %.1f %% slower (goal: 10 %%): %s;\n"+
		"    per CPU second %.0f steps against %.0f, %.1f %% slower (what sharing caches and memory costs, whatever the load)\n",
		beside[0], alone[0], 100*(1-beside[0]/alone[0]), okOrOver(beside[0] >= 0.9*alone[0]),
		beside[1], alone[1], 100*(1-beside[1]/alone[1]))
}

// okOrOver says whether a goal is met.
func okOrOver(ok bool) string {
	if ok {
		return "ok"
	}
	return "OVER"
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// timeSlice computes one default slice on this goroutine's thread and
// returns its wall and CPU seconds and those of its preview.
func timeSlice(plane *mnist.Plane, train *mnist.Dataset) (wall, cpu, prevWall, prevCPU float64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	w0, c0 := time.Now(), cputime.Thread()
	s, err := mnist.NewSlicer[float32](plane, mnist.Probe{Data: train, N: 10000})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	s.Compute(context.Background(), mnist.SliceOptions{}, func(f mnist.Frame) {
		if f.Pass == mnist.PassPreview && f.RowsDone == f.Rows {
			prevWall, prevCPU = time.Since(w0).Seconds(), (cputime.Thread() - c0).Seconds()
		}
	})
	return time.Since(w0).Seconds(), (cputime.Thread() - c0).Seconds(), prevWall, prevCPU
}

// slowdown trains the report's network alone and beside a goroutine that
// computes slices back to back (in the background, as a server would), in
// four alternating rounds of budget/2 each so that a change in the machine's
// other load falls on both, and returns both rates: steps per second of wall
// time and per second of the training thread's CPU time.
func slowdown(plane *mnist.Plane, train, test *mnist.Dataset, budget time.Duration) (alone, beside [2]float64) {
	var sums [2][3]float64 // steps, wall seconds, CPU seconds; alone and beside
	train1 := func(k int) {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		ctx, cancel := context.WithTimeout(context.Background(), budget/2)
		defer cancel()
		cfg := mnist.DefaultConfig()
		cfg.Epochs, cfg.EvalLimit = 100, 1
		t, _ := mnist.NewTrainer(cfg, train, test)
		c0 := cputime.Thread()
		res, _ := t.Run(ctx, mnist.Hooks{})
		sums[k][0] += float64(res.Steps)
		sums[k][1] += res.Seconds
		sums[k][2] += (cputime.Thread() - c0).Seconds()
	}
	for range 4 {
		train1(0)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Go(func() {
			for ctx.Err() == nil {
				s, _ := mnist.NewSlicer[float32](plane, mnist.Probe{Data: train, N: 10000})
				s.Compute(ctx, mnist.SliceOptions{Background: true}, nil)
			}
		})
		time.Sleep(50 * time.Millisecond) // the slice is under way
		train1(1)
		cancel()
		wg.Wait()
	}
	rates := func(k int) [2]float64 { return [2]float64{sums[k][0] / sums[k][1], sums[k][0] / sums[k][2]} }
	return rates(0), rates(1)
}
