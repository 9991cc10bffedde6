package store_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"descent/mnist"
	"descent/server/store"
)

// How the server keeps a run's path: start it with the run's initial
// weights, record it from the Step hook (RecordPath reads the weights only
// at the steps the path keeps), and read it back for a landscape.
func ExampleStore_AddPathPoint() {
	dir, _ := os.MkdirTemp("", "descent-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	s, err := store.Open(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	data := &mnist.Dataset{Images: make([]uint8, 256*mnist.InputSize), Labels: make([]uint8, 256), N: 256}
	cfg := mnist.DefaultConfig()
	cfg.Arch.Hidden, cfg.Batch, cfg.Epochs = []int{8}, 16, 4
	tr, _ := mnist.NewTrainer(cfg, data, data)
	run, _ := s.CreateRun(ctx, store.Run{Config: cfg, Status: store.StatusRunning})

	path, _ := mnist.NewPath(cfg.Arch, tr.InitialWeights(), mnist.DefaultPathBudget)
	s.AddPathStart(run.ID, path)
	record := tr.RecordPath(path, func(snap *mnist.Snapshot, every int) { s.AddPathPoint(run.ID, snap, every) })
	tr.Run(ctx, mnist.Hooks{Step: func(e mnist.StepEvent) {
		s.AddStep(run.ID, e)
		record(e)
	}})
	s.Flush(ctx)

	kept, _ := s.Path(ctx, run.ID)
	fmt.Println(len(kept.Snapshots()), "points of", tr.Progress(), "steps, every", kept.Every())
	// Output: 64 points of 64 steps, every 1
}
