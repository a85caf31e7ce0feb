import type { Database } from 'better-sqlite3';

/**
 * The undo log without AUTOINCREMENT. Its counter lived in sqlite_sequence, a page of its own
 * that every edit rewrote: one more page in the -wal file and in every commit's fsync. The
 * revision was doc_state.rev plus that counter; it is now doc_state.rev plus the largest seq in
 * the log (a new row takes max(seq) + 1), and a trigger keeps the sum from ever going back when
 * the newest steps are deleted (a redo tail dropped by a new edit, a purge, stripping a map): it
 * adds what the largest seq lost to doc_state.rev. Deleting old steps (trimming) leaves the
 * largest seq as it was and costs nothing. Rows keep their seq; the revision is unchanged.
 */
export const migration0003 = {
  version: 3,
  name: 'undo log without AUTOINCREMENT',
  up(db: Database): void {
    const hasSequence = !!db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get();
    const counter = hasSequence
      ? ((db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'undo_log'").pluck().get() as number | undefined) ?? 0)
      : 0;
    const largest = (db.prepare('SELECT coalesce(max(seq), 0) FROM undo_log').pluck().get() as number) ?? 0;
    db.exec(`
      CREATE TABLE undo_log_new (
        seq INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        changes TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
      ) STRICT;
      INSERT INTO undo_log_new (seq, label, changes, undone, at) SELECT seq, label, changes, undone, at FROM undo_log;
      DROP TABLE undo_log;
      ALTER TABLE undo_log_new RENAME TO undo_log;

      CREATE TRIGGER undo_log_newest_deleted AFTER DELETE ON undo_log
      WHEN old.seq > coalesce((SELECT max(seq) FROM undo_log), 0)
      BEGIN
        UPDATE doc_state SET rev = rev + old.seq - coalesce((SELECT max(seq) FROM undo_log), 0) WHERE id = 1;
      END;
    `);
    // Keep the revision: the counter may be ahead of the largest seq (steps deleted before).
    db.prepare('UPDATE doc_state SET rev = rev + ? WHERE id = 1').run(counter - largest);
  },
};
