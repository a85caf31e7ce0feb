import type { Database } from 'better-sqlite3';

/** The first schema: the map, its people, relations, our team, coverage, layouts and undo log. */
export const migration0001 = {
  version: 1,
  name: 'initial',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE map_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        account TEXT NOT NULL DEFAULT '',
        deal TEXT NOT NULL DEFAULT '',
        stage TEXT NOT NULL DEFAULT 'need',
        posture TEXT NOT NULL DEFAULT 'unknown',
        incumbent INTEGER NOT NULL DEFAULT 0,
        competitors TEXT NOT NULL DEFAULT '[]',
        budget TEXT NOT NULL DEFAULT '',
        timeline TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      ) STRICT;

      -- Revision counter of the document: +1 per edit, undo and redo (not itself undoable).
      CREATE TABLE doc_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        rev INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      INSERT INTO doc_state (id, rev) VALUES (1, 0);

      CREATE TABLE person (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        department TEXT NOT NULL DEFAULT '',
        roles TEXT NOT NULL DEFAULT '[]',
        influence TEXT NOT NULL DEFAULT 'medium' CHECK (influence IN ('high','medium','low')),
        attitude TEXT NOT NULL DEFAULT 'neutral'
          CHECK (attitude IN ('champion','supporter','neutral','opponent','strong-opponent')),
        favours TEXT NOT NULL DEFAULT '',
        serves_org INTEGER NOT NULL DEFAULT 0,
        personal_bond INTEGER NOT NULL DEFAULT 0,
        level TEXT CHECK (level IS NULL OR level IN ('decision','management','operations')),
        notes TEXT NOT NULL DEFAULT '',
        last_contact TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- The sensitive personal profile, kept apart from the person row.
      CREATE TABLE profile (
        person_id TEXT PRIMARY KEY REFERENCES person(id),
        data TEXT NOT NULL DEFAULT '{}'
      ) STRICT;

      CREATE TABLE relation (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('reports_to','influence','alliance','conflict')),
        source TEXT NOT NULL REFERENCES person(id),
        target TEXT NOT NULL REFERENCES person(id),
        strength INTEGER NOT NULL DEFAULT 2 CHECK (strength BETWEEN 1 AND 3),
        note TEXT NOT NULL DEFAULT '',
        CHECK (source <> target)
      ) STRICT;
      CREATE INDEX relation_source ON relation(source);
      CREATE INDEX relation_target ON relation(target);
      -- One formal line: a person reports to at most one other.
      CREATE UNIQUE INDEX relation_one_boss ON relation(source) WHERE kind = 'reports_to';

      CREATE TABLE member (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL DEFAULT ''
      ) STRICT;

      CREATE TABLE coverage (
        member_id TEXT NOT NULL REFERENCES member(id),
        person_id TEXT NOT NULL REFERENCES person(id),
        strength INTEGER NOT NULL CHECK (strength BETWEEN 1 AND 3),
        PRIMARY KEY (member_id, person_id)
      ) STRICT;
      CREATE INDEX coverage_person ON coverage(person_id);

      CREATE TABLE position (
        layout TEXT NOT NULL,
        node_id TEXT NOT NULL,
        x REAL NOT NULL,
        y REAL NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (layout, node_id)
      ) STRICT;

      -- Undo/redo: each edit's row images (before and after), newest last.
      CREATE TABLE undo_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        label TEXT NOT NULL,
        changes TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
