// Command descent trains neural networks and optimizers and shows, live in a
// browser, how derivatives make them learn.
//
//	descent [serve] [flags]     the live page on http://127.0.0.1:8080 (default)
//	descent train [flags]       train the report's MNIST network in the terminal
//	descent trajectory [flags]  run optimizers on a 2-D test function
//	descent runs, descent plot  list the saved runs, draw their figures
//	descent hessian [flags]     the Hessian of a saved model: eigenvalues, trace, density
//
// Run `descent help` for every command and `descent COMMAND -h` for its flags.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// command is one subcommand. run parses args itself and returns the exit code:
// 0 on success, 1 when the work failed, 2 for bad flags.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands are descent's subcommands, in the order `descent help` lists
// them; each lives in its cmd_NAME.go.
var commands = []struct {
	name string
	command
}{
	{"serve", command{"serve the live page on http://127.0.0.1:8080 (the default command)", runServe}},
	{"train", command{"train the report's MNIST network in the terminal", runTrain}},
	{"trajectory", command{"run optimizers on a 2-D test function and print their iterates", runTrajectory}},
	{"runs", command{"list the saved runs and sweeps", runRuns}},
	{"plot", command{"draw a saved run's or sweep's figure as PNG or SVG", runPlot}},
	{"explain", command{"show a saved model's derivatives on one image: layers, δ, saliency", runExplain}},
	{"landscape", command{"the loss over a 2-D slice of a model's weights, with a run's path on it", runLandscape}},
	{"hessian", command{"the Hessian of a saved model's loss: top eigenvalues, trace, spectral density", runHessian}},
}

// lookup returns the command called name.
func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c.command, true
		}
	}
	return command{}, false
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

func dispatch(args []string, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		usage(stdout)
		return 0
	}
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "descent: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	return cmd.run(args, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: descent [command] [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nWith no command, descent serves the live page. Run 'descent COMMAND -h' for its flags.")
}
