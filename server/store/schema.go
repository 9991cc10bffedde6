package store

import (
	"context"
	"database/sql"
	"fmt"
)

// A migration takes the schema from version Version-1 to Version. Its SQL runs
// in one transaction together with the bump of PRAGMA user_version, so a crash
// or an error half-way leaves the file at the old version, untouched.
type migration struct {
	Version int
	SQL     string
}

// migrations is the schema's history, oldest first. Append to it; never edit a
// step that has shipped, because stores in the wild have already run it.
//
// Version 1 is the first schema:
//
//   - sweeps and runs use AUTOINCREMENT so that the id of a deleted run is never
//     handed to a new one: a link or an open tab that names run 7 can never show
//     a different run 7.
//   - steps and epochs are WITHOUT ROWID tables keyed by (run_id, step) and
//     (run_id, epoch): the rows are small, are read by run in step order, and
//     the key is the clustering order, so a run's curve is one range scan.
//   - checkpoints keep their rowid, because their rows are large blobs.
//   - metrics are REAL columns. SQLite stores NaN as NULL, so a diverged step's
//     loss reads back as NULL and the readers turn it into NaN again; ±Inf is
//     stored as it is.
//   - every child row cascades from its run, and a sweep's runs from the sweep.
//
// Version 2 keeps each run's training path for the loss landscape
// (mnist.Path): path_origins holds θ₀ with the path's budget and rule, and
// path_points the snapshots the rule keeps, thinned in the same transaction
// that adds a point, so that the file holds what the run's Path holds, within
// its budget. A version 1 store gains the two empty tables; its runs read as
// before and have no path.
//
// Version 3 keeps sharpness tracking (sharpness.go): runs.sharpness_examples
// and the sharpness table of measurements.
var migrations = []migration{
	{Version: 1, SQL: `
CREATE TABLE sweeps (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	name    TEXT    NOT NULL,
	kind    TEXT    NOT NULL,                 -- "lr", "optimizer" or "batch"
	config  TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
	created INTEGER NOT NULL                  -- Unix milliseconds
) STRICT;

CREATE TABLE runs (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	name            TEXT    NOT NULL,
	kind            TEXT    NOT NULL,         -- "train", "sweep-member", "lrrange"
	sweep_id        INTEGER REFERENCES sweeps(id) ON DELETE CASCADE,
	config          TEXT    NOT NULL CHECK (json_valid(config)), -- mnist.Config
	status          TEXT    NOT NULL,         -- queued, running, paused, done, stopped, diverged, interrupted
	status_text     TEXT    NOT NULL DEFAULT '',
	created         INTEGER NOT NULL,         -- Unix milliseconds
	updated         INTEGER NOT NULL,
	steps           INTEGER NOT NULL DEFAULT 0, -- last step written
	steps_per_epoch INTEGER NOT NULL DEFAULT 0,
	epochs_done     INTEGER NOT NULL DEFAULT 0,
	test_accuracy   REAL,                     -- after the last epoch; NULL before the first
	test_loss       REAL,
	best_accuracy   REAL
) STRICT;
CREATE INDEX runs_by_sweep ON runs(sweep_id);

CREATE TABLE steps (
	run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	step            INTEGER NOT NULL,
	epoch           INTEGER NOT NULL,
	batch           INTEGER NOT NULL,
	loss            REAL,
	grad_norm       REAL,
	update_ratio    REAL,
	lr              REAL,
	samples_per_sec REAL,
	PRIMARY KEY (run_id, step)
) STRICT, WITHOUT ROWID;

CREATE TABLE epochs (
	run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	epoch         INTEGER NOT NULL,
	step          INTEGER NOT NULL,
	train_loss    REAL,
	test_loss     REAL,
	test_accuracy REAL,
	confusion     TEXT NOT NULL,              -- JSON [10][10]int, confusion[actual][predicted]
	seconds       REAL,
	PRIMARY KEY (run_id, epoch)
) STRICT, WITHOUT ROWID;

CREATE TABLE checkpoints (
	run_id    INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	epoch     INTEGER NOT NULL,
	step      INTEGER NOT NULL,
	model     BLOB    NOT NULL,               -- mnist.Model.WriteTo
	optimizer BLOB,                           -- the optimizer's state, opaque
	state     BLOB,                           -- the trainer's RNG and position, opaque
	created   INTEGER NOT NULL,
	PRIMARY KEY (run_id, epoch)
) STRICT;
`},
	{Version: 2, SQL: `
CREATE TABLE path_origins (
	run_id  INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
	origin  BLOB    NOT NULL,                 -- θ₀, mnist.Model.WriteTo
	budget  INTEGER NOT NULL,                 -- bytes the path may take
	early   INTEGER NOT NULL,                 -- powers of two below it are kept (mnist.Path.Early)
	every   INTEGER NOT NULL DEFAULT 1,       -- the interval of the latest point (mnist.Path.Every)
	created INTEGER NOT NULL
) STRICT;

CREATE TABLE path_points (
	run_id INTEGER NOT NULL REFERENCES path_origins(run_id) ON DELETE CASCADE,
	step   INTEGER NOT NULL,
	data   BLOB    NOT NULL,                  -- mnist.Snapshot.MarshalBinary
	PRIMARY KEY (run_id, step)
) STRICT;
`},
	{Version: 3, SQL: sharpnessSchema},
}

// SchemaVersion is the newest schema this build knows, the Version of the last
// migration. A store whose user_version is larger was written by a newer
// descent and is refused.
const SchemaVersion = 3

// userVersion reads PRAGMA user_version, which is 0 in a new file.
func userVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// migrate applies every step newer than the store's version, each in its own
// transaction. A store at a version newer than the last step is the caller's
// to refuse; migrate does not downgrade.
func migrate(ctx context.Context, db *sql.DB, steps []migration) error {
	have, err := userVersion(ctx, db)
	if err != nil {
		return err
	}
	for _, m := range steps {
		if m.Version <= have {
			continue
		}
		if err := applyMigration(ctx, db, m); err != nil {
			return fmt.Errorf("store: migrating the schema to version %d: %w", m.Version, err)
		}
	}
	return nil
}

// applyMigration runs one step and bumps user_version in the same transaction.
// The version is an integer from the table above, never user input, so
// formatting it into the PRAGMA (which takes no parameters) is safe.
func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		return err
	}
	return tx.Commit()
}
