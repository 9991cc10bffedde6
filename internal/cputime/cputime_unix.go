//go:build unix

// Package cputime reads the CPU time the process has used, for benchmarks
// that report it beside the wall time on a machine that others share.
package cputime

import (
	"syscall"
	"time"
)

// Process is the CPU time this process has used, user and system.
func Process() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
