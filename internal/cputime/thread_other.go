//go:build !linux

package cputime

import "time"

// Thread is 0: the thread's CPU time is not measured here.
func Thread() time.Duration { return 0 }
