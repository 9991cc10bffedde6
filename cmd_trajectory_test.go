package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrajectoryCommand(t *testing.T) {
	for _, c := range []struct {
		args    []string
		code    int
		out     string // in stdout
		errText string // in stderr
	}{
		{[]string{"--function", "rosenbrock", "--start", "-1.5,2", "--optimizer", "adam", "--lr", "0.05", "--steps", "3"}, 0, `"optimizer": "adam"`, ""},
		{[]string{"--optimizer", "gd", "--optimizer", "momentum", "--lr", "0.001,0.002", "--steps", "2", "--format", "csv"}, 0, "3,momentum,0.002,2,", ""},
		{[]string{"--function", "saddle", "--optimizer", "newton", "--format", "csv"}, 0, "saddle point", ""},
		{[]string{"--function", "quadratic", "--cond", "100", "--angle", "30", "--optimizer", "bfgs,cg"}, 0, `"status": "converged"`, ""},
		{[]string{"--optimizer", "adam", "--beta1", "0.8", "--schedule", "cosine", "--t-max", "100", "--steps", "5"}, 0, `"beta1": 0.8`, ""},
		{[]string{"-h"}, 0, "", "-weight-decay"},
		{[]string{"--function", "nope"}, 2, "", `unknown function "nope"`},
		{[]string{"--start", "1"}, 2, "", "want two numbers"},
		{[]string{"--start", "1,abc"}, 2, "", `"abc" is not a finite number`},
		{[]string{"--start", "1,NaN"}, 2, "", "not a finite number"},
		{[]string{"--lr", "-0.1"}, 2, "", "must be a finite number ≥ 0"},
		{[]string{"--lr", "Inf"}, 2, "", "must be a finite number ≥ 0"},
		{[]string{"--optimizer", "adam", "--beta1", "1.5"}, 2, "", "optim: adam: beta1 = 1.5 is out of range [0, 1)"},
		{[]string{"--optimizer", "lbfgs"}, 2, "", `unknown optimizer "lbfgs"`},
		{[]string{"--optimizer", "bfgs", "--lr", "0.1"}, 2, "", "none of the selected optimizers has a learning rate"},
		{[]string{"--optimizer", "gd", "--beta2", "0.9"}, 2, "", "--beta2: none of the selected optimizers has beta2"},
		{[]string{"--format", "xml"}, 2, "", "want json or csv"},
		{[]string{"--schedule", "linear"}, 2, "", "unknown schedule"},
		{[]string{"--cond", "10"}, 2, "", "quadratic only"},
	} {
		var out, errb bytes.Buffer
		code := dispatch(append([]string{"trajectory"}, c.args...), &out, &errb)
		if code != c.code || !strings.Contains(out.String(), c.out) || !strings.Contains(errb.String(), c.errText) {
			t.Errorf("descent trajectory %s: exit %d, stderr %q; want exit %d, stdout with %q, stderr with %q",
				strings.Join(c.args, " "), code, errb.String(), c.code, c.out, c.errText)
		}
	}
}

// TestTrajectoryJSON: --format json is one document with one trajectory per
// optimizer and rate, each starting at --start.
func TestTrajectoryJSON(t *testing.T) {
	var out, errb bytes.Buffer
	args := []string{"trajectory", "--optimizer", "sgd,adam", "--lr", "0.0001,0.001", "--steps", "10", "--start", "-1.2,1"}
	if code := dispatch(args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var doc struct {
		Trajectories []struct {
			Optimizer string
			Iterates  []struct {
				Step int
				X    [2]float64
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Trajectories) != 4 {
		t.Fatalf("%d trajectories, want 4", len(doc.Trajectories))
	}
	for _, tr := range doc.Trajectories {
		if len(tr.Iterates) != 11 || tr.Iterates[0].X != [2]float64{-1.2, 1} {
			t.Errorf("%s: %d iterates from %v, want 11 from (-1.2, 1)", tr.Optimizer, len(tr.Iterates), tr.Iterates[0].X)
		}
	}
}

func TestTrajectoryFigure(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"f.png", "f.svg"} {
		out := filepath.Join(dir, name)
		var stdout, stderr bytes.Buffer
		code := dispatch([]string{"trajectory", "--optimizer", "adam,gd", "--lr", "0.01", "--steps", "50", "--out", out}, &stdout, &stderr)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr.String())
		}
		data, err := os.ReadFile(out)
		if err != nil || len(data) < 1000 {
			t.Fatalf("%s: %d bytes, %v", name, len(data), err)
		}
		if name == "f.png" && !bytes.HasPrefix(data, []byte("\x89PNG")) || name == "f.svg" && !bytes.Contains(data, []byte("<svg")) {
			t.Errorf("%s is not a %s file", name, filepath.Ext(name))
		}
	}
	var stdout, stderr bytes.Buffer
	if code := dispatch([]string{"trajectory", "--out", filepath.Join(dir, "f.gif")}, &stdout, &stderr); code != 2 {
		t.Errorf("--out f.gif: exit %d, want 2", code)
	}
}
