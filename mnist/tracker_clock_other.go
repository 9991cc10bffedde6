//go:build !linux

package mnist

import "time"

// threadCPU is not available here: the tracker counts its wall time, which
// on a shared core overstates its cost, so that it measures less often.
func threadCPU() (time.Duration, bool) { return 0, false }
