package store

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
)

// probeDir creates and removes a one-byte file in dir, so that a read-only
// folder or a full disk is reported before SQLite meets it in a less clear way.
func probeDir(dir string) error {
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return explain(err, "writing to", dir)
	}
	defer os.Remove(f.Name())
	_, err = f.Write([]byte{0})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return explain(err, "writing to", dir)
	}
	return nil
}

// fileState is what checkFile found at the database's path.
type fileState int

const (
	fileMissing  fileState = iota // SQLite will create it
	fileEmpty                     // a new database to SQLite
	fileExisting                  // begins as a SQLite database does
)

// checkFile refuses a database file that this process cannot write or that
// is not a SQLite database, and otherwise says what is there.
func checkFile(path string) (fileState, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return fileMissing, nil
	}
	if err != nil {
		return 0, explain(err, "opening", path)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if n == 0 && err == io.EOF {
		return fileEmpty, nil
	}
	if err != nil || !bytes.Equal(head, sqliteMagic) {
		return 0, newError(ErrCorrupt, nil, "%s is not a SQLite database; "+
			"move it aside (it is left as it is) or pass --data-dir to use another folder", path)
	}
	return fileExisting, nil
}

// openWriter opens path for writing through one connection whose write
// transactions take SQLite's lock at BEGIN. For an existing file, mode=rw
// makes SQLite fail rather than create a new file if it has gone, and
// auto_vacuum is left alone: setting it rewrites the header even when
// unchanged, and a file that is about to be refused must stay as it was.
func openWriter(path string, state fileState) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "rwc")
	if state != fileMissing {
		q.Set("mode", "rw")
	}
	if state != fileExisting {
		q.Set("_auto_vacuum", "incremental") // Delete gives the pages back
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "journal_size_limit(67108864)") // the WAL shrinks back to 64 MB after a big commit
	q.Set("_txlock", "immediate")
	db, err := sqlOpen(path, q)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// openReader opens readConns query-only connections to the database that
// openWriter made.
func openReader(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "rw") // a WAL reader writes the shared-memory index
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMS))
	q.Add("_pragma", "query_only(1)")
	db, err := sqlOpen(path, q)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(readConns)
	return db, nil
}

// sqlOpen opens path as a file: URI, escaped so that any path works.
func sqlOpen(path string, q url.Values) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetMaxIdleConns(readConns)
	db.SetConnMaxLifetime(0)
	return db, nil
}
