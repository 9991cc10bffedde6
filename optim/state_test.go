package optim

import (
	"strings"
	"testing"
)

// TestStateResumesExactly stops each method halfway, saves its state, loads it
// into a fresh method, and checks that the rest of the path is bit for bit the
// one that an uninterrupted run takes.
func TestStateResumesExactly(t *testing.T) {
	rosen, _ := LookupFunction("rosenbrock")
	for _, c := range []struct {
		name string
		hp   map[string]float64
	}{
		{"sgd", map[string]float64{"lr": 1e-3}},
		{"momentum", map[string]float64{"lr": 1e-3}},
		{"nesterov", map[string]float64{"lr": 1e-3}},
		{"adagrad", map[string]float64{"lr": 0.1}},
		{"rmsprop", map[string]float64{"lr": 0.01, "momentum": 0.5, "centered": 1}},
		{"adam", map[string]float64{"lr": 0.05, "amsgrad": 1}},
		{"adamw", map[string]float64{"lr": 0.05}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := func(m Method[float64], x []float64, from, to int) {
				g := make([]float64, 2)
				for range to - from {
					g[0], g[1] = rosen.Grad(x[0], x[1])
					m.Step(x, g)
				}
			}
			whole, _ := New[float64](c.name, c.hp)
			want := []float64{-1.5, 2}
			path(whole, want, 0, 200)

			first, _ := New[float64](c.name, c.hp)
			x := []float64{-1.5, 2}
			path(first, x, 0, 100)
			saved, err := SaveState(first)
			if err != nil {
				t.Fatal(err)
			}
			second, _ := New[float64](c.name, c.hp)
			if err := LoadState(second, saved, 2); err != nil {
				t.Fatal(err)
			}
			path(second, x, 100, 200)
			if x[0] != want[0] || x[1] != want[1] {
				t.Errorf("%s resumed at step 100: x[200] = %v, want %v (uninterrupted)", c.name, x, want)
			}
		})
	}
}

func TestLoadStateRefusesMismatch(t *testing.T) {
	adam, _ := New[float32]("adam", nil)
	adam.Step(make([]float32, 3), []float32{1, 2, 3})
	saved, _ := SaveState(adam)
	sgd, _ := New[float32]("momentum", nil)
	for _, c := range []struct {
		m    Method[float32]
		data []byte
		n    int
		want string
	}{
		{sgd, saved, 3, `state is for "adam"`},
		{adam, saved, 4, "3 values, want 4"},
		{adam, saved[:len(saved)-2], 3, "truncated"},
		{adam, []byte("garbage"), 3, "not an optimizer state"},
	} {
		fresh, _ := New[float32](c.m.Name(), nil)
		err := LoadState(fresh, c.data, c.n)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.m.Name(), err, c.want)
		}
	}
}
