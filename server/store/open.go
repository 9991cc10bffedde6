// Package store keeps Descent's runs in SQLite: each run's settings and status,
// every step's metrics at full resolution, each epoch's evaluation, and the
// weights with the optimizer's state at every epoch end. Sweeps are groups of
// runs.
//
// The driver is modernc.org/sqlite, a translation of SQLite to Go, so the
// binary needs no cgo. The file lives in one data folder (--data-dir), locked
// against a second descent. The journal is a write-ahead log with
// synchronous=NORMAL: a commit does not wait for fsync, yet a crash of the
// process (kill -9 included) loses nothing that was committed and never
// damages the file. Only a power cut can lose the last commits, and even then
// the file stays consistent.
//
// Steps arrive far faster than a disk should be asked to commit, so the
// training path never writes: AddStep and AddEpoch append to memory, and one
// goroutine commits everything waiting in one transaction about every second
// (see writer.go).
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

const (
	fileName = "descent.db"   // the database, in the data folder
	lockName = "descent.lock" // flock'd while a descent uses the folder

	// busyTimeoutMS bounds how long a statement waits for SQLite's file lock.
	// The flock keeps other processes out and this process writes through one
	// connection, so the only waits left are readers meeting a WAL checkpoint,
	// which take milliseconds. A long wait would hide a bug, so it is short.
	busyTimeoutMS = 1000

	// readConns is how many connections serve reads. In WAL mode readers never
	// wait for the writer, so a page that loads several curves loads them at
	// once.
	readConns = 4
)

// sqliteMagic opens every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Store is an open data folder. Its methods are safe for concurrent use.
type Store struct {
	dir, path string
	lock      *os.File
	wdb       *sql.DB // one connection: every write, in order
	rdb       *sql.DB // readConns query-only connections
	w         *writer

	closeOnce sync.Once
	closeErr  error
}

// options are the knobs that tests turn; Open uses defaultOptions.
type options struct {
	migrations []migration
	flushEvery time.Duration // how long metrics wait in memory at most
	maxPending int64         // bytes of metrics that may wait before AddStep refuses
}

func defaultOptions() options {
	return options{migrations: migrations, flushEvery: time.Second, maxPending: 256 << 20}
}

// Open opens the store in dir, creating the folder (mode 0700) and the database
// as needed, and migrates an older schema to this build's.
//
// Open refuses, with an error that says what to do and wraps ErrCorrupt,
// ErrLocked, ErrNewerSchema, ErrReadOnly or ErrDiskFull, a folder that another
// descent is using, a file that is not a SQLite database or fails quick_check,
// a SQLite database that is not a descent store, a schema newer than this
// build's, a folder or file it cannot write, or a full disk. It never replaces
// or empties a file it cannot use. quick_check reads the whole file, about a
// second per few hundred megabytes.
func Open(ctx context.Context, dir string) (*Store, error) {
	return open(ctx, dir, defaultOptions())
}

func open(ctx context.Context, dir string, o options) (_ *Store, err error) {
	if dir == "" {
		return nil, errors.New("store: no data folder given; pass --data-dir")
	}
	if dir, err = filepath.Abs(dir); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, explain(err, "creating", dir)
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	s := &Store{dir: dir, path: filepath.Join(dir, fileName), lock: lock}
	defer func() {
		if err != nil {
			s.closeDBs()
			unlockDir(lock)
		}
	}()
	if err := probeDir(dir); err != nil {
		return nil, err
	}
	state, err := checkFile(s.path)
	if err != nil {
		return nil, err
	}
	if s.wdb, err = openWriter(s.path, state); err != nil {
		return nil, err
	}
	if err := s.checkSchema(ctx, o.migrations); err != nil {
		return nil, err
	}
	if err := migrate(ctx, s.wdb, o.migrations); err != nil {
		return nil, explain(err, "migrating", s.path)
	}
	if s.rdb, err = openReader(s.path); err != nil {
		return nil, err
	}
	s.w = newWriter(s, o)
	return s, nil
}

// Dir returns the absolute path of the data folder.
func (s *Store) Dir() string { return s.dir }

// Close commits the metrics still in memory, closes the database and drops the
// folder's lock. It reports metrics that could not be committed. Calling it
// again returns the first call's result.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		errs := []error{s.w.close()}
		errs = append(errs, s.closeDBs(), unlockDir(s.lock))
		s.closeErr = errors.Join(errs...)
	})
	return s.closeErr
}

func (s *Store) closeDBs() error {
	var errs []error
	for _, db := range []*sql.DB{s.rdb, s.wdb} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

// DefaultDir is the per-user data folder: $XDG_DATA_HOME/descent, else
// ~/.local/share/descent; on macOS and Windows the folder os.UserConfigDir
// names there (~/Library/Application Support, %AppData%), plus "descent".
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "descent"), nil
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		d, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("store: no per-user data folder (%v); pass --data-dir", err)
		}
		return filepath.Join(d, "descent"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("store: no home folder (%v); pass --data-dir", err)
	}
	return filepath.Join(home, ".local", "share", "descent"), nil
}

// checkSchema refuses a database that is damaged, newer than this build, or not
// a descent store.
func (s *Store) checkSchema(ctx context.Context, steps []migration) error {
	have, err := userVersion(ctx, s.wdb)
	if err != nil {
		return explain(err, "opening", s.path)
	}
	if latest := steps[len(steps)-1].Version; have > latest {
		return newError(ErrNewerSchema, nil, "%s was written by a newer descent (schema version %d, this build knows %d); "+
			"upgrade descent, or pass --data-dir to use another folder", s.path, have, latest)
	}
	var check string
	if err := s.wdb.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&check); err != nil {
		return explain(err, "checking", s.path)
	}
	if check != "ok" {
		return newError(ErrCorrupt, nil, "%s is damaged (quick_check: %s); "+
			"move it aside (it is left as it is) or pass --data-dir to use another folder",
			s.path, strings.ReplaceAll(check, "\n", "; "))
	}
	if have > 0 {
		return nil
	}
	var tables int
	if err := s.wdb.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return explain(err, "opening", s.path)
	}
	if tables > 0 {
		return newError(ErrCorrupt, nil, "%s is a SQLite database but not a descent store; "+
			"move it aside or pass --data-dir to use another folder", s.path)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check over the whole file and returns
// nil when SQLite answers "ok", or an error wrapping ErrCorrupt that quotes
// its first findings.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.rdb.QueryContext(ctx, "PRAGMA integrity_check(10)")
	if err != nil {
		return explain(err, "checking", s.path)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return explain(err, "checking", s.path)
		}
		found = append(found, line)
	}
	if err := rows.Err(); err != nil {
		return explain(err, "checking", s.path)
	}
	if len(found) == 1 && found[0] == "ok" {
		return nil
	}
	return newError(ErrCorrupt, nil, "%s fails integrity_check: %q", s.path, found)
}
