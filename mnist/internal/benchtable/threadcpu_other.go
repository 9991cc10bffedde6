//go:build !linux

package main

import "time"

// threadCPU is 0: the thread's CPU time is not measured here.
func threadCPU() time.Duration { return 0 }
