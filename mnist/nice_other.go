//go:build !linux

package mnist

// lowerPriority does nothing where thread priorities are not per thread.
func lowerPriority() {}
