package main

import "syscall"

// setNice sets the calling thread's niceness, as server/priority_linux.go
// does for a training run.
func setNice(nice int) {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), nice)
}
