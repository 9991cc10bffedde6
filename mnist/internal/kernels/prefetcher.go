package kernels

// Prefetcher holds memory that a caller will need soon, and asks the CPU
// for it a few cache lines at a time between the micro-kernels of a
// product (SgemmPrefetch), so that it arrives while the product computes.
// Asking for much at once would stall: a core tracks only a few dozen
// lines in flight. The zero value is an empty queue; once it has grown,
// Add and Clear allocate nothing.
type Prefetcher struct {
	ranges [][]uint8
	r      int // the range being asked for
	off    int // its next byte
}

// Add queues b.
func (p *Prefetcher) Add(b []uint8) {
	if len(b) > 0 {
		p.ranges = append(p.ranges, b)
	}
}

// Clear empties the queue.
func (p *Prefetcher) Clear() {
	clear(p.ranges)
	p.ranges, p.r, p.off = p.ranges[:0], 0, 0
}

// lines is the number of 64-byte steps of the queue not yet asked for, as
// issue counts them.
func (p *Prefetcher) lines() int {
	n, off := 0, p.off
	for _, b := range p.ranges[min(p.r, len(p.ranges)):] {
		n += (len(b) - off + 63) / 64
		off = 0
	}
	return n
}

// issue asks for up to n more lines.
func (p *Prefetcher) issue(n int) {
	for n > 0 && p.r < len(p.ranges) {
		b := p.ranges[p.r]
		end := min(p.off+64*n, len(b))
		prefetch(b[p.off:end])
		n -= (end - p.off + 63) / 64
		if p.off = end; end == len(b) {
			p.r, p.off = p.r+1, 0
		}
	}
}

// maxLinesPerKernel bounds the lines asked for between two micro-kernels.
const maxLinesPerKernel = 16

// SgemmPrefetch is Sgemm that also asks for the memory queued in pf,
// spread over its micro-kernels (on the assembly paths; the portable path
// only multiplies). C is what Sgemm computes, bit for bit.
func SgemmPrefetch(pf *Prefetcher, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(pf, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
