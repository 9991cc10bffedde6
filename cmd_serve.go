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

// serveFlags are the flags of `descent serve`.
type serveFlags struct {
	addr, data, modelDir, dataDir string
	maxRuns                       int
	loadFont                      func() error
	class                         *classroom
}

// parseServeFlags reads the flags; ok is false with the exit code when
// they are bad or only help was asked.
func parseServeFlags(args []string, stderr io.Writer) (f serveFlags, code int, ok bool) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&f.data, "data", "data/mnist", "directory with the MNIST files, as make data fetches them")
	fs.IntVar(&f.maxRuns, "max-runs", runtime.NumCPU(), "runs that train at once; the rest queue")
	fs.StringVar(&f.modelDir, "models", "", "directory of saved models (*.descent) that answer drawings beside the runs")
	f.loadFont = fontFlag(fs)
	f.class = classroomFlags(fs) // the classroom's tokens and limits
	defDir, _ := store.DefaultDir()
	fs.StringVar(&f.dataDir, "data-dir", defDir, "folder of the run store: every run, its curves and checkpoints (descent runs lists them)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent serve [flags]\n\nServes the live page: watch training, compare learning rates.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return f, 0, false
		}
		return f, 2, false
	}
	err := errors.Join(f.loadFont(), f.class.check())
	if fs.NArg() > 0 || f.maxRuns < 1 {
		err = fmt.Errorf("unexpected arguments %q or --max-runs < 1", fs.Args())
	}
	if err != nil {
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return f, 2, false
	}
	return f, 0, true
}

// runServe loads MNIST, listens, and serves the live page until SIGINT or
// SIGTERM, when it stops the runs and closes the sockets before exiting.
func runServe(args []string, stdout, stderr io.Writer) int {
	f, code, ok := parseServeFlags(args, stderr)
	if !ok {
		return code
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	// Listen first, so that a busy port is an error before the data loads.
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		fmt.Fprintf(stderr, "descent serve: cannot listen on %s: %v (is another descent running? try --addr 127.0.0.1:8081)\n", f.addr, err)
		return 1
	}
	defer ln.Close()
	cfg, err := f.load(log)
	if err != nil {
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, f.dataDir)
	if err != nil {
		fmt.Fprintln(stderr, err) // says what to do: another descent, a damaged file, a newer schema…
		return 1
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("closing the run store", "err", err)
		}
	}()
	cfg.Store, cfg.Access, cfg.Limits = st, f.class.access(ln.Addr()), f.class.limits
	srv := server.New(cfg)
	if err := srv.Restore(ctx); err != nil {
		srv.Close()
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 1
	}
	f.class.announce(stdout, log, ln.Addr())
	if err := srv.Serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "descent serve: %v\n", err)
		return 1
	}
	log.Info("stopped")
	return 0
}

// load reads MNIST and the saved models into the server's config.
func (f serveFlags) load(log *slog.Logger) (server.Config, error) {
	start := time.Now()
	train, test, err := mnist.Load(f.data)
	if err != nil {
		return server.Config{}, err
	}
	log.Info("mnist loaded", "train", train.N, "test", test.N, "seconds", time.Since(start).Seconds())
	cfg := server.Config{Train: train, Test: test, Concurrent: f.maxRuns, Logger: log}
	if f.modelDir != "" {
		if cfg.Models, err = server.LoadModels(f.modelDir); err != nil {
			return server.Config{}, err
		}
		log.Info("models loaded", "dir", f.modelDir, "models", len(cfg.Models))
	}
	return cfg, nil
}
