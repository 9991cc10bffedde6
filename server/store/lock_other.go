//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package store

import (
	"os"
	"path/filepath"
)

// lockDir opens dir/descent.lock without locking it: this platform has no
// flock(2). SQLite's own locking still keeps the file consistent, but two
// descents on one folder are not refused here.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, explain(err, "opening", path)
	}
	return f, nil
}

func unlockDir(f *os.File) error { return f.Close() }
