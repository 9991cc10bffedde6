package kernels

import "sync"

// workspace is a reusable scratch buffer (packed panels). Buffers live in
// a sync.Pool, so concurrent calls never share one and a caller repeating
// the same shapes allocates nothing in steady state.
type workspace struct{ buf []float32 }

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

// getWorkspace returns a workspace whose buffer holds at least n floats.
// Release it with putWorkspace.
func getWorkspace(n int) *workspace {
	w := workspaces.Get().(*workspace)
	if cap(w.buf) < n {
		w.buf = make([]float32, n+n/4) // some headroom for nearby shapes
	}
	w.buf = w.buf[:cap(w.buf)]
	return w
}

func putWorkspace(w *workspace) { workspaces.Put(w) }
