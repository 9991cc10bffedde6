package priority

import "syscall"

// setNice sets the calling thread's niceness; on Linux, PRIO_PROCESS with a
// thread id acts on that thread alone. Failure only costs latency.
func setNice(nice int) {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), nice)
}
