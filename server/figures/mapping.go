package figures

import (
	"fmt"
	"image"
	"math"

	"descent/optim"
)

// Domain is the rectangle [XMin, XMax] × [YMin, YMax] of the (x, y) plane
// that a surface image shows. Its JSON form is what the page sends when it
// zooms or pans.
type Domain struct {
	XMin float64 `json:"xMin"`
	XMax float64 `json:"xMax"`
	YMin float64 `json:"yMin"`
	YMax float64 `json:"yMax"`
}

// DomainOf returns the display window of fn, fn.Domain as a Domain.
func DomainOf(fn optim.Function) Domain {
	d := fn.Domain
	return Domain{XMin: d[0], XMax: d[1], YMin: d[2], YMax: d[3]}
}

// Validate returns an error unless every bound is finite and XMin < XMax,
// YMin < YMax.
func (d Domain) Validate() error {
	for _, v := range [...]float64{d.XMin, d.XMax, d.YMin, d.YMax} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("figures: domain %v is not finite", d)
		}
	}
	if !(d.XMin < d.XMax) || !(d.YMin < d.YMax) {
		return fmt.Errorf("figures: domain %v is empty; want xMin < xMax and yMin < yMax", d)
	}
	return nil
}

// String writes the domain as "[xmin, xmax] × [ymin, ymax]".
func (d Domain) String() string {
	return fmt.Sprintf("[%g, %g] × [%g, %g]", d.XMin, d.XMax, d.YMin, d.YMax)
}

// Contains reports whether (x, y) lies in the closed rectangle d.
func (d Domain) Contains(x, y float64) bool {
	return d.XMin <= x && x <= d.XMax && d.YMin <= y && y <= d.YMax
}

// ToPixel maps the point (x, y) of the domain to continuous image
// coordinates (px, py) in the data area of a surface image. This is the one
// mapping between the function's domain and the picture; the page implements
// exactly the same formula to draw trajectories over the image:
//
//	px = area.Min.X + (x − XMin) / (XMax − XMin) · area.Dx()
//	py = area.Min.Y + (YMax − y) / (YMax − YMin) · area.Dy()
//
// Image coordinates are those of a PNG and of an HTML canvas: the origin is
// the top-left corner of the image, x grows to the right and y grows down,
// while the data's y grows up (hence YMax − y). Coordinates are continuous:
// pixel (i, j) is the unit square [i, i+1) × [j, j+1), its centre is
// (i + ½, j + ½), and a point lands in pixel (⌊px⌋, ⌊py⌋). The corner
// (XMin, YMax) maps to area.Min, the corner (XMax, YMin) to area.Max.
// area is Surface.Plot; a page that shows the image scaled by s (CSS width
// over the PNG's width) multiplies px and py by s.
func (d Domain) ToPixel(x, y float64, area image.Rectangle) (px, py float64) {
	px = float64(area.Min.X) + (x-d.XMin)/(d.XMax-d.XMin)*float64(area.Dx())
	py = float64(area.Min.Y) + (d.YMax-y)/(d.YMax-d.YMin)*float64(area.Dy())
	return px, py
}

// FromPixel is the inverse of ToPixel:
//
//	x = XMin + (px − area.Min.X) / area.Dx() · (XMax − XMin)
//	y = YMax − (py − area.Min.Y) / area.Dy() · (YMax − YMin)
//
// The heat map's pixel (i, j) shows J at FromPixel(i + ½, j + ½).
func (d Domain) FromPixel(px, py float64, area image.Rectangle) (x, y float64) {
	x = d.XMin + (px-float64(area.Min.X))/float64(area.Dx())*(d.XMax-d.XMin)
	y = d.YMax - (py-float64(area.Min.Y))/float64(area.Dy())*(d.YMax-d.YMin)
	return x, y
}
