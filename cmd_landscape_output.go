package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"descent/mnist"
	"descent/server/figures"
)

// jnum is a number in the JSON output, null when it is not finite (a loss
// that overflowed far from the centre).
type jnum float64

func (v jnum) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(v), 'g', -1, 64), nil
}

func jgrid(g [][]float64) [][]jnum {
	out := make([][]jnum, len(g))
	for j, row := range g {
		out[j] = make([]jnum, len(row))
		for i, v := range row {
			out[j][i] = jnum(v)
		}
	}
	return out
}

// landscapeJSON is what --json prints. "path" is [[a, b, step], …] and
// "offPlane" each path point's distance from the plane, ‖θ − c − a·X − b·Y‖;
// "explained" the share of the path that lies along each direction. A
// sweep has "paths" instead, one per run, and "explained" is their mean.
type landscapeJSON struct {
	Plane          string      `json:"plane"`
	A              []float64   `json:"a"`
	B              []float64   `json:"b"`
	Loss           [][]jnum    `json:"loss"`
	Accuracy       [][]jnum    `json:"accuracy"`
	TestLoss       [][]jnum    `json:"testLoss,omitempty"`
	Center         jnum        `json:"center"`
	CenterAccuracy jnum        `json:"centerAccuracy"`
	Examples       int         `json:"examples"`
	TestExamples   int         `json:"testExamples,omitempty"`
	Seconds        float64     `json:"seconds"`
	Path           [][3]jnum   `json:"path,omitempty"`
	OffPlane       []jnum      `json:"offPlane,omitempty"`
	Explained      []float64   `json:"explained,omitempty"`
	Paths          []trackJSON `json:"paths,omitempty"` // --sweep: each run's path
}

// trackJSON is one run's path in a sweep's JSON.
type trackJSON struct {
	Label     string    `json:"label"`
	Path      [][3]jnum `json:"path"`
	OffPlane  []jnum    `json:"offPlane"`
	Explained []float64 `json:"explained"`
}

// trackOf returns track k of a projection in JSON form.
func trackOf(pr *mnist.Projection, k int, label string) trackJSON {
	t := trackJSON{Label: label, Explained: pr.Explained[k][:]}
	for _, p := range pr.Tracks[k] {
		t.Path = append(t.Path, [3]jnum{jnum(p.A), jnum(p.B), jnum(p.Step)})
		t.OffPlane = append(t.OffPlane, jnum(p.Dist))
	}
	return t
}

// write prints the slice as JSON or as a summary.
func (job *landscapeJob) write(f *landscapeFlags, w io.Writer) error {
	sl := job.slice
	if !f.json {
		return job.summary(f, w)
	}
	out := landscapeJSON{Plane: f.plane, A: sl.A, B: sl.B, Loss: jgrid(sl.Loss), Accuracy: jgrid(sl.Accuracy),
		Center: jnum(sl.Center), CenterAccuracy: jnum(sl.CenterAccuracy), Examples: sl.Examples, Seconds: sl.Seconds}
	if sl.TestLoss != nil {
		out.TestLoss, out.TestExamples = jgrid(sl.TestLoss), sl.TestExamples
	}
	switch pr := job.proj; {
	case pr != nil && f.sweep == "":
		t := trackOf(pr, 0, "")
		out.Path, out.OffPlane, out.Explained = t.Path, t.OffPlane, t.Explained
	case pr != nil:
		out.Explained = pr.Plane.Explained[:]
		for k, label := range job.labels {
			out.Paths = append(out.Paths, trackOf(pr, k, label))
		}
	}
	enc := json.NewEncoder(w)
	return enc.Encode(out)
}

