// Package priority keeps the pages quick while the cores train and analyse.
package priority

import "runtime"

// Training must not delay the pages. A run trains flat out on one goroutine,
// and with as many runs as cores Go's scheduler would leave a page's reader,
// writer and predictions waiting in its queues for hundreds of milliseconds
// (a drawing's answer: p99 250 ms with 4 runs on 2 cores). Two measures keep
// the pages quick (p99 9 ms in the same setting, server's TestPredictBenchmark):
//
//   - spare Ps: GOMAXPROCS is at least the training runs plus pageProcs, so
//     that a page's goroutine always finds a P and the kernel shares the cores;
//   - a training goroutine keeps its own thread at a lower priority (nice
//     Training, Linux), so the kernel runs a page's thread first; heavy
//     analyses of a page (a Hessian, a loss landscape) run lower still
//     (Analysis), so that they never slow training.

const (
	// pageProcs are the Ps kept for everything but training.
	pageProcs = 2
	// Training is the niceness of a training thread: 10 gives it about a
	// tenth of the weight of a normal thread when both want a core.
	Training = 10
	// Analysis is the niceness of an analysis's thread: about a tenth of a
	// training thread's weight.
	Analysis = 19
)

// ReserveProcs raises GOMAXPROCS so that concurrent training runs leave
// pageProcs Ps free.
func ReserveProcs(concurrent int) {
	if want := concurrent + pageProcs; runtime.GOMAXPROCS(0) < want {
		runtime.GOMAXPROCS(want)
	}
}

// Lower moves the calling goroutine to its own thread at niceness nice, for
// good: the thread ends with the goroutine, since an unprivileged process
// cannot raise a thread's priority back.
func Lower(nice int) {
	runtime.LockOSThread()
	setNice(nice)
}
