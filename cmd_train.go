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
	"strconv"
	"strings"
	"syscall"

	"descent/mnist"
	"descent/optim"
)

// trainFlags are the flags of `descent train`.
type trainFlags struct {
	cfg        mnist.Config
	hidden     string
	activation string
	out        string
	data       string
	json       bool
	hyper      map[string]*hyperParam
}

func newTrainFlags(stderr io.Writer) (*flag.FlagSet, *trainFlags) {
	fs := flag.NewFlagSet("descent train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &trainFlags{cfg: mnist.DefaultConfig(), hyper: map[string]*hyperParam{}}
	c := &f.cfg
	fs.Float64Var(&c.LR, "lr", c.LR, "learning rate α in θ ← θ − α∇J(θ), > 0")
	fs.IntVar(&c.Epochs, "epochs", c.Epochs, "passes over the 60,000 training images")
	fs.IntVar(&c.Batch, "batch", c.Batch, "minibatch size B: 1 is pure SGD, 64 mini-batch, 60000 full-batch gradient descent")
	fs.StringVar(&f.hidden, "hidden", "100", "hidden layer sizes, comma-separated (\"100\", or \"256,128\" for two layers)")
	fs.StringVar(&f.activation, "activation", string(c.Arch.Activation), "hidden activation: sigmoid, relu or tanh")
	fs.StringVar(&c.Optimizer, "optimizer", c.Optimizer, "optimizer: "+strings.Join(firstOrderNames(), ", "))
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "seed of the initial weights and the minibatch order")
	scheduleFlags(fs, &c.Schedule)
	fs.StringVar(&f.out, "out", "model.descent", "file to save the trained model to (\"\" to skip)")
	fs.StringVar(&f.data, "data", "data/mnist", "folder with the MNIST .gz files (make data)")
	fs.BoolVar(&f.json, "json", false, "print one JSON object per line instead of a progress bar")
	fs.IntVar(&c.SharpnessEvery, "sharpness-every", 0, "measure the sharpness λmax of the training loss's Hessian before every K-th step (against 2/α, or the optimizer's threshold); every K-th step's JSON event carries \"sharpness\" and \"threshold\"")
	fs.IntVar(&c.SharpnessExamples, "sharpness-examples", 0, "the sharpness's probe set: the first N training images (default 1000)")
	fs.IntVar(&c.TrainExamples, "train-examples", 0, "train on the first N training images (default all): with --batch N every step is full-batch gradient descent")
	addHyperFlags(fs, f.hyper, func(s optim.Spec) bool { return s.Network })
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent train [flags]\n\nTrains the report's 784-100-10 sigmoid network on MNIST with SGD and prints\nthe progress, the accuracy and the first 10 test predictions.\n\nFlags:")
		fs.PrintDefaults()
	}
	return fs, f
}

func firstOrderNames() []string {
	var names []string
	for _, s := range optim.Specs() {
		if s.Network {
			names = append(names, s.Name)
		}
	}
	return names
}

// parse turns the flags into a validated Config. Errors are for exit code 2.
func (f *trainFlags) parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c := &f.cfg
	var err error
	if c.Arch.Hidden, err = parseSizes(f.hidden); err != nil {
		return err
	}
	if c.Arch.Activation, err = mnist.ParseActivation(f.activation); err != nil {
		return err
	}
	if err := checkSharpnessFlags(fs, c); err != nil {
		return err
	}
	c.Hyper = setHypers(f.hyper)
	if err := c.Validate(); err != nil {
		return err
	}
	_, err = optim.New[float32](c.Optimizer, c.Hyper) // unknown names, ranges, second-order methods
	return err
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("--hidden: %q is not a layer size", p)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func runTrain(args []string, stdout, stderr io.Writer) int {
	fs, f := newTrainFlags(stderr)
	if err := f.parse(fs, args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "descent train: %v\n", err)
		return 2
	}
	train, test, err := mnist.Load(f.data)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var out trainOutput = newTextOutput(stdout, f.cfg)
	if f.json {
		out = &jsonOutput{enc: json.NewEncoder(stdout)}
	}
	return train1(ctx, f, train, test, out, stderr)
}
