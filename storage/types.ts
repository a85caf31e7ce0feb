/**
 * The one door to a map's storage. The services (services/) read and change a map only through
 * this interface; two engines implement it: the map file (storage/sqlite, one SQLite file per map,
 * the desktop app and the browser build) and the team store (storage/postgres, many maps in one
 * PostgreSQL database, the team server). No SQL and no database handle exist outside storage/.
 *
 * The shape, and why:
 * - **Asynchronous.** PostgreSQL answers over a socket; SQLite answers at once. One asynchronous
 *   interface lets the same service code run over both; the SQLite engine serialises its calls
 *   (one at a time, in order) so that a transaction spanning `await`s never interleaves with
 *   another call on its connection.
 * - **Rows, not SQL.** Reads are by table and equality filters (`row`, `rows`) over the columns of
 *   storage/rows.ts, the same in both engines; the services turn rows into domain entities there.
 * - **Edits as data.** A service describes an edit by the rows it puts and deletes through an
 *   `EditTx`, inside `edit()`; the engine applies them in one transaction, records the before and
 *   after images for undo, and returns the `Change`. The domain rules (what an edit means, what it
 *   may not do) are written once, in the services, against `EditTx`.
 * - **Every write checked the same way.** Each engine checks, for every write (edits, undo,
 *   positions, settings, snapshots, erasure, loads): the map is open and still the one opened (the
 *   file not moved, deleted or replaced; the team map not deleted), the map is writable, and every
 *   failure becomes a typed `ApiError`.
 */
import type { MapOrigin } from '../shared/api/team-sync';
import type { Change, HistoryState, LayoutName, Position } from '../shared/domain';
import type { EditLabel } from '../shared/i18n/history';
import type { Row, RowChange, TableName } from './rows';

export type { Row, RowChange, TableName } from './rows';

/**
 * The undo menu's name for an edit: a message key and parameters the UI puts into its language
 * (shared/i18n/history.ts), or a function giving it once the edit has run.
 */
export type StepLabel = EditLabel | string | (() => EditLabel);

/**
 * What a rule knows before it runs: the rows it reads first. An engine that pays a round trip per
 * read (the team database) fetches them with its lock; the map file ignores it.
 */
export interface EditHint {
  reads?: readonly { t: TableName; key: Row }[];
}

/** Reads a map's rows. Every call of a store outside a transaction is its own consistent read. */
export interface RowSource {
  /** The row of table `t` with this key, or null. */
  row(t: TableName, key: Row): Promise<Row | null>;
  /** The rows of `t` whose columns equal every value in `where` (all rows without it), in the order they were added. */
  rows(t: TableName, where?: Row): Promise<Row[]>;
  /** Stored layout positions of one layout, in the order they were stored. */
  positions(layout: LayoutName): Promise<Position[]>;
  /** The revision: +1 for every edit, undo, redo, load, restore and erasure. */
  rev(): Promise<number>;
  /** What undo and redo would do now (for the user of this store). */
  history(): Promise<HistoryState>;
}

/** The writes of one edit. Every put and delete is recorded for undo. */
export interface EditTx extends RowSource {
  /** Inserts the row, or updates the stored row with its columns (only those that differ are written). */
  put(t: TableName, row: Row): Promise<void>;
  /** Deletes the row with this key, if there is one. */
  del(t: TableName, key: Row): Promise<void>;
  /** Layout positions written with the edit (layout state: not recorded for undo). */
  putPositions(layout: LayoutName, positions: readonly Position[], mode?: 'replace' | 'keep'): Promise<void>;
  /** Removes a node's positions in every layout (not recorded for undo). */
  dropPositions(nodeId: string): Promise<void>;
}

/** A whole map, as a new map is filled (imports, the sample): not undoable. */
export interface LoadRows {
  rows: { t: TableName; row: Row }[];
  positions?: Partial<Record<LayoutName, Position[]>>;
}

/** A stored snapshot's small columns (listing never reads the bodies). */
export interface SnapshotRecord {
  id: string;
  name: string;
  takenAt: string;
  rev: number;
  codec: string;
  people: number;
  relations: number;
  team: number;
  coverage: number;
  rawBytes: number;
  bytes: number;
}
export interface SnapshotBody {
  id: string;
  name: string;
  codec: string;
  body: Buffer;
}
export type NewSnapshot = Omit<SnapshotRecord, 'bytes'> & { body: Buffer };

/** The snapshots kept with a map. */
export interface SnapshotShelf {
  /** Newest first. */
  list(): Promise<SnapshotRecord[]>;
  info(id: string): Promise<SnapshotRecord | null>;
  body(id: string): Promise<SnapshotBody | null>;
  add(s: NewSnapshot): Promise<void>;
  /** False when there is no such snapshot. */
  rename(id: string, name: string): Promise<boolean>;
  /** False when there is no such snapshot. Its bytes are overwritten (file) or removed (team). */
  remove(id: string): Promise<boolean>;
}

