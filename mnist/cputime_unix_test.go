//go:build unix

package mnist

import "syscall"

// cpuSeconds is the process's user + system CPU time so far: on a shared
// machine a steadier measure of a one-goroutine benchmark than wall time.
func cpuSeconds() float64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return float64(u.Utime.Sec+u.Stime.Sec) + float64(u.Utime.Usec+u.Stime.Usec)/1e6
}
