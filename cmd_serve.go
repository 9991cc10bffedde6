package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	"descent/mnist"
	"descent/server"
	"descent/server/store"
)

// runServe loads MNIST, listens, and serves the live page until SIGINT or
// SIGTERM, when it stops the runs and closes the sockets before exiting.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	data := fs.String("data", "data/mnist", "directory with the MNIST files, as make data fetches them")
	maxRuns := fs.Int("max-runs", runtime.NumCPU(), "runs that train at once; the rest queue")
	modelDir := fs.String("models", "", "directory of saved models (*.descent) that answer drawings beside the runs")
	loadFont := fontFlag(fs) // cmd_font.go
	// The classroom's tokens and limits (cmd_serve_access.go).
	class := classroomFlags(fs)
	defDir, _ := store.DefaultDir()
	dataDir := fs.String("data-dir", defDir, "folder of the run store: every run, its curves and checkpoints (descent runs lists them)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent serve [flags]\n\nServes the live page: watch training, compare learning rates.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 || *maxRuns < 1 {
		fmt.Fprintf(stderr, "descent serve: unexpected arguments %q or --max-runs < 1\n", fs.Args())
		return 2
	}
	if err := loadFont(); err != nil {
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 2
	}
	if err := class.check(); err != nil {
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	// Listen first, so that a busy port is an error before the data loads.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "descent serve: cannot listen on %s: %v (is another descent running? try --addr 127.0.0.1:8081)\n", *addr, err)
		return 1
	}
	start := time.Now()
	train, test, err := mnist.Load(*data)
	if err != nil {
		ln.Close()
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 1
	}
	log.Info("mnist loaded", "train", train.N, "test", test.N, "seconds", time.Since(start).Seconds())
	var models map[string]*mnist.Model
	if *modelDir != "" {
		if models, err = server.LoadModels(*modelDir); err != nil {
			ln.Close()
			fmt.Fprintf(stderr, "descent serve: %v\n", err)
			return 1
		}
		log.Info("models loaded", "dir", *modelDir, "models", len(models))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, *dataDir)
	if err != nil {
		ln.Close()
		fmt.Fprintln(stderr, err) // says what to do: another descent, a damaged file, a newer schema…
		return 1
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("closing the run store", "err", err)
		}
	}()
	srv := server.New(server.Config{Access: class.access(ln.Addr()), Limits: class.limits, Train: train, Test: test, Concurrent: *maxRuns, Logger: log, Models: models, Store: st})
	if err := srv.Restore(ctx); err != nil {
		srv.Close()
		ln.Close()
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 1
	}
	class.announce(stdout, log, ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 1
	}
	log.Info("stopped")
	return 0
}
