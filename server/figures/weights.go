package figures

import (
	"fmt"

	"descent/server/figures/internal/plotkit"
)

// tileSide is the side of a tile: an MNIST image is 28 × 28.
const tileSide = 28

// WeightsFigure draws the first layer's weights W₁ (hidden × 784, row-major,
// each row one hidden unit's weights on the 28 × 28 input) as a grid of
// tiles, one per hidden unit, about square. Each tile is scaled to its own
// largest |w| and coloured on the page's diverging map (plotkit.Mosaic),
// blue below 0, white at 0 and orange above, so that every unit's pattern
// shows whatever its magnitude; red is kept for divergence.
func WeightsFigure(w []float32, hidden int, m Meta) (*Figure, error) {
	if hidden <= 0 || len(w) != hidden*tileSide*tileSide {
		return nil, fmt.Errorf("figures: weights: got %d values for %d hidden units; want hidden × 784", len(w), hidden)
	}
	l := newLang(m)
	if l.meta.Caption == "" {
		l.meta.Caption = l.weightsNote
	} else {
		l.meta.Caption = l.weightsNote + ". " + l.meta.Caption
	}
	f := newFigure(l, l.title(l.weightsTitle), "", "")
	f.Plot.HideAxes()
	f.Plot.Add(plotkit.AspectImage{Img: plotkit.Mosaic(w, hidden, tileSide)})
	return f, nil
}