/** One step of the undo log, as an erasure rewrites it. */
export interface UndoStep {
  seq: number;
  label: string;
  changes: RowChange[];
  /** When the step was made. */
  at: string;
  /** Undone (part of the redo tail). */
  undone: boolean;
  /** Who made it (the team store's user id; absent in a map file). */
  by?: string | null;
}

/**
 * Raw access for erasing personal data (purge, strip personal details): writes here are not
 * recorded for undo, by design. Runs in one transaction.
 */
export interface EraseTx extends RowSource {
  /** Deletes the rows of `t` matching `where`; returns how many. */
  deleteRows(t: TableName, where: Row): Promise<number>;
  /** Deletes a node's positions in every layout; returns how many. */
  deletePositions(nodeId: string): Promise<number>;
  /** Every step of the undo log, oldest first. */
  undoSteps(): Promise<UndoStep[]>;
  /** Rewrites one step (null changes: drops it). */
  rewriteUndoStep(seq: number, label: string, changes: RowChange[] | null): Promise<void>;
  /** Every snapshot with its body. */
  snapshotBodies(): Promise<SnapshotBody[]>;
  /** Drops a snapshot (one that cannot be opened, so cannot be checked for the person). */
  deleteSnapshot(id: string): Promise<void>;
  rewriteSnapshot(id: string, body: Buffer, counts: { rawBytes: number; people: number; relations: number; coverage: number }): Promise<void>;
  /** Where else the engine keeps traces of a person (the team store: its change feed and audit payloads); returns how many it rewrote. */
  forgetPerson(personId: string, names: readonly string[]): Promise<number>;
  /** The revision goes up once for the whole erasure. */
  bumpRev(): Promise<void>;
  /** The map file engine: drops profiles (and, unless kept, trips) from the copy of the team map it was saved from. */
  forgetPersonal?(keepItineraries: boolean): Promise<void>;
}

/** What a map store tells about where the map lives. */
export interface MapLocation {
  /** The map file's path, or the team map's address; shown to the user and in MapDocument.path. */
  path: string;
  /** The storage format version (the map file's schema version, the team database's). */
  version: number;
  /** A short name for messages: the file name, or the team map's name. */
  name: string;
}

/** Where a map file came from (migration 0006): its own id, and the team map it was saved from. */
export interface StoredOrigin extends MapOrigin {
  /** The team map's rows at `team.rev` (gzip'd JSON of the bundle's rows and positions), or null. */
  base: Buffer | null;
}

/** One open map. */
export interface MapStore extends RowSource {
  readonly kind: 'file' | 'team';
  readonly location: MapLocation;
  readonly isOpen: boolean;
  close(): Promise<void>;

  /** Several reads as one consistent view. */
  read<T>(fn: (src: RowSource) => Promise<T>): Promise<T>;
  /**
   * One undoable edit: `fn` writes through the tx; nothing is written when it throws. The label
   * names the step in the undo menu (a function: read once `fn` has run, when it needs what `fn` read).
   */
  edit(label: StepLabel, fn: (tx: EditTx) => Promise<void>, hint?: EditHint): Promise<Change>;
  undo(): Promise<Change>;
  redo(): Promise<Change>;

  setPositions(layout: LayoutName, positions: readonly Position[]): Promise<void>;
  clearPositions(layout: LayoutName): Promise<void>;
  /** Fills a map in one transaction (a new map; not undoable). */
  load(data: LoadRows): Promise<void>;

  /** The map's view settings (key → JSON text). */
  settings(): Promise<Record<string, string>>;
  putSettings(entries: Record<string, string>): Promise<void>;

  readonly snapshots: SnapshotShelf;

  /** About how many bytes the map takes where it is kept (what a snapshot's unpacking limit derives from). */
  byteSize(): Promise<number>;

  /** The undo log — the map's edit history as row images — oldest first. */
  undoSteps(): Promise<UndoStep[]>;

  /** Erasure of personal data in one transaction, then every older copy of the bytes removed (the -wal file emptied). */
  erase<T>(fn: (tx: EraseTx) => Promise<T>): Promise<T>;

  /** The map file engine only: copies the whole map into a new compact file at `target` (which must not exist). */
  copyTo?(target: string): Promise<void>;
  /** The map file engine only: where the map came from (its id, the team map it was saved from). */
  origin?(): Promise<StoredOrigin>;
  /** The map file engine only: remembers the team map (null: forget it, keep the map's own id). */
  setOrigin?(team: StoredOrigin['team'], base: Buffer | null): Promise<void>;
  /** The map file engine only: copies made before a schema upgrade (`<map>.v<N>.bak`), which still hold old data. */
  backups?(): string[];
}
