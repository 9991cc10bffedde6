package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestOpenSettings(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "new", "data")
	s := openDir(t, dir, defaultOptions())
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data folder mode = %v, %v; want 0700", fi.Mode().Perm(), err)
	}
	for _, c := range []struct {
		db     *sql.DB
		pragma string
		want   string
	}{
		{s.wdb, "journal_mode", "wal"},
		{s.wdb, "foreign_keys", "1"},
		{s.wdb, "synchronous", "1"}, // NORMAL
		{s.wdb, "auto_vacuum", "2"}, // INCREMENTAL
		{s.wdb, "user_version", fmt.Sprint(SchemaVersion)},
		{s.rdb, "query_only", "1"},
	} {
		var got string
		if err := c.db.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil || got != c.want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", c.pragma, got, err, c.want)
		}
	}
}

// wantRefusal checks that err wraps kind and that its message holds every
// one of the hints.
func wantRefusal(t *testing.T, err, kind error, hints ...string) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("Open = %v, want an error wrapping %v", err, kind)
	}
	t.Logf("refused: %v", err)
	for _, h := range append(hints, "store: ") {
		if !strings.Contains(err.Error(), h) {
			t.Errorf("error %q does not say %q", err, h)
		}
	}
}

func TestOpenRefusesGarbage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, fileName)
	garbage := bytes.Repeat([]byte("these are a student's notes, not a database\n"), 100)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir)
	wantRefusal(t, err, ErrCorrupt, path, "not a SQLite database", "move it aside", "--data-dir")
	if got, _ := os.ReadFile(path); !bytes.Equal(got, garbage) {
		t.Error("Open changed the file it refused")
	}
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Error("Open made a WAL beside the file it refused")
	}
}

func TestOpenRefusesDamagedFile(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, defaultOptions())
	run := newRun(t, s, Run{})
	addEpochs(t, s, run.ID, 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fileName)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := f.Stat()
	// Scribble over every page but the first two (the header and the pointer
	// map), so that whichever pages the tables took are hit.
	f.WriteAt(bytes.Repeat([]byte{0x5a}, int(fi.Size())-2*4096), 2*4096)
	f.Close()
	before, _ := os.ReadFile(path)
	_, err = Open(context.Background(), dir)
	wantRefusal(t, err, ErrCorrupt, path, "move it aside", "--data-dir")
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		n := 0
		for i := range before {
			if i < len(after) && before[i] != after[i] && n < 20 {
				t.Logf("byte %d: %x -> %x", i, before[i], after[i])
				n++
			}
		}
		t.Errorf("Open changed the damaged file (%d -> %d bytes)", len(before), len(after))
	}
}

func TestOpenRefusesForeignDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, fileName)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE grades (student TEXT, mark REAL)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(context.Background(), dir)
	wantRefusal(t, err, ErrCorrupt, "not a descent store", "--data-dir")
}

func TestOpenRefusesSecondOpen(t *testing.T) {
	s, dir := openTest(t)
	_, err := Open(context.Background(), dir)
	wantRefusal(t, err, ErrLocked, "another descent is using "+dir, fmt.Sprintf("(pid %d)", os.Getpid()), "--data-dir")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := Open(context.Background(), dir)
	if err != nil {
		t.Fatalf("Open after the first store closed: %v", err)
	}
	again.Close()
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	s, dir := openTest(t)
	s.Close()
	path := filepath.Join(dir, fileName)
	setUserVersion(t, path, 999)
	_, err := Open(context.Background(), dir)
	wantRefusal(t, err, ErrNewerSchema, "newer descent", "999", "upgrade", "--data-dir")
	if v := readUserVersion(t, path); v != 999 {
		t.Errorf("user_version = %d after the refusal, want 999 untouched", v)
	}
}

func setUserVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
}

