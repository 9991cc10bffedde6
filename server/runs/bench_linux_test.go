package runs

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"descent/mnist"
	"descent/server/internal/fake"
	"descent/server/store"
)

// BenchmarkEpochPath trains the report's network on MNIST through the
// manager and a run store, as descent serve does, in alternating rounds
// with and without the training path (so that the machine's other load
// falls on both), and reports each one's steps per second of wall time over
// three epochs and per second of the training thread's CPU time over the
// last two (what the path's hooks cost, whatever the load):
//
//	go test -run '^$' -bench EpochPath -benchtime 3x ./server/runs
func BenchmarkEpochPath(b *testing.B) {
	train, test, err := mnist.Load("../../data/mnist")
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	m := New(Config{Train: train, Test: test, Concurrent: 1, Logger: fake.Quiet(), Store: st})
	defer m.Close()
	var cpu [3]time.Duration // at the end of epochs 1 and 3 of the run training
	m.AfterEpoch = func(_ *Live, epoch int) { cpu[epoch-1] = threadCPU() }
	cfg := mnist.DefaultConfig()
	cfg.Epochs, cfg.EvalLimit = 3, 1
	var sums [2][4]float64 // steps, wall seconds, CPU seconds of epochs 2 and 3, the process's CPU seconds; without and with
	for b.Loop() {
		for k, kept := range []bool{false, true} {
			m.noPaths = !kept
			p0 := processCPU()
			made, err := m.Create([]mnist.Config{cfg}, []string{""}, 0)
			if err != nil {
				b.Fatal(err)
			}
			for !made[0].Finished() {
				time.Sleep(2 * time.Millisecond)
			}
			res := made[0].Info().Result
			sums[k][0] += float64(res.Steps)
			sums[k][1] += res.Seconds
			sums[k][2] += (cpu[2] - cpu[0]).Seconds()
			if err := st.Flush(context.Background()); err != nil {
				b.Fatal(err)
			}
			sums[k][3] += (processCPU() - p0).Seconds()
		}
	}
	perEpoch := float64(stepsPerEpoch(train, cfg))
	for k, name := range []string{"without", "with"} {
		b.ReportMetric(sums[k][0]/sums[k][1], name+"-steps/s")
		b.ReportMetric(2*perEpoch*float64(b.N)/sums[k][2], name+"-steps/cpu-s")
		b.ReportMetric(sums[k][3]/float64(b.N), name+"-process-cpu-s/run")
	}
	fmt.Printf("path's cost: %.1f %% of wall steps/s, %.1f %% of steps per training thread's CPU second, %.1f %% more CPU for the whole process (store included)\n",
		100*(1-(sums[1][0]/sums[1][1])/(sums[0][0]/sums[0][1])), 100*(1-sums[0][2]/sums[1][2]), 100*(sums[1][3]/sums[0][3]-1))
}

func stepsPerEpoch(train *mnist.Dataset, cfg mnist.Config) int {
	return (train.N + cfg.Batch - 1) / cfg.Batch
}

// processCPU is the process's CPU time, every thread's.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadCPU is the calling thread's CPU time (Linux: RUSAGE_THREAD).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(1, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
