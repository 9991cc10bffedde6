package store

import (
	"errors"
	"fmt"
	"syscall"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Kinds of failure, for errors.Is. The errors that Open and the writer return
// wrap one of these and carry their own message, which names the path and says
// what to do about it.
var (
	ErrNotFound    = errors.New("store: not found")
	ErrLocked      = errors.New("store: in use by another process")
	ErrCorrupt     = errors.New("store: not a database, or damaged")
	ErrNewerSchema = errors.New("store: written by a newer descent")
	ErrReadOnly    = errors.New("store: read-only")
	ErrDiskFull    = errors.New("store: disk full")
	ErrBacklog     = errors.New("store: too many metrics waiting for the disk")
	ErrClosed      = errors.New("store: closed")
)

// kindError is an error with a message for people and a kind for programs.
type kindError struct {
	kind  error
	msg   string
	cause error
}

func (e *kindError) Error() string { return e.msg }

func (e *kindError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// newError builds a kindError whose message is "store: " and the formatted text.
func newError(kind, cause error, format string, args ...any) error {
	return &kindError{kind: kind, cause: cause, msg: "store: " + fmt.Sprintf(format, args...)}
}

// sqliteCode returns the primary SQLite result code inside err, or 0. The
// driver reports extended codes (SQLITE_READONLY_DBMOVED and so on), whose low
// byte is the primary one.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() & 0xff
	}
	return 0
}

// kindOf sorts an error from SQLite or the operating system into one of the
// kinds above, or returns nil when it is none of them.
func kindOf(err error) error {
	switch sqliteCode(err) {
	case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
		return ErrCorrupt
	case sqlite3.SQLITE_FULL:
		return ErrDiskFull
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		return ErrReadOnly
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return ErrLocked
	}
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return ErrDiskFull
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		return ErrReadOnly
	}
	return nil
}

// explain turns a failure while opening or writing dir's store into an error
// that says what to do. doing says what was going on ("opening", "writing
// steps to"); path is the file or folder concerned.
func explain(err error, doing, path string) error {
	var ke *kindError
	if errors.As(err, &ke) {
		return err // already explained
	}
	switch kindOf(err) {
	case ErrCorrupt:
		return newError(ErrCorrupt, err, "%s is not a descent store or is damaged (%v); "+
			"move it aside (it is left as it is) or pass --data-dir to use another folder", path, err)
	case ErrDiskFull:
		return newError(ErrDiskFull, err, "disk full while %s %s (%v); free some space or pass --data-dir", doing, path, err)
	case ErrReadOnly:
		return newError(ErrReadOnly, err, "%s is read-only (%v); fix its permissions or pass --data-dir", path, err)
	case ErrLocked:
		return newError(ErrLocked, err, "%s is locked by another program (%v); stop it or pass --data-dir", path, err)
	}
	return fmt.Errorf("store: %s %s: %w", doing, path, err)
}
