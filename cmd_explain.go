package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"descent/mnist"
)

// explainFlags are the flags of `descent explain`.
type explainFlags struct {
	model, image, data string
	testIndex          int
	class, label       digitFlag
	json               bool
	set                map[string]bool // the flags given
}

// digitFlag is a class 0 to 9, or mnist.TopClass when not given.
type digitFlag struct{ v int }

func (d *digitFlag) String() string {
	if d == nil || d.v == mnist.TopClass {
		return "the top class"
	}
	return strconv.Itoa(d.v)
}

func (d *digitFlag) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 || v >= mnist.Classes {
		return fmt.Errorf("%q is not a digit 0 to 9", s)
	}
	d.v = v
	return nil
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("descent explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := explainFlags{class: digitFlag{mnist.TopClass}, label: digitFlag{mnist.TopClass}, set: map[string]bool{}}
	fs.StringVar(&f.model, "model", "", "model file written by descent train --out (required)")
	fs.IntVar(&f.testIndex, "test-index", 0, "explain test image I (0 to 9999) exactly as it is in the set")
	fs.StringVar(&f.image, "image", "", "explain a PNG of a digit, preprocessed as the page's drawings are: dark ink on light paper, light ink on dark, or ink on transparency")
	fs.Var(&f.class, "class", "class C of the saliency ∂ log p_C/∂u")
	fs.Var(&f.label, "label", "label L of the backward pass, J = −log p_L")
	fs.BoolVar(&f.json, "json", false, "print one JSON object: probs, input, saliency, layers (z, a, slope, gradA, delta)")
	fs.StringVar(&f.data, "data", "data/mnist", "folder with the MNIST .gz files, for --test-index (make data)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: descent explain --model FILE (--test-index I | --image FILE.png) [--class C] [--label L] [--json]\n\n"+
			"Runs a saved model on one image and shows its derivatives: every layer's z, a = σ(z)\n"+
			"and δ = ∂J/∂z for J = −log p_L, and which pixels move the answer, ∂ log p_C/∂u.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if err := f.check(fs.Args()); err != nil {
		fmt.Fprintf(stderr, "descent explain: %v\n", err)
		return 2
	}
	return explain(f, stdout, stderr)
}

// check validates the flags that need no file.
func (f *explainFlags) check(rest []string) error {
	switch {
	case len(rest) > 0:
		return fmt.Errorf("unexpected argument %q", rest[0])
	case f.model == "":
		return errors.New("--model FILE is required (a model written by descent train --out)")
	case f.set["test-index"] == f.set["image"]:
		return errors.New("give one of --test-index I or --image FILE.png")
	case f.set["test-index"] && f.testIndex < 0:
		return fmt.Errorf("--test-index %d: want 0 or more", f.testIndex)
	}
	return nil
}

// source is the image explained and where it came from.
type source struct {
	img       []uint8
	what      string // "test image 3", or the PNG and its preprocessing
	testLabel int    // the set's label, −1 for a PNG
}

// explain loads the model and the image and prints the explanation.
func explain(f explainFlags, stdout, stderr io.Writer) int {
	model, err := mnist.LoadModel(f.model)
	if err != nil {
		fmt.Fprintf(stderr, "descent explain: --model: %v\n", err)
		return 2
	}
	var src source
	code := 0
	if f.set["test-index"] {
		src, code, err = testImage(f.data, f.testIndex)
	} else {
		src, err = pngImage(f.image)
		code = 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "descent explain: %v\n", err)
		return code
	}
	e, err := mnist.NewExplainer(model)
	if err == nil {
		var ex *mnist.Explanation
		if ex, err = e.Explain(src.img, f.class.v, f.label.v); err == nil {
			err = printExplanation(stdout, f, model, src, ex)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "descent explain: %v\n", err)
		return 1
	}
	return 0
}

// testImage reads test image i from the data folder: exit code 1 when the
// set cannot be read, 2 when i is out of range.
func testImage(dir string, i int) (source, int, error) {
	test, err := mnist.LoadPair(filepath.Join(dir, mnist.TestImagesFile), filepath.Join(dir, mnist.TestLabelsFile))
	if err != nil {
		return source{}, 1, err
	}
	if i >= test.N {
		return source{}, 2, fmt.Errorf("--test-index %d: the test set has images 0 to %d", i, test.N-1)
	}
	return source{img: test.Image(i), what: fmt.Sprintf("test image %d", i), testLabel: int(test.Labels[i])}, 0, nil
}

// pngImage reads a PNG and preprocesses it as a drawing (mnist.Ink, then
// mnist.Preprocess). Its size is checked before it is decoded.
func pngImage(path string) (source, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return source{}, fmt.Errorf("--image: %v", err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return source{}, fmt.Errorf("--image %s: not a PNG (%v)", path, err)
	}
	if cfg.Width > mnist.MaxCanvas || cfg.Height > mnist.MaxCanvas {
		return source{}, fmt.Errorf("--image %s is %d×%d, want each side at most %d", path, cfg.Width, cfg.Height, mnist.MaxCanvas)
	}
	pic, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return source{}, fmt.Errorf("--image %s: not a PNG (%v)", path, err)
	}
	pix, w, h, err := mnist.Ink(pic)
	if err != nil {
		return source{}, fmt.Errorf("--image %s: %v", path, err)
	}
	img, blank, err := mnist.Preprocess(pix, w, h)
	if err != nil {
		return source{}, fmt.Errorf("--image %s: %v", path, err)
	}
	if blank {
		return source{}, fmt.Errorf("--image %s has no ink: every pixel is background", path)
	}
	what := fmt.Sprintf("%s, %d×%d, cropped to its ink, fitted in 20×20 and centred by mass", path, w, h)
	return source{img: img, what: what, testLabel: -1}, nil
}

// explainJSON is --json's object: the explanation and where its image came from.
type explainJSON struct {
	*mnist.Explanation
	Source    string `json:"source"`
	TestLabel *int   `json:"testLabel,omitempty"` // the set's label, with --test-index
}

func printExplanation(w io.Writer, f explainFlags, m *mnist.Model, src source, ex *mnist.Explanation) error {
	if !f.json {
		return summary(w, f.model, m, src, ex)
	}
	out := explainJSON{Explanation: ex, Source: src.what}
	if src.testLabel >= 0 {
		out.TestLabel = &src.testLabel
	}
	return json.NewEncoder(w).Encode(out)
}
