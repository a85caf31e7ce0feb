/**
 * The map file engine of the store interface (../types.ts): one open `.powermap` SQLite file.
 * Opening and checking live in open.ts, the edit/undo journal in journal.ts; this class is the
 * door: every call runs one at a time in order (a transaction may span the `await`s of the
 * service that builds an edit), every write first checks that the file is still the one opened,
 * and every failure leaves as a typed ApiError. The database handle never leaves this folder.
 */
import type { Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ApiError } from '../../shared/api/errors';
import type { Change, HistoryState, LayoutName, Position } from '../../shared/domain';
import { touchesPersonRow, type Row, type TableName } from '../rows';
import type {
  EditTx,
  EraseTx,
  LoadRows,
  MapLocation,
  MapStore,
  NewSnapshot,
  RowSource,
  SnapshotBody,
  SnapshotRecord,
  SnapshotShelf,
  StepLabel,
  StoredOrigin,
  UndoStep,
} from '../types';
import { FileGuard } from './file-check';
import { Journal } from './journal';
import { createMapFile, openMapFile, sqliteError, type OpenOptions } from './open';

interface SnapshotRow {
  id: string;
  name: string;
  taken_at: string;
  rev: number;
  codec: string;
  people: number;
  relations: number;
  team: number;
  coverage: number;
  raw_bytes: number;
  bytes: number;
}
const INFO_COLUMNS = 'id, name, taken_at, rev, codec, people, relations, team, coverage, raw_bytes, length(body) AS bytes';
const toRecord = (r: SnapshotRow): SnapshotRecord => ({
  id: r.id,
  name: r.name,
  takenAt: r.taken_at,
  rev: r.rev,
  codec: r.codec,
  people: r.people,
  relations: r.relations,
  team: r.team,
  coverage: r.coverage,
  rawBytes: r.raw_bytes,
  bytes: r.bytes,
});

export class SqliteMapStore implements MapStore {
  readonly kind = 'file' as const;
  readonly location: MapLocation;
  private readonly db: Db;
  private readonly journal: Journal;
  private readonly guardFile: FileGuard;
  private closed = false;
  /** The tail of the call queue: each call starts when the one before it has finished. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(file: string, db: Db) {
    this.db = db;
    this.journal = new Journal(db);
    this.guardFile = new FileGuard(file);
    this.location = { path: file, name: path.basename(file), version: db.pragma('user_version', { simple: true }) as number };
  }

  /** Opens an existing map file (see open.ts for what is refused, and how). */
  static async open(file: string, opts: OpenOptions = {}): Promise<SqliteMapStore> {
    file = path.resolve(file);
    return new SqliteMapStore(file, openMapFile(file, opts));
  }

  /** Creates a new map file holding `metaRow`, then opens it; refuses to overwrite. */
  static async create(file: string, metaRow: Row): Promise<SqliteMapStore> {
    file = path.resolve(file);
    createMapFile(file, metaRow);
    return SqliteMapStore.open(file);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    await this.serial(() => {
      if (this.closed) return;
      this.closed = true;
      try {
        this.db.close();
      } finally {
        this.guardFile.close();
      }
    }, true);
  }

  // -------------------------------------------------------------------------------------------
  // The door
  // -------------------------------------------------------------------------------------------

