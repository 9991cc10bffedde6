package mnist

import (
	"runtime"
	"syscall"
)

// lowerPriority locks the calling goroutine to its thread and gives the
// thread nice 10, so that the kernel runs training's threads first when the
// cores are busy. Linux keeps a nice value per thread. The goroutine must
// not unlock the thread: when it returns, the runtime ends the thread
// instead of handing a lowered thread to other goroutines.
func lowerPriority() {
	runtime.LockOSThread()
	syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 10)
}
