package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// tinyModel trains a small model on the fake data and returns its file.
func tinyModel(t *testing.T, data string) string {
	t.Helper()
	model := filepath.Join(t.TempDir(), "tiny.descent")
	var out, errb bytes.Buffer
	if code := dispatch([]string{"train", "--hidden", "8", "--epochs", "1", "--batch", "50", "--json", "--out", model, "--data", data}, &out, &errb); code != 0 {
		t.Fatalf("train: exit %d: %s", code, errb.String())
	}
	return model
}

func TestHessianRefusesBadInput(t *testing.T) {
	data := fakeMNIST(t, 100)
	model := tinyModel(t, data)
	corrupt := filepath.Join(t.TempDir(), "corrupt.descent")
	os.WriteFile(corrupt, []byte("DESCENT\nnot really"), 0o644)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{}, "--model FILE is required"},
		{[]string{"--model", model, "--top", "0"}, "--top 0 is out of range [1, 10]"},
		{[]string{"--model", model, "--top", "11"}, "--top 11 is out of range [1, 10]"},
		{[]string{"--model", model, "--examples", "0"}, "--examples 0 is out of range [1, 60000]"},
		{[]string{"--model", model, "--examples", "60001"}, "--examples 60001 is out of range"},
		{[]string{"--model", model, "--examples", "101"}, "--examples 101 is out of range [1, 100]"},
		{[]string{"--model", model, "--probes", "0"}, "--probes 0"},
		{[]string{"--model", model, "extra"}, `unexpected argument "extra"`},
		{[]string{"--model", filepath.Join(t.TempDir(), "none.descent")}, "no such file"},
		{[]string{"--model", corrupt}, "corrupt.descent"},
		{[]string{"--model", data}, "mnist:"}, // a folder
		{[]string{"--model", model, "--no-such-flag"}, "flag provided but not defined"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := dispatch(append([]string{"hessian", "--data", data}, c.args...), &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), c.want) {
				t.Errorf("exit code %d, stderr %q; want 2 and %q", code, errb.String(), c.want)
			}
		})
	}
}

func TestHessianMissingDataSaysMakeData(t *testing.T) {
	model := tinyModel(t, fakeMNIST(t, 60))
	var out, errb bytes.Buffer
	if code := dispatch([]string{"hessian", "--model", model, "--data", t.TempDir()}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "make data") {
		t.Errorf("exit code %d, stderr %q; want 1 and the fix", code, errb.String())
	}
}

// TestHessianCommand checks the text and the JSON of descent hessian on a
// tiny trained model.
func TestHessianCommand(t *testing.T) {
	data := fakeMNIST(t, 100)
	model := tinyModel(t, data)
	var out, errb bytes.Buffer
	if code := dispatch([]string{"hessian", "--model", model, "--examples", "80", "--top", "3", "--data", data}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"first 80 training images", "784-8-10 sigmoid", "Top 3 eigenvalues: ", "Trace: ", "± ", "Hessian-vector products in "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := dispatch([]string{"hessian", "--model", model, "--examples", "80", "--top", "4", "--density", "--json", "--data", data}, &out, &errb); code != 0 {
		t.Fatalf("--json: exit %d: %s", code, errb.String())
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &fields); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"density", "eigenvalues", "examples", "hvps", "seconds", "trace", "traceStdErr"}; !slices.Equal(keys, want) {
		t.Errorf("JSON keys %v, want %v", keys, want)
	}
	var r struct {
		Examples    int       `json:"examples"`
		Eigenvalues []float64 `json:"eigenvalues"`
		TraceStdErr float64   `json:"traceStdErr"`
		HVPs        int       `json:"hvps"`
		Density     struct {
			X, Y []float64
		} `json:"density"`
	}
	json.Unmarshal(out.Bytes(), &r)
	if r.Examples != 80 || len(r.Eigenvalues) != 4 || !slices.IsSortedFunc(r.Eigenvalues, func(a, b float64) int { return cmp.Compare(b, a) }) ||
		r.TraceStdErr <= 0 || r.HVPs < 100 || len(r.Density.X) == 0 || len(r.Density.X) != len(r.Density.Y) {
		t.Errorf("report %+v", r)
	}
}

func TestTrainSharpnessFlags(t *testing.T) {
	data := fakeMNIST(t, 100)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--sharpness-every", "0"}, "--sharpness-every 0: want K ≥ 1"},
		{[]string{"--sharpness-every", "-3"}, "--sharpness-every -3"},
		{[]string{"--sharpness-every", "5", "--sharpness-examples", "0"}, "--sharpness-examples 0 is out of range [1, 60000]"},
		{[]string{"--sharpness-every", "5", "--sharpness-examples", "60001"}, "--sharpness-examples 60001 is out of range"},
		{[]string{"--sharpness-examples", "50"}, "--sharpness-examples needs --sharpness-every K"},
		{[]string{"--train-examples", "0"}, "--train-examples 0 is out of range [1, 60000]"},
		{[]string{"--train-examples", "60001"}, "--train-examples 60001 is out of range"},
		{[]string{"--train-examples", "101"}, "trainExamples = 101, but there are 100 training images"},
		{[]string{"--train-examples", "40", "--sharpness-every", "1", "--sharpness-examples", "41"}, "sharpnessExamples = 41, but the run trains on 40"},
		{[]string{"--sharpness-every", "x"}, "invalid value"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := dispatch(append([]string{"train", "--data", data, "--out", ""}, c.args...), &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), c.want) {
				t.Errorf("exit code %d, stderr %q; want 2 and %q", code, errb.String(), c.want)
			}
		})
	}
}

// TestTrainSharpnessJSON runs full-batch GD on the first 60 images with the
// sharpness every 2 steps: every second step's JSON event, and only those,
// carries "sharpness" and "threshold" = 2/α.
func TestTrainSharpnessJSON(t *testing.T) {
	data := fakeMNIST(t, 100)
	var out, errb bytes.Buffer
	args := []string{"train", "--hidden", "8", "--lr", "0.5", "--train-examples", "60", "--batch", "60", "--epochs", "7",
		"--sharpness-every", "2", "--sharpness-examples", "30", "--json", "--out", "", "--data", data}
	if code := dispatch(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	sc := bufio.NewScanner(&out)
	steps := 0
	for sc.Scan() {
		var ev map[string]any
		json.Unmarshal(sc.Bytes(), &ev)
		if ev["type"] != "step" {
			continue
		}
		steps++
		step := int(ev["step"].(float64))
		s, hasS := ev["sharpness"].(float64)
		th, hasT := ev["threshold"].(float64)
		if hasS != (step%2 == 0) || hasT != hasS || hasS && (s <= 0 || math.Abs(th-4) > 1e-12) {
			t.Errorf("step %d: sharpness %v (%v), threshold %v (%v); want both on even steps, threshold 2/0.5 = 4", step, s, hasS, th, hasT)
		}
	}
	if steps != 7 {
		t.Errorf("%d step events, want 7 (one full batch an epoch)", steps)
	}
}
