import type { Database } from 'better-sqlite3';
import crypto from 'node:crypto';

/**
 * Where a map came from (issue 19): every map file gets its own id (origin_id, a uuid made here,
 * so a file made before this version gets one too), which a team server uses to notice that the
 * same local map is published twice. A map saved from a team server also remembers the server
 * (address and identity), the team map's id and name, the revision it was saved or last synced
 * at, and the base image — the team map's rows at that revision, gzip'd JSON — that "Send my
 * changes" diffs against for the three-way merge.
 */
export const migration0006 = {
  version: 6,
  name: 'origin',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE map_origin (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        origin_id TEXT NOT NULL,
        server TEXT,
        server_id TEXT,
        map_id TEXT,
        map_name TEXT,
        rev INTEGER,
        synced_at TEXT,
        personal INTEGER NOT NULL DEFAULT 0,
        base BLOB
      ) STRICT;
    `);
    db.prepare('INSERT INTO map_origin (id, origin_id) VALUES (1, ?)').run(crypto.randomUUID());
  },
};
