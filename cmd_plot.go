package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"descent/server/export"
	"descent/server/figures"
	"descent/server/store"
)

// plotFlags are the flags of `descent plot`.
type plotFlags struct {
	run, sweep, kind, out, lang, dir string
	smooth                           float64
}

func runPlot(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("descent plot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def, _ := store.DefaultDir()
	var f plotFlags
	fs.StringVar(&f.run, "run", "", "id of a saved run (descent runs lists them)")
	fs.StringVar(&f.sweep, "sweep", "", "id of a saved sweep or comparison")
	fs.StringVar(&f.kind, "kind", "", "figure: loss, accuracy, confusion, weights, gradnorm, ratio, lr, testloss, lrrange or sharpness for --run; sweep, compare, accuracy or sharpness for --sweep (default loss or sweep)")
	fs.StringVar(&f.out, "out", "", "file to write, .png (at 2×) or .svg")
	fs.StringVar(&f.lang, "lang", "en", "language of the labels: en or ko")
	loadFont := fontFlag(fs)
	fs.StringVar(&f.dir, "data-dir", def, "folder of the run store (descent serve's --data-dir)")
	fs.Float64Var(&f.smooth, "smooth", export.DefaultSmoothing, "EMA weight of the loss figure's smoothed curve, in [0, 1); 0 draws the raw loss alone")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent plot --run ID|--sweep ID [--kind KIND] --out FILE.png|.svg [flags]\n\n"+
			"Draws a figure of saved runs, the same as the page's downloads.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := errors.Join(f.check(fs.Args()), loadFont()); err != nil {
		fmt.Fprintf(stderr, "descent plot: %v\n", err)
		return 2
	}
	if err := plot(context.Background(), f); err != nil {
		fmt.Fprintf(stderr, "descent plot: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "wrote %s\n", f.out)
	return 0
}

// check validates the flags and fills in the default kind.
func (f *plotFlags) check(rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("unexpected argument %q", rest[0])
	}
	if (f.run == "") == (f.sweep == "") {
		return errors.New("give one of --run ID or --sweep ID")
	}
	if _, err := strconv.ParseInt(f.run+f.sweep, 10, 64); err != nil {
		return fmt.Errorf("id %q is not a saved run's or sweep's number; see `descent runs`", f.run+f.sweep)
	}
	kinds := export.RunKinds
	if f.sweep != "" {
		kinds = export.SweepKinds
	}
	if f.kind == "" {
		f.kind = kinds[0]
	}
	if !slices.Contains(kinds, f.kind) {
		return fmt.Errorf("--kind %q: want one of %s", f.kind, strings.Join(kinds, ", "))
	}
	if f.out == "" {
		return errors.New("--out FILE.png or FILE.svg is required")
	}
	if ext := f.format(); ext != "png" && ext != "svg" {
		return fmt.Errorf("--out %q: want a .png or .svg file", f.out)
	}
	if f.lang != "en" && f.lang != "ko" {
		return fmt.Errorf("--lang %q: want en or ko", f.lang)
	}
	if !(f.smooth >= 0 && f.smooth < 1) {
		return fmt.Errorf("--smooth %g: want a weight in [0, 1)", f.smooth)
	}
	return nil
}

func (f *plotFlags) format() string {
	return strings.TrimPrefix(strings.ToLower(filepath.Ext(f.out)), ".")
}

// plot reads the runs from the store and writes the figure.
func plot(ctx context.Context, f plotFlags) error {
	st, err := store.Open(ctx, f.dir)
	if err != nil {
		return err
	}
	defer st.Close()
	what, id := "run", f.run
	if f.sweep != "" {
		what, id = "sweep", f.sweep
	}
	fig, err := export.ReadFigure(ctx, export.StoreSource{St: st}, what, id, f.kind, export.FigureOptions{Lang: f.lang, Smoothing: f.smooth})
	if err != nil {
		return err
	}
	out, err := os.Create(f.out)
	if err != nil {
		return err
	}
	err = figures.Encode(out, fig, f.format(), 0, 0, true)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
