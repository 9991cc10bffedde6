package main

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"

	"descent/mnist"
)

// salientPixels is how many of the largest saliency values the summary lists.
const salientPixels = 8

// summary prints an explanation for a reader: the model and the image, the
// top classes, the loss of the label, the largest saliency values with a map,
// and every layer's norms.
func summary(w io.Writer, path string, m *mnist.Model, src source, ex *mnist.Explanation) error {
	fmt.Fprintf(w, "model: %s, %s%s\n", path, m.Arch, meta(m.Meta))
	fmt.Fprintf(w, "image: %s", src.what)
	if src.testLabel >= 0 {
		fmt.Fprintf(w, " (the set's label: %d)", src.testLabel)
	}
	fmt.Fprintf(w, "\ntop classes:")
	order := make([]int, mnist.Classes)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ex.Probs[b], ex.Probs[a]) })
	for _, c := range order[:3] {
		fmt.Fprintf(w, "  %d (%.2f%%)", c, 100*ex.Probs[c])
	}
	fmt.Fprintf(w, "\nbackward pass for the label L = %d: J = −log p_%d = %.6g\n", ex.Label, ex.Label, ex.Loss)
	saliency(w, ex)
	return layers(w, ex)
}

// meta writes how the model was trained, when the file says.
func meta(mm mnist.ModelMeta) string {
	var parts []string
	if mm.Optimizer != "" {
		parts = append(parts, fmt.Sprintf("%s, lr %g", mm.Optimizer, mm.LR))
	}
	if mm.Epochs > 0 {
		parts = append(parts, fmt.Sprintf("%d epochs", mm.Epochs))
	}
	if mm.TestAccuracy > 0 {
		parts = append(parts, fmt.Sprintf("test accuracy %.2f%%", 100*mm.TestAccuracy))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// saliency lists the largest |∂ log p_C/∂u| and draws the map: + where more
// ink raises p_C, − where it lowers it (values of at least a quarter of the
// largest), · for the other inked pixels.
func saliency(w io.Writer, ex *mnist.Explanation) {
	idx := make([]int, len(ex.Saliency))
	for i := range idx {
		idx[i] = i
	}
	abs := func(i int) float64 { return math.Abs(float64(ex.Saliency[i])) }
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(abs(b), abs(a)) })
	fmt.Fprintf(w, "saliency ∂ log p_%d/∂u (u = grey/255), the %d largest |values| at (row, column):\n", ex.Class, salientPixels)
	for _, i := range idx[:salientPixels] {
		s := ex.Saliency[i]
		effect := "raises"
		if s < 0 {
			effect = "lowers"
		}
		fmt.Fprintf(w, "  (%2d, %2d) %+.4g: more ink %s p_%d\n", i/mnist.Cols, i%mnist.Cols, s, effect, ex.Class)
	}
	peak := abs(idx[0])
	fmt.Fprintf(w, "map (+ raises p_%d, - lowers it, · ink):\n", ex.Class)
	for r := range mnist.Rows {
		var b strings.Builder
		b.WriteString("  ")
		for c := range mnist.Cols {
			i := r*mnist.Cols + c
			s := float64(ex.Saliency[i])
			switch {
			case peak > 0 && s >= peak/4:
				b.WriteByte('+')
			case peak > 0 && s <= -peak/4:
				b.WriteByte('-')
			case ex.Input[i] >= 128:
				b.WriteString("·")
			default:
				b.WriteByte(' ')
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// layers prints every layer's shape and norms.
func layers(w io.Writer, ex *mnist.Explanation) error {
	fmt.Fprintf(w, "layers (Euclidean norms; δ = ∂J/∂z = ∂J/∂b, ∂J/∂W = δaᵀ):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  layer\tshape\tσ\t‖z‖\t‖a‖\t‖δ‖\t‖∂J/∂W‖")
	for l, lv := range ex.Layers {
		fmt.Fprintf(tw, "  %d\t%d→%d\t%s\t%.4g\t%.4g\t%.4g\t%.4g\n", l+1, lv.In, lv.Out, lv.Activation,
			norm32(lv.Z), norm32(lv.A), norm32(lv.Delta), lv.GradWNorm)
	}
	return tw.Flush()
}

func norm32(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}
