package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"descent/mnist"
)

func TestTrainRefusesBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--lr", "0"}, "lr = 0 is out of range"},
		{[]string{"--lr", "-0.1"}, "lr = -0.1 is out of range"},
		{[]string{"--lr", "NaN"}, "lr = NaN"},
		{[]string{"--batch", "0"}, "batch = 0 is out of range [1, 60000]"},
		{[]string{"--epochs", "0"}, "epochs = 0 is out of range"},
		{[]string{"--optimizer", "lbfgs"}, "lbfgs"},
		{[]string{"--optimizer", "newton"}, "newton"},
		{[]string{"--activation", "swish"}, `unknown activation "swish"`},
		{[]string{"--hidden", "100,x"}, `"x" is not a layer size`},
		{[]string{"--hidden", "0"}, "has 0 units"},
		{[]string{"--beta1", "1.5", "--optimizer", "adam"}, "beta1"},
		{[]string{"--momentum", "0.9", "--optimizer", "adam"}, "momentum"},
		{[]string{"--no-such-flag"}, "flag provided but not defined"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := dispatch(append([]string{"train", "--data", t.TempDir()}, c.args...), &out, &errb)
			if code != 2 {
				t.Errorf("exit code %d, want 2; stderr: %s", code, errb.String())
			}
			if !strings.Contains(errb.String(), c.want) {
				t.Errorf("stderr %q does not contain %q", errb.String(), c.want)
			}
		})
	}
}

func TestTrainMissingDataSaysMakeData(t *testing.T) {
	var out, errb bytes.Buffer
	if code := dispatch([]string{"train", "--data", t.TempDir()}, &out, &errb); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(errb.String(), "run `make data`") {
		t.Errorf("stderr %q does not give the fix", errb.String())
	}
}

func TestTrainHelpExplainsFlags(t *testing.T) {
	var out, errb bytes.Buffer
	if code := dispatch([]string{"train", "-h"}, &out, &errb); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	for _, f := range []string{"-lr", "-epochs", "-batch", "-hidden", "-activation", "-optimizer", "-seed", "-out", "-json"} {
		if !strings.Contains(errb.String(), f) {
			t.Errorf("-h does not explain %s", f)
		}
	}
}

// TestTrainEndToEnd trains the report's network for one epoch on the real MNIST,
// as a user would with `descent train --epochs 1 --json`, and checks what it
// prints and saves.
func TestTrainEndToEnd(t *testing.T) {
	model, out := trainModel(t, "--epochs", "1")
	counts := map[string]int{}
	var final struct {
		TestAccuracy float64 `json:"testAccuracy"`
		Predicted    []int   `json:"predicted"`
		Actual       []int   `json:"actual"`
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var ev struct {
			Type string  `json:"type"`
			Loss float64 `json:"loss"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		counts[ev.Type]++
		if ev.Type == "final" {
			json.Unmarshal(sc.Bytes(), &final)
		}
	}
	if counts["step"] < 90 || counts["step"] > 100 || counts["epoch"] != 1 || counts["final"] != 1 {
		t.Errorf("events %v, want 90–100 steps, 1 epoch, 1 final", counts)
	}
	if final.TestAccuracy < 0.915 {
		t.Errorf("test accuracy after one epoch at lr 0.1 is %.4f, want ≥ 0.915", final.TestAccuracy)
	}
	want := []int{7, 2, 1, 0, 4, 1, 4, 9, 5, 9}
	if len(final.Predicted) != 10 || !slices.Equal(final.Actual, want) {
		t.Errorf("predicted %v actual %v, want 10 predictions of %v", final.Predicted, final.Actual, want)
	}
	m, err := mnist.LoadModel(model)
	if err != nil {
		t.Fatal(err)
	}
	if m.Arch.String() != "784-100-10 sigmoid" || m.Meta.TestAccuracy != final.TestAccuracy {
		t.Errorf("saved model %s, accuracy %v", m.Arch, m.Meta.TestAccuracy)
	}
}
