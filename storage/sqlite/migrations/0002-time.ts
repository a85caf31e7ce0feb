import type { Database } from 'better-sqlite3';

/**
 * Time: snapshots of the whole map, the interaction log and trips (itineraries) per person, and
 * the settings of the upcoming view. Interactions and trips are edited through MapStore.edit
 * (undoable, see storage/rows.ts TABLES); snapshot bodies are not in the undo log.
 */
export const migration0002 = {
  version: 2,
  name: 'time',
  up(db: Database): void {
    db.exec(`
      -- One row per snapshot: counts for the list, the map as compressed JSON (codec names the
      -- format: 'br-json-1' = Brotli of the SnapshotContent JSON, see services/time/snapshots.ts).
      CREATE TABLE snapshot (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        rev INTEGER NOT NULL,
        codec TEXT NOT NULL,
        people INTEGER NOT NULL,
        relations INTEGER NOT NULL,
        team INTEGER NOT NULL,
        coverage INTEGER NOT NULL,
        raw_bytes INTEGER NOT NULL,
        body BLOB NOT NULL
      ) STRICT;
      CREATE INDEX snapshot_taken ON snapshot(taken_at);

      -- The dated log of contacts with a client person. attendees: JSON array of member ids.
      CREATE TABLE interaction (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        kind TEXT NOT NULL CHECK (kind IN ('meeting','call','event','other')),
        attendees TEXT NOT NULL DEFAULT '[]',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX interaction_person ON interaction(person_id, date);

      -- Trips and conferences of a client person (PIPL-sensitive whereabouts). Dates are local
      -- calendar dates at the place; time_zone is its IANA zone, NULL for all-day dates.
      CREATE TABLE trip (
        id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES person(id),
        place TEXT NOT NULL,
        date_from TEXT NOT NULL CHECK (date_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        date_to TEXT NOT NULL CHECK (date_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date_to >= date_from),
        time_zone TEXT,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX trip_person ON trip(person_id);
      CREATE INDEX trip_to ON trip(date_to);

      -- Settings of the upcoming view kept with the map (days without contact, weeks ahead, our city).
      CREATE TABLE time_setting (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
