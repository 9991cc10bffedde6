package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"descent/mnist"
)

// writeIDX writes an IDX file, gzip-compressed, as `make data` lays them out.
func writeIDX(t *testing.T, path string, magic uint32, dims []uint32, data []byte) {
	t.Helper()
	var raw bytes.Buffer
	binary.Write(&raw, binary.BigEndian, magic)
	binary.Write(&raw, binary.BigEndian, dims)
	raw.Write(data)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw.Bytes())
	zw.Close()
	if err := os.WriteFile(path, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// explainFixture writes a small model and a test set of n random images, and
// returns the model file, the data folder and the set.
func explainFixture(t *testing.T, n int) (model, dir string, test *mnist.Dataset) {
	t.Helper()
	dir = t.TempDir()
	rng := rand.New(rand.NewPCG(7, 8))
	test = &mnist.Dataset{Images: make([]uint8, n*mnist.InputSize), Labels: make([]uint8, n), N: n}
	for i := range test.Images {
		test.Images[i] = uint8(rng.IntN(256))
	}
	for i := range test.Labels {
		test.Labels[i] = uint8(rng.IntN(10))
	}
	writeIDX(t, filepath.Join(dir, mnist.TestImagesFile), 0x803, []uint32{uint32(n), 28, 28}, test.Images)
	writeIDX(t, filepath.Join(dir, mnist.TestLabelsFile), 0x801, []uint32{uint32(n)}, test.Labels)
	net, err := mnist.NewNet[float32](mnist.Arch{Hidden: []int{16, 8}, Activation: mnist.Tanh}, 3)
	if err != nil {
		t.Fatal(err)
	}
	model = filepath.Join(dir, "m.descent")
	if err := net.Model().Save(model); err != nil {
		t.Fatal(err)
	}
	return model, dir, test
}

// writePNG writes a w×h picture of a dark stroke on light paper.
func writePNG(t *testing.T, path string, w, h int, ink bool) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{250, 250, 245, 255}
			if ink && x > w/3 && x < w/3+w/8 && y > h/5 && y < 4*h/5 {
				c = color.NRGBA{20, 20, 40, 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExplainRefusesBadInput(t *testing.T) {
	model, dir, _ := explainFixture(t, 5)
	junk := filepath.Join(dir, "junk.png")
	os.WriteFile(junk, []byte("not a png"), 0o644)
	small, blank, huge := filepath.Join(dir, "small.png"), filepath.Join(dir, "blank.png"), filepath.Join(dir, "huge.png")
	writePNG(t, small, 20, 20, true)
	writePNG(t, blank, 60, 60, false)
	writePNG(t, huge, 1100, 40, true)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--model", model}, "give one of --test-index I or --image FILE.png"},
		{[]string{"--model", model, "--test-index", "1", "--image", small}, "give one of --test-index I or --image"},
		{[]string{"--test-index", "1"}, "--model FILE is required"},
		{[]string{"--model", model, "--test-index", "5"}, "the test set has images 0 to 4"},
		{[]string{"--model", model, "--test-index", "-1"}, "--test-index -1: want 0 or more"},
		{[]string{"--model", model, "--test-index", "x"}, `invalid value "x" for flag -test-index`},
		{[]string{"--model", model, "--test-index", "0", "--class", "10"}, `"10" is not a digit 0 to 9`},
		{[]string{"--model", model, "--test-index", "0", "--class", "-1"}, `"-1" is not a digit 0 to 9`},
		{[]string{"--model", model, "--test-index", "0", "--label", "seven"}, `"seven" is not a digit 0 to 9`},
		{[]string{"--model", filepath.Join(dir, "none.descent"), "--test-index", "0"}, "--model: mnist: open"},
		{[]string{"--model", junk, "--test-index", "0"}, "not a descent model file"},
		{[]string{"--model", model, "--image", junk}, "not a PNG"},
		{[]string{"--model", model, "--image", filepath.Join(dir, "none.png")}, "--image: open"},
		{[]string{"--model", model, "--image", small}, "image is 20×20, want each side in [28, 1024]"},
		{[]string{"--model", model, "--image", huge}, "is 1100×40, want each side at most 1024"},
		{[]string{"--model", model, "--image", blank}, "has no ink"},
		{[]string{"--model", model, "--test-index", "0", "extra"}, `unexpected argument "extra"`},
		{[]string{"--no-such-flag"}, "flag provided but not defined"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := dispatch(append([]string{"explain", "--data", dir}, c.args...), &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), c.want) {
				t.Errorf("exit code %d, stderr %q; want 2 and %q", code, errb.String(), c.want)
			}
		})
	}
}

