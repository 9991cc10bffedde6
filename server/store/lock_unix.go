//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package store

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDir takes an exclusive flock(2) on dir/descent.lock and writes this
// process's id into it, so that a second descent on the same folder can say
// who holds it.
//
// Why a lock file beside SQLite's own locking: SQLite would let two processes
// share the store, and each would then mark the other's live runs
// "interrupted" at start. The flock is tied to the open file, so the kernel
// drops it when the process dies, even by kill -9: there is no stale lock to
// clean up after a crash. It is also per open file description, so a second
// Open of the same folder within one process is refused as well.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, explain(err, "opening", path)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid := readPID(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, newError(ErrLocked, err, "another descent is using %s (pid %s); stop it or pass --data-dir", dir, pid)
		}
		return nil, explain(err, "locking", path)
	}
	if err := writePID(f); err != nil {
		f.Close()
		return nil, explain(err, "writing", path)
	}
	return f, nil
}

// unlockDir clears the pid and drops the lock. The file stays: removing it
// would let a third process lock a new file while a second still waits on the
// old one.
func unlockDir(f *os.File) error {
	f.Truncate(0)
	return f.Close()
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// readPID returns the pid written in the lock file, or "unknown" while the
// holder has not written it yet.
func readPID(f *os.File) string {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 32))
	if s := strings.TrimSpace(string(b)); err == nil && s != "" {
		return s
	}
	return "unknown"
}
