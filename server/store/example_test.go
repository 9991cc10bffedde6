package store_test

import (
	"context"
	"fmt"
	"log"
	"math"
	"os"
	"time"

	"descent/mnist"
	"descent/server/store"
)

// The server's use of a store: open it at start, mark what the last process
// left running, record a run's steps and epochs from the training hooks, and
// finish it.
func Example() {
	dir, _ := os.MkdirTemp("", "descent-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	s, err := store.Open(ctx, dir)
	if err != nil {
		log.Fatal(err) // says what to do, e.g. "another descent is using … (pid 812); stop it or pass --data-dir"
	}
	defer s.Close()
	if _, err := s.MarkInterrupted(ctx); err != nil {
		log.Fatal(err)
	}

	run, _ := s.CreateRun(ctx, store.Run{Config: mnist.DefaultConfig(), Status: store.StatusRunning})
	hooks := mnist.Hooks{
		Step: func(e mnist.StepEvent) { s.AddStep(run.ID, e) }, // never waits for the disk
		Epoch: func(e mnist.EpochEvent) {
			s.AddEpoch(run.ID, e, nil) // the trainer would pass a Checkpoint
		},
	}
	for k := 1; k <= 938; k++ {
		hooks.Step(mnist.StepEvent{Epoch: 1, Step: k, Batch: k, StepsPerEpoch: 938, Loss: 2.3 / math.Sqrt(float64(k))})
	}
	hooks.Epoch(mnist.EpochEvent{Epoch: 1, Step: 938, TestAccuracy: 0.9123})
	s.Finish(ctx, run.ID, mnist.Result{Status: mnist.StatusDone, Epochs: 1, Steps: 938})

	got, _ := s.GetRun(ctx, run.ID)
	curve, _ := s.StepColumns(ctx, run.ID, 100)
	fmt.Printf("%s: %s, %d steps, best accuracy %.2f%%, curve of %d points\n",
		got.Name, got.Status, got.Steps, 100*got.BestAccuracy, curve.Len())
	// Output:
	// sgd α=0.1 batch 64: done, 938 steps, best accuracy 91.23%, curve of 94 points
}

func ExampleFormatTable() {
	created := time.Date(2026, 3, 2, 9, 30, 0, 0, time.Local)
	store.FormatTable(os.Stdout, []store.Summary{
		{ID: 1, Name: "report", Status: "done", Optimizer: "sgd", LR: 0.1, Batch: 64,
			EpochsDone: 10, Epochs: 10, BestAccuracy: 0.9781, Created: created},
		{ID: 2, Name: "α=3", Sweep: "lr grid", Status: "diverged at step 812", Optimizer: "sgd", LR: 3, Batch: 64,
			EpochsDone: 0, Epochs: 10, BestAccuracy: math.NaN(), Created: created},
	})
	// Output:
	// ID  NAME    SWEEP    STATUS                OPTIMIZER  LR   BATCH  EPOCHS  BEST    CREATED
	// 1   report  -        done                  sgd        0.1  64     10/10   97.81%  2026-03-02 09:30
	// 2   α=3     lr grid  diverged at step 812  sgd        3    64     0/10    -       2026-03-02 09:30
}
