package mnist

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// Explanation is one image's trip through the network and back, a plain
// value that goes on the wire as it is (camelCase JSON). Layer l (0-based) is
// the report's layer l+1: Layers[0] holds z₁ = W₁x + b₁, and the last the
// logits. Arrays are float32: the training's precision, printed in JSON with
// the shortest digits that read back exactly (about 9 characters where
// float64 takes 18), and finer than any page shows.
type Explanation struct {
	Arch     Arch          `json:"arch"`
	Input    Grey          `json:"input"`    // (784) the grey levels u·255 the network was given, row-major 28×28
	Probs    []float64     `json:"probs"`    // (10) p = softmax(z)
	Top      int           `json:"top"`      // arg max p
	Class    int           `json:"class"`    // C, the class of the saliency
	Saliency []float32     `json:"saliency"` // (784) ∂ log p_C/∂u, u = grey/255 in [0, 1] (before x = (u − 0.1307)/0.3081)
	Label    int           `json:"label"`    // L, the label of the backward pass
	Loss     float64       `json:"loss"`     // J = −log p_L
	Layers   []LayerValues `json:"layers"`
}

// LayerValues are one layer's values for one example, forward and backward:
//
//	z = W a_{l−1} + b,  a = σ(z) (p = softmax(z) for the last layer),
//	δ_last = p − y,  ∂J/∂a_l = W_{l+1}ᵀ δ_{l+1},  δ_l = ∂J/∂a_l ⊙ σ′(z_l),
//	∂J/∂W_l = δ_l a_{l−1}ᵀ,  ∂J/∂b_l = δ_l,
//
// with y the one-hot label L and a_{−1} = x. ∂J/∂W is of rank one, so it is
// not stored: Explanation.GradW rebuilds it from δ and the layer's input.
type LayerValues struct {
	In         int       `json:"in"`              // width of a_{l−1}
	Out        int       `json:"out"`             // width of z
	Activation string    `json:"activation"`      // σ of the hidden layers, "softmax" for the last
	Z          []float32 `json:"z"`               // (out) pre-activations; the logits for the last layer
	A          []float32 `json:"a"`               // (out) σ(z), or p for the last layer
	Slope      []float32 `json:"slope,omitempty"` // (out) σ′(z), hidden layers only
	GradA      []float32 `json:"gradA,omitempty"` // (out) ∂J/∂a = W_{l+1}ᵀδ_{l+1}, hidden layers only
	Delta      []float32 `json:"delta"`           // (out) δ = ∂J/∂z = ∂J/∂b
	GradWNorm  float64   `json:"gradWNorm"`       // ‖∂J/∂W‖_F = ‖δ‖·‖a_{l−1}‖
}

// LayerInput returns a_{l−1}, the input of layer l: the normalised image
// x = (u − 0.1307)/0.3081 for the first layer.
func (e *Explanation) LayerInput(l int) []float32 {
	if l > 0 {
		return e.Layers[l-1].A
	}
	x := make([]float32, len(e.Input))
	for i, u := range e.Input {
		x[i] = float32((float64(u)/255 - Mean) / Std)
	}
	return x
}

// GradW returns ∂J/∂W_l = δ_l a_{l−1}ᵀ, (out, in) row-major as W_l is. For
// the first layer row j is the unit's 28×28 tile: the input x scaled by δ₁ⱼ.
func (e *Explanation) GradW(l int) []float32 {
	d, in := e.Layers[l].Delta, e.LayerInput(l)
	g := make([]float32, len(d)*len(in))
	for j, dj := range d {
		row := g[j*len(in) : (j+1)*len(in)]
		for i, a := range in {
			row[i] = dj * a
		}
	}
	return g
}

// GradWImage returns ∂J/∂W_l as signed bytes with one scale for the whole
// matrix. A row-by-row scale, as the weights view uses, would draw every tile
// of a rank-one gradient as the same picture up to its sign.
func (e *Explanation) GradWImage(l int) Signed {
	return SignedBytes(e.GradW(l), e.Layers[l].Out, e.Layers[l].In)
}

// SaliencyImage returns the saliency as a 28×28 signed image.
func (e *Explanation) SaliencyImage() Signed { return SignedBytes(e.Saliency, Rows, Cols) }

// Signed is a signed array drawn as bytes: pixel = 128 + round(127·v/Scale)
// with Scale = max|v|, so that 128 is zero, 255 the largest positive value and
// 1 the most negative; all 128 when every value is 0. Pixels is base64 in
// JSON, a quarter of the size of the numbers as float32 text.
type Signed struct {
	Rows   int     `json:"rows"`
	Cols   int     `json:"cols"`
	Pixels []byte  `json:"pixels"` // rows × cols, row-major
	Scale  float64 `json:"scale"`  // max|v|
}

// SignedBytes quantises v, (rows, cols), into a Signed image.
func SignedBytes(v []float32, rows, cols int) Signed {
	s := Signed{Rows: rows, Cols: cols, Pixels: make([]byte, len(v))}
	for _, x := range v {
		s.Scale = max(s.Scale, math.Abs(float64(x)))
	}
	for i, x := range v {
		q := 0.0
		if s.Scale > 0 {
			q = math.Round(127 * float64(x) / s.Scale)
		}
		s.Pixels[i] = byte(128 + q)
	}
	return s
}

// Grey is an image's grey levels 0–255. In JSON it is an array of numbers,
// not base64 as a []byte would be, so that a script reads it as it reads
// probs.
type Grey []uint8

// MarshalJSON writes the grey levels as an array of numbers.
func (g Grey) MarshalJSON() ([]byte, error) {
	if g == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 4*len(g)+2)
	b = append(b, '[')
	for i, v := range g {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, uint64(v), 10)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads an array of numbers 0 to 255.
func (g *Grey) UnmarshalJSON(b []byte) error {
	var v []int
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("mnist: grey levels: %w", err)
	}
	if v == nil {
		*g = nil
		return nil
	}
	out := make(Grey, len(v))
	for i, x := range v {
		if x < 0 || x > 255 {
			return fmt.Errorf("mnist: grey level %d is %d, want 0 to 255", i, x)
		}
		out[i] = uint8(x)
	}
	*g = out
	return nil
}
