package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"time"

	"descent/internal/cputime"
	"descent/mnist"
)

// scaling trains 1 and then 2 default runs at once on all cores and prints the
// total steps per second: runs, not threads inside a product, use the cores.
// It also prints the steps per second of each run's own CPU time (where the
// system tells it): when other programs share the cores, the wall clock
// says how many cores were free, and the CPU time whether two runs slow
// each other down.
func scaling(train, test *mnist.Dataset, budget time.Duration) {
	rate := func(n int) (wall, cpu float64) {
		ctx, cancel := context.WithTimeout(context.Background(), budget)
		defer cancel()
		var wg sync.WaitGroup
		var mu sync.Mutex
		for range n {
			cfg := mnist.DefaultConfig()
			cfg.Epochs, cfg.EvalLimit = 100, 1
			t, _ := mnist.NewTrainer(cfg, train, test)
			wg.Go(func() {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				c0 := cputime.Thread()
				res, _ := t.Run(ctx, mnist.Hooks{})
				c := cputime.Thread() - c0
				mu.Lock()
				defer mu.Unlock()
				wall += float64(res.Steps) / res.Seconds
				if c > 0 {
					cpu += float64(res.Steps) / c.Seconds()
				}
			})
		}
		wg.Wait()
		return wall, cpu
	}
	one, cpuOne := rate(1)
	two, cpuTwo := rate(2)
	fmt.Printf("concurrent runs on %d cores: 1 run %.0f steps/s, 2 runs %.0f steps/s in all (%.2f×)\n",
		runtime.NumCPU(), one, two, two/one)
	if cpuOne > 0 {
		fmt.Printf("  per second of each run's own CPU time: 1 run %.0f steps/s, 2 runs %.0f in all (%.2f×)\n",
			cpuOne, cpuTwo, cpuTwo/cpuOne)
	}
}
