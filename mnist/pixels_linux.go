package mnist

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePage is the size of a transparent huge page on linux/amd64 and arm64.
const hugePage = 2 << 20

// allocPixels returns n zero bytes for a dataset's pixels, aligned to huge
// pages and marked for them (madvise MADV_HUGEPAGE) before they are
// written, so that the kernel backs them with 2 MiB pages where it can. A
// minibatch reads 64 images at random from 47 MB: with 4 KiB pages each is
// a TLB miss, and in a virtual machine a miss walks two page tables. The
// advice is only a hint; without it the pixels are the same.
func allocPixels(n int) []uint8 {
	if n < 2*hugePage {
		return make([]uint8, n)
	}
	buf := make([]uint8, n+hugePage)
	off := int(-uintptr(unsafe.Pointer(unsafe.SliceData(buf))) & (hugePage - 1))
	pixels := buf[off : off+n : off+n]
	_ = unix.Madvise(pixels[:n&^(hugePage-1)], unix.MADV_HUGEPAGE)
	return pixels
}