func readUserVersion(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, err := userVersion(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenRefusesReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which ignores file modes, so a read-only folder cannot be made")
	}
	t.Run("folder", func(t *testing.T) {
		s, dir := openTest(t)
		s.Close()
		os.Chmod(dir, 0o500)
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		_, err := Open(context.Background(), dir)
		wantRefusal(t, err, ErrReadOnly, dir, "read-only", "fix its permissions", "--data-dir")
	})
	t.Run("file", func(t *testing.T) {
		s, dir := openTest(t)
		s.Close()
		path := filepath.Join(dir, fileName)
		os.Chmod(path, 0o400)
		_, err := Open(context.Background(), dir)
		wantRefusal(t, err, ErrReadOnly, path, "read-only", "fix its permissions")
	})
}

func TestOpenEmptyFileAndBadFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, fileName), nil, 0o600)
	s := openDir(t, dir, defaultOptions())
	newRun(t, s, Run{}) // an empty file is a new database to SQLite

	file := filepath.Join(t.TempDir(), "plain")
	os.WriteFile(file, []byte("x"), 0o600)
	if _, err := Open(context.Background(), file); err == nil || !strings.HasPrefix(err.Error(), "store: ") {
		t.Errorf("Open(a plain file) = %v, want a store: error", err)
	}
	if _, err := Open(context.Background(), ""); err == nil || !strings.Contains(err.Error(), "--data-dir") {
		t.Errorf(`Open("") = %v, want an error naming --data-dir`, err)
	}
}

func TestMigrationList(t *testing.T) {
	for i, m := range migrations {
		if m.Version != i+1 {
			t.Errorf("migration %d has version %d, want %d: versions count up from 1", i, m.Version, i+1)
		}
	}
	if last := migrations[len(migrations)-1].Version; last != SchemaVersion {
		t.Errorf("SchemaVersion = %d, but the last migration is version %d", SchemaVersion, last)
	}
}

func TestMigrations(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	v1 := options{migrations: migrations[:1], flushEvery: defaultOptions().flushEvery, maxPending: 1 << 20}
	s := openDir(t, dir, v1)
	run := rawRun(t, s, "before")
	s.Close()

	next := v1
	next.migrations = append(slices.Clone(migrations), migration{Version: SchemaVersion + 1, SQL: `
		ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
		CREATE INDEX runs_by_status ON runs(status);`})
	s = openDir(t, dir, next)
	var note string
	if err := s.rdb.QueryRow("SELECT note FROM runs WHERE id = ?", run).Scan(&note); err != nil {
		t.Fatalf("after migrating to version %d, the new column: %v", SchemaVersion+1, err)
	}
	if r, err := s.GetRun(ctx, run); err != nil || r.Name != "before" {
		t.Errorf("the run from version 1 reads %+v, %v", r, err)
	}
	s.Close()

	bad := next
	failing := SchemaVersion + 2
	bad.migrations = append(slices.Clone(next.migrations), migration{Version: failing, SQL: `
		CREATE TABLE tags (run_id INTEGER);
		ALTER TABLE nowhere ADD COLUMN x;`})
	if _, err := open(ctx, dir, bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("version %d", failing)) {
		t.Fatalf("a failing migration gave %v, want an error naming version %d", err, failing)
	}
	s = openDir(t, dir, next)
	var tags int
	s.rdb.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'tags'").Scan(&tags)
	if v, _ := userVersion(ctx, s.rdb); v != SchemaVersion+1 || tags != 0 {
		t.Errorf("after a failed migration: user_version %d, tags table %d; want %d and none", v, tags, SchemaVersion+1)
	}
}

// rawRun inserts a run with the columns of schema version 1 only, as an
// old descent wrote it, and returns its id.
func rawRun(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	res, err := s.wdb.Exec(`INSERT INTO runs (name, kind, config, status, created, updated) VALUES (?, 'train', ?, 'done', 1, 1)`,
		name, `{"arch":{"hidden":[3],"activation":"sigmoid"},"optimizer":"sgd","lr":0.1,"batch":64,"epochs":3,"seed":1}`)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}
