//go:build !linux

package priority

// setNice does nothing where threads have no priority of their own that an
// unprivileged process may lower.
func setNice(int) {}
