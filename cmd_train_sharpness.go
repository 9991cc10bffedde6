package main

import (
	"errors"
	"flag"
	"fmt"

	"descent/mnist"
)

// checkSharpnessFlags refuses what Config.Validate would take for "off" or
// "the default": a K or an N of 0 or less given on the command line, and a
// probe set without a K.
func checkSharpnessFlags(fs *flag.FlagSet, c *mnist.Config) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	if set["sharpness-every"] && c.SharpnessEvery < 1 {
		errs = append(errs, fmt.Errorf("--sharpness-every %d: want K ≥ 1 (leave it out to measure nothing)", c.SharpnessEvery))
	}
	if set["sharpness-examples"] && (c.SharpnessExamples < 1 || c.SharpnessExamples > mnist.MaxBatch) {
		errs = append(errs, fmt.Errorf("--sharpness-examples %d is out of range [1, %d]", c.SharpnessExamples, mnist.MaxBatch))
	}
	if set["sharpness-examples"] && !set["sharpness-every"] {
		errs = append(errs, errors.New("--sharpness-examples needs --sharpness-every K"))
	}
	if set["train-examples"] && (c.TrainExamples < 1 || c.TrainExamples > mnist.MaxBatch) {
		errs = append(errs, fmt.Errorf("--train-examples %d is out of range [1, %d]", c.TrainExamples, mnist.MaxBatch))
	}
	return errors.Join(errs...)
}
