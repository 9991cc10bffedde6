//go:build !linux

package main

// setNice does nothing where threads have no niceness of their own.
func setNice(int) {}
