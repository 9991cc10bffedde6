package mnist

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/floats"

	"descent/optim/spectrum"
)

// hessianReference is testdata/hessian_onestep.json: PyTorch's exact
// Hessian-vector products (double backprop) and ARPACK on the report's
// network with patternNet's weights, over the first 64 training images.
type hessianReference struct {
	Params int       `json:"params"`
	Top    []float64 `json:"top_eigenvalues"`
	Bottom []float64 `json:"bottom_eigenvalues"`
	Trace  struct {
		Probes int     `json:"probes"`
		Mean   float64 `json:"mean"`
		StdErr float64 `json:"stderr"`
	} `json:"trace_hutchinson"`
	Hv struct {
		Sum   float64   `json:"sum"`
		SumSq float64   `json:"sumsq"`
		First []float64 `json:"first"`
		Last  []float64 `json:"last"`
	} `json:"Hv"`
	VHV float64 `json:"vHv"`
}

func loadHessianReference(t *testing.T) hessianReference {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "hessian_onestep.json"))
	if err != nil {
		t.Fatalf("reference data not found: %v (testdata/README.md)", err)
	}
	var ref hessianReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// referenceHessian is the Hessian that the reference was computed for.
func referenceHessian(t *testing.T) (*Hessian[float64], hessianReference) {
	ref := loadHessianReference(t)
	train, _ := realData(t)
	h, err := NewHessian[float64](DefaultArch(), train, 64)
	if err != nil {
		t.Fatal(err)
	}
	h.SetParams(patternNet[float64]().Params)
	if h.Dim() != ref.Params {
		t.Fatalf("%d parameters, PyTorch has %d", h.Dim(), ref.Params)
	}
	return h, ref
}

func TestHVPAgainstPyTorch(t *testing.T) {
	h, ref := referenceHessian(t)
	n := h.Dim()
	v, hv := make([]float64, n), make([]float64, n)
	for i := range v {
		v[i] = math.Sin(float64(i + 1))
	}
	h.Apply(hv, v)
	const rel = 1e-12
	check := func(what string, got, want float64) {
		if !near(got, want, rel) {
			t.Errorf("%s = %.17g, want %.17g (PyTorch)", what, got, want)
		}
	}
	check("Σ (Hv)ᵢ", floats.Sum(hv), ref.Hv.Sum)
	check("Σ (Hv)ᵢ²", floats.Dot(hv, hv), ref.Hv.SumSq)
	check("vᵀHv", floats.Dot(v, hv), ref.VHV)
	for i, w := range ref.Hv.First {
		check("(Hv)[first]", hv[i], w)
	}
	for i, w := range ref.Hv.Last {
		check("(Hv)[last]", hv[n-len(ref.Hv.Last)+i], w)
	}
}

func TestEigenvaluesAgainstARPACK(t *testing.T) {
	h, ref := referenceHessian(t)
	ctx := context.Background()
	e, err := spectrum.Lanczos(ctx, h.Apply, h.Dim(), spectrum.LanczosOptions{K: 5, Bottom: 2, Tol: 1e-8, Seed: 1})
	if err != nil || !e.Converged {
		t.Fatalf("Lanczos: %v, converged %v after %d products", err, e.Converged, e.Products)
	}
	for i, w := range ref.Top {
		if math.Abs(e.Values[i]-w) > 1e-10*math.Abs(w) {
			t.Errorf("λ%d = %.15g, want %.15g (ARPACK)", i+1, e.Values[i], w)
		}
	}
	for i, w := range ref.Bottom {
		if math.Abs(e.Bottom[i]-w) > 1e-10*math.Abs(w) {
			t.Errorf("bottom λ%d = %.15g, want %.15g (ARPACK)", i+1, e.Bottom[i], w)
		}
	}
	// Power iteration, PyHessian's method, agrees on λmax.
	p, err := spectrum.PowerIteration(ctx, h.Apply, h.Dim(), spectrum.PowerOptions{Tol: 1e-5, MaxIter: 3000, Seed: 2})
	if err != nil || math.Abs(p.Value-e.Values[0]) > 1e-4*e.Values[0] {
		t.Errorf("power iteration λmax = %v after %d products (%v), Lanczos %v", p.Value, p.Products, err, e.Values[0])
	}
	t.Logf("Lanczos: %d products; power iteration: %d", e.Products, p.Products)
}

func TestTraceAgainstPyTorch(t *testing.T) {
	h, ref := referenceHessian(t)
	tr, err := spectrum.Hutchinson(context.Background(), h.Apply, h.Dim(), 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	se := math.Hypot(tr.StdErr, ref.Trace.StdErr)
	if math.Abs(tr.Mean-ref.Trace.Mean) > 3*se {
		t.Errorf("trace %v ± %v, PyTorch %v ± %v: more than 3 standard errors apart", tr.Mean, tr.StdErr, ref.Trace.Mean, ref.Trace.StdErr)
	}
	// Its spread per probe is PyTorch's: stderr·√probes.
	if a, b := tr.StdErr*math.Sqrt(1000), ref.Trace.StdErr*math.Sqrt(4000); math.Abs(a-b) > 0.15*b {
		t.Errorf("per-probe standard deviation %v, PyTorch's %v", a, b)
	}
}