  /** Runs `fn` after every call before it; a closed map refuses (unless `evenClosed`). */
  private serial<T>(fn: () => T | Promise<T>, evenClosed = false): Promise<T> {
    const run = async () => {
      if (this.closed && !evenClosed) throw new ApiError('NO_MAP_OPEN', 'The map is closed');
      try {
        return await fn();
      } catch (e) {
        throw sqliteError(e, this.location.path);
      }
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }
  /** A write: the file must still be the one opened. */
  private write<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.serial(() => {
      this.guardFile.check();
      return fn();
    });
  }
  /** A write of several statements that do not go through the journal, as one transaction. */
  private writeTx<T>(fn: () => T): Promise<T> {
    return this.write(() => {
      try {
        return this.db.transaction(fn).immediate();
      } catch (e) {
        this.journal.forget();
        throw e;
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Reads
  // -------------------------------------------------------------------------------------------

  private readonly source: RowSource = {
    row: async (t, key) => this.journal.readRow(t, key),
    rows: async (t, where) => this.journal.readRows(t, where),
    positions: async (layout) => this.journal.positions(layout),
    rev: async () => this.journal.rev(),
    history: async () => this.journal.history(),
  };

  row(t: TableName, key: Row): Promise<Row | null> {
    return this.serial(() => this.journal.readRow(t, key));
  }
  rows(t: TableName, where?: Row): Promise<Row[]> {
    return this.serial(() => this.journal.readRows(t, where));
  }
  positions(layout: LayoutName): Promise<Position[]> {
    return this.serial(() => this.journal.positions(layout));
  }
  rev(): Promise<number> {
    return this.serial(() => this.journal.rev());
  }
  history(): Promise<HistoryState> {
    return this.serial(() => this.journal.history());
  }
  read<T>(fn: (src: RowSource) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.journal.stmt('BEGIN').run();
      try {
        return await fn(this.source);
      } finally {
        if (this.db.inTransaction) this.journal.stmt('COMMIT').run();
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Edits
  // -------------------------------------------------------------------------------------------

  edit(label: StepLabel, fn: (tx: EditTx) => Promise<void>): Promise<Change> {
    return this.write(async () => {
      const run = this.journal.begin();
      const tx: EditTx = {
        ...this.source,
        row: async (t, key) => run.row(t, key),
        put: async (t, row) => run.put(t, row),
        del: async (t, key) => run.del(t, key),
        putPositions: async (layout, positions, mode = 'replace') => run.putPositions(layout, positions, mode),
        dropPositions: async (nodeId) => run.dropPositions(nodeId),
      };
      try {
        await fn(tx);
      } catch (e) {
        run.rollback();
        throw e;
      }
      return run.commit(typeof label === 'function' ? label() : label);
    });
  }
  undo(): Promise<Change> {
    return this.write(() => this.journal.step('undo'));
  }
  redo(): Promise<Change> {
    return this.write(() => this.journal.step('redo'));
  }

  setPositions(layout: LayoutName, positions: readonly Position[]): Promise<void> {
    return this.writeTx(() => {
      for (const p of positions) this.journal.putPosition(layout, p, 'replace');
    });
  }
  clearPositions(layout: LayoutName): Promise<void> {
    return this.write(() => {
      this.journal.stmt('DELETE FROM position WHERE layout = ?').run(layout);
    });
  }

  load(data: LoadRows): Promise<void> {
    return this.writeTx(() => {
      for (const { t, row } of data.rows) this.journal.writeRow(t, row);
      for (const [layout, ps] of Object.entries(data.positions ?? {}))
        for (const p of ps ?? []) this.journal.putPosition(layout as LayoutName, p, 'replace');
      this.journal.bumpRev();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Settings
  // -------------------------------------------------------------------------------------------

  settings(): Promise<Record<string, string>> {
    return this.serial(() => {
      const out: Record<string, string> = {};
      for (const r of this.journal.stmt('SELECT key, value FROM time_setting').all() as { key: string; value: string }[]) out[r.key] = r.value;
      return out;
    });
  }
  putSettings(entries: Record<string, string>): Promise<void> {
    return this.writeTx(() => {
      const put = this.journal.stmt('INSERT INTO time_setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
      for (const [k, v] of Object.entries(entries)) put.run(k, v);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Origin (migration 0006)
  // -------------------------------------------------------------------------------------------

  /** Keeps only the base image's rows `keep` accepts (inside an erasure); how many went. */
  private rewriteBase(keep: (t: string, row: Row) => boolean): number {
    const r = this.journal.stmt('SELECT base FROM map_origin WHERE id = 1').get() as { base: Buffer | null } | undefined;
    if (!r?.base) return 0;
    let image: { rows: { t: string; row: Row }[]; positions: Record<string, { id: string }[]> };
    try {
      image = JSON.parse(zlib.gunzipSync(r.base).toString('utf8'));
    } catch {
      // Unreadable: drop it rather than keep bytes nobody can check.
      this.journal.stmt('UPDATE map_origin SET base = NULL WHERE id = 1').run();
      return 1;
    }
    const rows = image.rows.filter((x) => keep(x.t, x.row));
    const positions = Object.fromEntries(
      Object.entries(image.positions ?? {}).map(([l, ps]) => [l, ps.filter((p) => keep('position', { node_id: p.id }))]),
    );
    const gone = image.rows.length - rows.length + Object.values(image.positions ?? {}).reduce((n, ps) => n + ps.length, 0) - Object.values(positions).reduce((n, ps) => n + ps.length, 0);
    if (gone) this.journal.stmt('UPDATE map_origin SET base = ? WHERE id = 1').run(zlib.gzipSync(Buffer.from(JSON.stringify({ rows, positions }), 'utf8')));
    return gone;
  }

  origin(): Promise<StoredOrigin> {
    return this.serial(() => {
      const r = this.journal.stmt('SELECT * FROM map_origin WHERE id = 1').get() as Record<string, string | number | Buffer | null> | undefined;
      if (!r) throw new ApiError('CORRUPT', 'The map file has no origin record', { reason: 'origin' });
      const team =
        r.map_id && r.server && r.server_id
          ? {
              server: String(r.server),
              serverId: String(r.server_id),
              mapId: String(r.map_id),
              mapName: String(r.map_name ?? ''),
              rev: Number(r.rev ?? 0),
              syncedAt: String(r.synced_at ?? ''),
              personal: r.personal === 1,
            }
          : null;
      return { originId: String(r.origin_id), team, base: team && Buffer.isBuffer(r.base) ? r.base : null };
    });
  }
  setOrigin(team: StoredOrigin['team'], base: Buffer | null): Promise<void> {
    return this.writeTx(() => {
      this.journal
        .stmt('UPDATE map_origin SET server = ?, server_id = ?, map_id = ?, map_name = ?, rev = ?, synced_at = ?, personal = ?, base = ? WHERE id = 1')
        .run(team?.server ?? null, team?.serverId ?? null, team?.mapId ?? null, team?.mapName ?? null, team?.rev ?? null, team?.syncedAt ?? null, team?.personal ? 1 : 0, team ? base : null);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Snapshots
  // -------------------------------------------------------------------------------------------

  private snapshotBodies(): SnapshotBody[] {
    return this.journal.stmt('SELECT id, name, codec, body FROM snapshot ORDER BY rowid').all() as SnapshotBody[];
  }

  readonly snapshots: SnapshotShelf = {
    list: () =>
      this.serial(() =>
        (this.journal.stmt(`SELECT ${INFO_COLUMNS} FROM snapshot ORDER BY taken_at DESC, rowid DESC`).all() as SnapshotRow[]).map(toRecord),
      ),
    info: (id) =>
      this.serial(() => {
        const r = this.journal.stmt(`SELECT ${INFO_COLUMNS} FROM snapshot WHERE id = ?`).get(id) as SnapshotRow | undefined;
        return r ? toRecord(r) : null;
      }),
    body: (id) =>
      this.serial(() => (this.journal.stmt('SELECT id, name, codec, body FROM snapshot WHERE id = ?').get(id) as SnapshotBody | undefined) ?? null),
    add: (s: NewSnapshot) =>
      this.write(() => {
        this.journal
          .stmt(
            `INSERT INTO snapshot (id, name, taken_at, rev, codec, people, relations, team, coverage, raw_bytes, body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(s.id, s.name, s.takenAt, s.rev, s.codec, s.people, s.relations, s.team, s.coverage, s.rawBytes, s.body);
      }),
    rename: (id, name) => this.write(() => this.journal.stmt('UPDATE snapshot SET name = ? WHERE id = ?').run(name, id).changes > 0),
    remove: (id) => this.write(() => this.journal.stmt('DELETE FROM snapshot WHERE id = ?').run(id).changes > 0),
  };

  /** Pages in the file (and its -wal) times the page size, as SQLite counts them. */
  byteSize(): Promise<number> {
    return this.serial(() => Number(this.db.pragma('page_count', { simple: true })) * Number(this.db.pragma('page_size', { simple: true })));
  }

  undoSteps(): Promise<UndoStep[]> {
    return this.serial(() => this.journal.undoSteps());
  }

  // -------------------------------------------------------------------------------------------
  // Erasure and copies
  // -------------------------------------------------------------------------------------------

  erase<T>(fn: (tx: EraseTx) => Promise<T>): Promise<T> {
    return this.write(async () => {
      const j = this.journal;
      const tx: EraseTx = {
        ...this.source,
        deleteRows: async (t, where) => {
          let n = 0;
          for (const r of j.readRows(t, where)) n += j.deleteRow(t, r);
          return n;
        },
        deletePositions: async (nodeId) => j.dropPositions(nodeId),
        undoSteps: async () => j.undoSteps(),
        rewriteUndoStep: async (seq, label, changes) => j.rewriteUndoStep(seq, label, changes),
        snapshotBodies: async () => this.snapshotBodies(),
        rewriteSnapshot: async (id, body, c) => {
          j.stmt('UPDATE snapshot SET body = ?, raw_bytes = ?, people = ?, relations = ?, coverage = ? WHERE id = ?').run(
            body,
            c.rawBytes,
            c.people,
            c.relations,
            c.coverage,
            id,
          );
        },
        deleteSnapshot: async (id) => {
          j.stmt('DELETE FROM snapshot WHERE id = ?').run(id);
        },
        // The copy of the team map a fetched file keeps (its base image, migration 0006).
        forgetPerson: async (personId) => this.rewriteBase((t, row) => !touchesPersonRow(t, row, personId)),
        forgetPersonal: async (keepItineraries) => {
          this.rewriteBase((t) => t !== 'profile' && (keepItineraries || t !== 'trip'));
        },
        bumpRev: async () => j.bumpRev(),
      };
      j.stmt('BEGIN IMMEDIATE').run();
      let out: T;
      try {
        out = await fn(tx);
        j.stmt('COMMIT').run();
      } catch (e) {
        if (this.db.inTransaction) j.stmt('ROLLBACK').run();
        throw e;
      } finally {
        j.forget();
      }
      this.truncateWal();
      return out;
    });
  }

  /** Empties the -wal file, so no page written before (with erased content) is left in it. */
  private truncateWal(): void {
    const r = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (r[0]?.busy) throw new ApiError('IO', 'The map could not be written back in full; close other programs using it and try again');
  }

  copyTo(target: string): Promise<void> {
    return this.serial(() => {
      // VACUUM INTO writes a fresh, compact file: no free pages, no -wal, nothing of old pages.
      this.journal.stmt('VACUUM INTO ?').run(target);
    });
  }

  /** Drops the undo history and compacts the file (a copy about to be given away). */
  forgetHistory(): Promise<void> {
    return this.write(() => {
      this.journal.clearUndo();
      this.journal.forget();
      this.db.exec('VACUUM');
      this.truncateWal();
    });
  }

  /** Writes every committed page into the map file and empties the -wal (before copying or closing a new map). */
  checkpoint(): Promise<void> {
    return this.serial(() => this.truncateWal());
  }

  backups(): string[] {
    const file = this.location.path;
    const dir = path.dirname(file);
    const base = path.basename(file);
    try {
      return fs
        .readdirSync(dir)
        .filter((f) => f.startsWith(`${base}.v`) && /\.v\d+\.bak$/.test(f))
        .map((f) => path.join(dir, f));
    } catch {
      return [];
    }
  }
}