func TestExplainMissingDataSaysMakeData(t *testing.T) {
	model, _, _ := explainFixture(t, 2)
	var out, errb bytes.Buffer
	code := dispatch([]string{"explain", "--model", model, "--test-index", "0", "--data", t.TempDir()}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "run `make data`") {
		t.Errorf("exit code %d, stderr %q; want 1 and the fix", code, errb.String())
	}
}

// explainOutput is what the tests read of --json.
type explainOutput struct {
	Probs     []float64
	Input     []int
	Saliency  []float32
	Class     int
	Label     int
	Top       int
	TestLabel *int
	Layers    []struct{ Z, A, Delta []float32 }
}

func runExplainJSON(t *testing.T, args ...string) explainOutput {
	t.Helper()
	var out, errb bytes.Buffer
	if code := dispatch(append([]string{"explain", "--json"}, args...), &out, &errb); code != 0 {
		t.Fatalf("exit code %d; stderr: %s", code, errb.String())
	}
	var got explainOutput
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v in %.200s", err, out.String())
	}
	return got
}

// TestExplainTestImageJSON checks that --test-index explains the set's image
// exactly as it is, with the class and label asked for, as the library does.
func TestExplainTestImageJSON(t *testing.T) {
	model, dir, test := explainFixture(t, 4)
	got := runExplainJSON(t, "--model", model, "--test-index", "3", "--class", "2", "--label", "6", "--data", dir)
	input := make([]uint8, len(got.Input))
	for i, v := range got.Input {
		input[i] = uint8(v)
	}
	if !slices.Equal(input, test.Image(3)) || got.TestLabel == nil || *got.TestLabel != int(test.Labels[3]) {
		t.Fatalf("input is not test image 3 as it is, or test label %v", got.TestLabel)
	}
	m, _ := mnist.LoadModel(model)
	e, _ := mnist.NewExplainer(m)
	want, _ := e.Explain(test.Image(3), 2, 6)
	if got.Class != 2 || got.Label != 6 || !slices.Equal(got.Probs, want.Probs) || !slices.Equal(got.Saliency, want.Saliency) {
		t.Errorf("class %d label %d probs %v; want 2, 6 and the library's %v", got.Class, got.Label, got.Probs, want.Probs)
	}
	if len(got.Layers) != 3 || len(got.Layers[0].Z) != 16 || len(got.Layers[1].A) != 8 || !slices.Equal(got.Layers[2].Delta, want.Layers[2].Delta) {
		t.Errorf("layers %d, want 3 of 16, 8 and 10 units with the library's δ", len(got.Layers))
	}
	def := runExplainJSON(t, "--model", model, "--test-index", "3", "--data", dir)
	if def.Class != def.Top || def.Label != def.Top {
		t.Errorf("defaults: class %d label %d, want the top class %d", def.Class, def.Label, def.Top)
	}
}

// TestExplainImage checks that a PNG of dark ink on paper is preprocessed as
// a drawing, and that the summary names what it shows.
func TestExplainImage(t *testing.T) {
	model, dir, _ := explainFixture(t, 1)
	path := filepath.Join(dir, "digit.png")
	writePNG(t, path, 120, 90, true)
	got := runExplainJSON(t, "--model", model, "--image", path)
	f, _ := os.Open(path)
	pic, _ := png.Decode(f)
	f.Close()
	pix, w, h, _ := mnist.Ink(pic)
	want, _, _ := mnist.Preprocess(pix, w, h)
	input := make([]uint8, len(got.Input))
	for i, v := range got.Input {
		input[i] = uint8(v)
	}
	if !slices.Equal(input, want) || got.TestLabel != nil {
		t.Errorf("the input is not the PNG preprocessed as a drawing (test label %v)", got.TestLabel)
	}
	var out, errb bytes.Buffer
	if code := dispatch([]string{"explain", "--model", model, "--image", path, "--class", "4"}, &out, &errb); code != 0 {
		t.Fatalf("exit code %d: %s", code, errb.String())
	}
	for _, s := range []string{"784-16-8-10 tanh", "cropped to its ink", "top classes:", "saliency ∂ log p_4/∂u", "map (+ raises p_4",
		"backward pass for the label L =", "784→16", "8→10", "softmax"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("summary lacks %q:\n%s", s, out.String())
		}
	}
}

// TestExplainTrainedModel explains test image 0 (a 7) with a model trained
// for one epoch by descent train, on the real MNIST.
func TestExplainTrainedModel(t *testing.T) {
	model, _ := trainModel(t, "--epochs", "1")
	got := runExplainJSON(t, "--model", model, "--test-index", "0", "--data", mnistDir(t))
	if got.Top != 7 || got.Probs[7] < 0.9 || *got.TestLabel != 7 {
		t.Errorf("test image 0: top %d p₇ %.3f, want 7 with p₇ ≥ 0.9", got.Top, got.Probs[7])
	}
}
