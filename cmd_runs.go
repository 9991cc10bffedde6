package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"descent/server/store"
)

func runRuns(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("descent runs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def, _ := store.DefaultDir()
	dir := fs.String("data-dir", def, "folder of the run store (descent serve's --data-dir)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent runs [flags]\n\nLists every saved run: its sweep, status, optimizer, rate, batch, epochs and best accuracy.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "descent runs: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *dir)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer st.Close()
	list, err := st.Summaries(ctx)
	if err == nil {
		err = store.FormatTable(stdout, list)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}
