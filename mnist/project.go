package mnist

import (
	"math"
)

// Project returns θ's place on the plane: the (a, b) that minimise
// ‖θ − Origin − a·X − b·Y‖, that distance from the plane, and ‖θ − Origin‖.
// With v = θ − Origin they solve the normal equations
//
//	⎡X·X  X·Y⎤ ⎡a⎤   ⎡v·X⎤
//	⎣X·Y  Y·Y⎦ ⎣b⎦ = ⎣v·Y⎦,
//
// which for a PCA plane (X and Y orthonormal) is a = v·X, b = v·Y, as
// PathPlane projects; a random plane's filter-normalised directions are
// neither unit nor exactly orthogonal, so the 2×2 system is solved. A line
// (Y nil) has b = 0. Sums are float64.
func (p *Plane) Project(theta []float32, step int) PathPoint {
	var vx, vy, xx, xy, yy, vv float64
	for i, o := range p.Origin {
		v := float64(theta[i]) - o
		x := p.X[i]
		vx, xx, vv = vx+v*x, xx+x*x, vv+v*v
		if p.Y != nil {
			y := p.Y[i]
			vy, xy, yy = vy+v*y, xy+x*y, yy+y*y
		}
	}
	pt := PathPoint{Step: step, Norm: math.Sqrt(vv)}
	switch det := xx*yy - xy*xy; {
	case p.Y != nil && det > 1e-12*xx*yy:
		pt.A, pt.B = (vx*yy-vy*xy)/det, (vy*xx-vx*xy)/det
	case xx > 0:
		pt.A = vx / xx
	}
	// ‖v − a·X − b·Y‖² = v·v − 2a·v·X − 2b·v·Y + a²·X·X + 2ab·X·Y + b²·Y·Y,
	// which cancels badly for a point close to the plane: sum it directly.
	var r2 float64
	for i, o := range p.Origin {
		d := float64(theta[i]) - o - pt.A*p.X[i]
		if p.Y != nil {
			d -= pt.B * p.Y[i]
		}
		r2 += d * d
	}
	pt.Dist = math.Sqrt(r2)
	return pt
}

// ProjectPath returns the points of path after step after (θ₀ at step 0
// when after < 0) projected on the plane with Project, in step order. The
// path may go on growing: the points are those kept when it is called.
func (p *Plane) ProjectPath(path *Path, after int) []PathPoint {
	var out []PathPoint
	if after < 0 {
		out = append(out, p.Project(path.origin, 0))
	}
	for _, s := range path.Snapshots() {
		if s.Step > after {
			out = append(out, p.Project(s.Weights(path.arch, path.origin), s.Step))
		}
	}
	return out
}

// Weights copies the network's current weights, in the slab layout, into
// dst (grown as needed) and returns it. It reads the weights that training
// writes, so it may only be called from a hook, on the training goroutine
// between steps, or after Run has returned.
func (t *Trainer) Weights(dst []float32) []float32 {
	return append(dst[:0], t.net.Params...)
}
