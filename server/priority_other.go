//go:build !linux

package server

// setNice does nothing where threads have no priority of their own that an
// unprivileged process may lower.
func setNice(int) {}
