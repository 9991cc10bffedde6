// Command descent trains neural networks and optimizers and shows, live in a
// browser, how derivatives make them learn.
//
//	descent [serve] [flags]     the live page on http://127.0.0.1:8080 (default)
//	descent train [flags]       train the report's MNIST network in the terminal
//	descent trajectory [flags]  run optimizers on a 2-D test function
//
// Run `descent COMMAND -h` for the flags of each command.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand. run parses args itself and returns the exit code:
// 0 on success, 1 when the work failed, 2 for bad flags.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands is filled by the init functions of the cmd_*.go files.
var commands = map[string]command{}

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
	cmd, ok := commands[name]
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
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nWith no command, descent serves the live page. Run 'descent COMMAND -h' for its flags.")
}
