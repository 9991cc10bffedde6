package main

import (
	"bytes"
	"net"
	"strings"
	"testing"
)

func TestServeFlags(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"help", []string{"-h"}, 0, "-max-runs"},
		{"unknown flag", []string{"--nope"}, 2, "flag provided but not defined"},
		{"zero max-runs", []string{"--max-runs", "0"}, 2, "--max-runs"},
		{"sharpness budget too large", []string{"--sharpness-budget", "9"}, 2, "--sharpness-budget 9 is out of range"},
		{"hessian examples too many", []string{"--max-hessian-examples", "70000"}, 2, "--max-hessian-examples"},
		{"busy port", []string{"--addr", busy.Addr().String()}, 1, "cannot listen on " + busy.Addr().String()},
		{"missing data", []string{"--addr", "127.0.0.1:0", "--data", t.TempDir()}, 1, "make data"},
		{"missing models", []string{"--addr", "127.0.0.1:0", "--data", "data/mnist", "--models", "no/such/dir"}, 1, "no/such/dir"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := runServe(tc.args, &out, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.stderr) {
				t.Errorf("descent serve %v = %d, stderr %q; want %d containing %q", tc.args, code, errb.String(), tc.code, tc.stderr)
			}
		})
	}
}