// summary prints the slice's centre, lowest and highest points.
func (job *landscapeJob) summary(f *landscapeFlags, w io.Writer) error {
	sl := job.slice
	d := job.domain
	fmt.Fprintf(w, "Loss landscape of %s (%s) on a %s plane: %d×%d over [%.3g, %.3g] × [%.3g, %.3g], %d training images\n",
		job.plane.Arch, job.source, f.plane, f.grid, f.grid, d[0], d[1], d[2], d[3], sl.Examples)
	lo, hi := [3]float64{math.Inf(1)}, [3]float64{math.Inf(-1)}
	for j, row := range sl.Loss {
		for i, v := range row {
			if v < lo[0] {
				lo = [3]float64{v, sl.A[i], sl.B[j]}
			}
			if v > hi[0] {
				hi = [3]float64{v, sl.A[i], sl.B[j]}
			}
		}
	}
	fmt.Fprintf(w, "centre L(θ) = %.4f (accuracy %.2f %%); lowest %.4f at (%.3g, %.3g); highest %.4g at (%.3g, %.3g)\n",
		sl.Center, 100*sl.CenterAccuracy, lo[0], lo[1], lo[2], hi[0], hi[1], hi[2])
	if sl.TestLoss != nil {
		fmt.Fprintf(w, "centre on %d test images: %.4f (accuracy %.2f %%)\n", sl.TestExamples, sl.TestCenter, 100*sl.TestCenterAccuracy)
	}
	if pr := job.proj; pr != nil {
		for k, tr := range pr.Tracks {
			ex := pr.Explained[k]
			far := 0.0
			for _, p := range tr {
				far = max(far, p.Dist)
			}
			fmt.Fprintf(w, "path of %s: %d points, reaching %.3g from the centre; the plane holds %.1f %% + %.1f %% of it; "+
				"the farthest point is %.3g off the plane (%.0f %% of the reach)\n",
				job.labels[k], len(tr), pathReach(tr), 100*ex[0], 100*ex[1], far, 100*far/pathReach(tr))
		}
	}
	_, err := fmt.Fprintf(w, "%.2f s\n", sl.Seconds)
	return err
}

// figure draws the slice into f.out.
func (job *landscapeJob) figure(f *landscapeFlags) error {
	sl := job.slice
	ls := figures.Landscape{A: sl.A, B: sl.B, Loss: sl.Loss}
	ko := f.lang == "ko"
	if job.proj == nil {
		ls.XLabel, ls.YLabel = "δ (filter-normalised random direction)", "η (filter-normalised random direction)"
		if ko {
			ls.XLabel, ls.YLabel = "δ (필터 정규화 무작위 방향)", "η (필터 정규화 무작위 방향)"
		}
		ls.Current = [][2]float64{{0, 0}}
	} else {
		ex := job.proj.Plane.Explained
		of := "the path"
		if len(job.proj.Tracks) > 1 {
			of = "each path, on average"
		}
		ls.XLabel, ls.YLabel = fmt.Sprintf("PC1 (%.0f %% of %s)", 100*ex[0], of), fmt.Sprintf("PC2 (%.0f %%)", 100*ex[1])
		if ko {
			ls.XLabel, ls.YLabel = fmt.Sprintf("PC1 (경로의 %.0f %%)", 100*ex[0]), fmt.Sprintf("PC2 (%.0f %%)", 100*ex[1])
		}
		for k, tr := range job.proj.Tracks {
			ls.Paths = append(ls.Paths, pathOnFigure(job.labels[k], tr))
			ls.Current = append(ls.Current, [2]float64{tr[len(tr)-1].A, tr[len(tr)-1].B})
		}
	}
	caption := fmt.Sprintf("%s; %d×%d grid, %d training images", job.caption, f.grid, f.grid, sl.Examples)
	fig, err := figures.LandscapeFigure(ls, figures.Meta{Lang: f.lang, Caption: caption, CaptionEN: caption})
	if err != nil {
		return err
	}
	out, err := os.Create(f.out)
	if err != nil {
		return err
	}
	format := f.format()
	err = figures.Encode(out, fig, format, figures.DefaultWidth*2, figures.DefaultHeight*2, format == "png")
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// pathOnFigure turns projected points into a figure's path, each point's
// distance from the plane as a share of the path's reach, the largest
// ‖θᵢ − c‖: a point that is off the plane by a good part of the picture
// fades, while the small moves near the centre, which point anywhere, do not
// fade the whole end of the path.
func pathOnFigure(label string, pts []mnist.PathPoint) figures.LandscapePath {
	p := figures.LandscapePath{Label: label}
	reach := pathReach(pts)
	for _, q := range pts {
		p.Points = append(p.Points, [2]float64{q.A, q.B})
		p.Steps = append(p.Steps, q.Step)
		off := 0.0
		if reach > 0 {
			off = q.Dist / reach
		}
		p.Off = append(p.Off, off)
	}
	return p
}

// pathReach is the largest distance of a path's points from the centre.
func pathReach(pts []mnist.PathPoint) float64 {
	reach := 0.0
	for _, q := range pts {
		reach = max(reach, q.Norm)
	}
	return reach
}
