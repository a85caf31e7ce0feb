/**
 * The team store: one map of the team database, seen by one signed-in user, behind the same store
 * interface as a map file (../types.ts). The services run over it unchanged; what differs is
 * underneath:
 *
 * - Every table is keyed by (org_id, map_id, …) and every query names both: one map's reads and
 *   writes never touch another's rows.
 * - An edit locks the map's row (`SELECT … FOR UPDATE`), so edits of one map are applied one at a
 *   time in revision order whichever server instance takes them; different maps never wait for
 *   each other. Each edit writes only the columns it changes, so two people editing different
 *   fields of one person both keep their change; on the same field the later write wins and the
 *   earlier value stays in the edit log.
 * - The edit log (undo_log) records who made each step; undo and redo act on the user's own
 *   steps. Where someone else has changed a field since, undo leaves that field as it is and says
 *   so (`Change.notices`) instead of overwriting it.
 * - Each revision's Change goes to the change feed (map_changes) and a NOTIFY tells every
 *   instance, which tells its live clients; a client that reconnects catches up from its revision.
 * - A call that carries an operation id is recorded with its result in the same transaction: the
 *   same call retried after a dropped connection is answered from there and not applied twice.
 * - Where the caller said which revision it had seen (`baseRev`), a write over a field someone
 *   else changed after that revision tells that someone (a notice on the live channel).
 */
import { ApiError } from '../../shared/api/errors';
import type { Change, EditNotice, HistoryState, LayoutName, Position } from '../../shared/domain';
import { decodeEditLabel, encodeEditLabel } from '../../shared/i18n/history';
import { TABLES, changeOf, keyOf, undoImages, type Row, type RowChange, type TableName } from '../rows';
import type {
  EditHint,
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
  UndoStep,
} from '../types';
import pg from 'pg';
import type { SessionGate } from './gate';
import { LATEST_VERSION } from './migrate';
import { toApiError, type Pool, type PoolClient, type Queryable } from './pool';

/**
 * The channel every instance listens on, after each revision: `<org>/<map>/<rev>/<user>/<change>`
 * with the feed entry's JSON when the whole fits in a notification (NOTIFY_BYTES), so live streams
 * need not read the feed; else `<org>/<map>/<rev>`, and they read it (storage/postgres/listen.ts).
 */
export const MAP_CHANNEL = 'powermap_map';
/** A notification's payload stays under PostgreSQL's 8000 bytes. */
export const NOTIFY_BYTES = 7900;
/** Notices for one user (a value of theirs replaced): JSON {org, map, to, notice}. */
export const NOTICE_CHANNEL = 'powermap_notice';
/** Someone opened or closed a map: `<org>/<map>`. */
export const PRESENCE_CHANNEL = 'powermap_presence';

/** Edit-log steps and feed entries kept per map (older ones are trimmed in batches). */
export const KEEP_STEPS = 1000;
const TRIM_EVERY = 50;

/** Who is asking, about which map, and what the call carries. */
export interface TeamMapContext {
  pool: Pool;
  orgId: string;
  mapId: string;
  /** The signed-in user (null: an admin command). */
  userId: string | null;
  /** The map's name (messages, MapDocument.path). */
  name: string;
  /** The call's operation id: a retried call is answered from the record, not applied twice. */
  opId?: string;
  /** The revision the caller had seen: writes over fields others changed since tell them. */
  baseRev?: number;
  /**
   * The caller's session, not yet checked (gate.ts): checked in the first message of the call's
   * edit, or on its own before anything else the call asks of the database.
   */
  gate?: SessionGate;
}

/** Tables without an insertion-order column (one row, or keyed settings). */
const NO_ORD = new Set(['map_meta', 'time_setting']);
const HIDDEN = new Set(['org_id', 'map_id', 'ord']);
const IDENT = /^[a-z_]+$/;

const strip = (r: Record<string, unknown>): Row => {
  const out: Row = {};
  for (const k in r) if (!HIDDEN.has(k)) out[k] = r[k] as Row[string];
  return out;
};

const ident = (name: string): string => {
  if (!IDENT.test(name)) throw new Error(`not a column name: ${name}`);
  return name;
};

/** `col = $n` conditions after org_id = $1 AND map_id = $2, and their values. */
function where(base: unknown[], cols: Row): { sql: string; values: unknown[] } {
  const values = [...base];
  const parts = ['org_id = $1', 'map_id = $2'];
  for (const [c, v] of Object.entries(cols)) {
    if (v === null) parts.push(`${ident(c)} IS NULL`);
    else {
      values.push(v);
      parts.push(`${ident(c)} = $${values.length}`);
    }
  }
  return { sql: parts.join(' AND '), values };
}

/**
 * A value as an SQL literal, the text a parameter would carry (pg sends parameters as text and the
 * column's type reads them): for the statements an edit batches into one round trip.
 */
const lit = (v: unknown): string => (v === null || v === undefined ? 'NULL' : pg.escapeLiteral(String(v)));
/** `col = 'v'` conditions after the map's own, as literals. */
const whereLit = (base: readonly unknown[], cols: Row): string =>
  [`org_id = ${lit(base[0])}`, `map_id = ${lit(base[1])}`, ...Object.entries(cols).map(([c, v]) => (v === null ? `${ident(c)} IS NULL` : `${ident(c)} = ${lit(v)}`))].join(' AND ');

/**
 * The statements of one transaction that nothing reads back before the commit (an UPDATE or
 * DELETE whose before-image is known, the edit log, the revision, the feed, the notifications):
 * sent together, with COMMIT, in one round trip instead of one each. Any read or INSERT … RETURNING
 * sends what is pending first, in the same message, so statements still run in the order made.
 */
class Batch {
  private pending: string[] = [];
  add(sql: string): void {
    this.pending.push(sql);
  }
  /** Runs what is pending followed by `sql` (one simple-protocol message); the result of `sql`. */
  async run(c: Queryable, sql?: string): Promise<pg.QueryResult | null> {
    const all = sql === undefined ? this.pending : [...this.pending, sql];
    this.pending = [];
    if (!all.length) return null;
    const r = (await c.query(all.join(';\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(r) ? r[r.length - 1]! : r;
  }
  /** What is pending, then COMMIT. */
  async commit(c: Queryable): Promise<void> {
    await this.run(c, 'COMMIT');
  }
}

/**
 * The statements every edit sends whatever its rule, prepared once per connection (`PREPARE … AS`)
 * and sent as `EXECUTE name(literals)` in the batch's messages: PostgreSQL parses and plans them
 * once, not on every edit. (Not the rows' own SELECT *, UPDATE and DELETE: their shapes vary, and a
 * prepared SELECT * would break on a column added by a newer instance's migration.)
 */
/** A revision's counter and feed entry ($1 org, $2 map, $3 user, $4 rev, $5 the entry's JSON). */
const REVISION_CTES = `rev AS (UPDATE maps SET rev = $4, updated_at = now(), updated_by = $3 WHERE org_id = $1 AND map_id = $2),
         feed AS (INSERT INTO map_changes (org_id, map_id, rev, user_id, change) VALUES ($1, $2, $4, $3, $5))`;
const PREPARED = {
  powermap_lock: 'SELECT rev FROM maps WHERE org_id = $1 AND map_id = $2 FOR UPDATE',
  powermap_op_find: 'SELECT result FROM map_ops WHERE org_id = $1 AND map_id = $2 AND op_id = $3',
  powermap_step: 'INSERT INTO undo_log (org_id, map_id, seq, user_id, label, changes) VALUES ($1, $2, $3, $4, $5, $6)',
  powermap_notify: 'SELECT pg_notify($1, $2)',
  // A new revision (bump): the map's counter, the feed entry and the wake-up, as one statement.
  powermap_bump: `(uuid, uuid, uuid, integer, text, text, text) AS WITH ${REVISION_CTES} SELECT pg_notify($6, $7)`,
  // An edit's revision: the same, with the user's redo tail dropped and the new undo step.
  powermap_edit_bump: `(uuid, uuid, uuid, integer, text, text, text, text, text) AS
    WITH redo AS (DELETE FROM undo_log WHERE org_id = $1 AND map_id = $2 AND user_id = $3 AND undone),
         step AS (INSERT INTO undo_log (org_id, map_id, seq, user_id, label, changes) VALUES ($1, $2, $4, $3, $8, $9)),
         ${REVISION_CTES}
    SELECT pg_notify($6, $7)`,
  powermap_op_record: 'INSERT INTO map_ops (org_id, map_id, op_id, user_id, result) VALUES ($1, $2, $3, $4, $5)',
} as const;
/** Connections that have PREPARED. */
const preparedOn = new WeakSet<object>();
async function prepareEdits(c: PoolClient): Promise<void> {
  if (preparedOn.has(c)) return;
  await c.query(
    Object.entries(PREPARED)
      .map(([name, sql]) => (sql.startsWith('(') ? `PREPARE ${name} ${sql}` : `PREPARE ${name} AS ${sql}`))
      .join(';\n'),
  );
  preparedOn.add(c);
}
/** One of PREPARED with its values as literals (the text a parameter would carry). */
const exec = (name: keyof typeof PREPARED, values: readonly unknown[]): string => `EXECUTE ${name}(${values.map(lit).join(', ')})`;

const NOT_FOUND = (ctx: TeamMapContext) => new ApiError('NOT_FOUND', 'No such map, or it is not shared with you', { id: ctx.mapId });

/** A statement and its parameters. */
interface Stmt {
  sql: string;
  values: unknown[];
}
/** The statement with its parameters written in as literals (for a batch; no `$n` may sit inside a quoted string). */
const inline = ({ sql, values }: Stmt): string => sql.replace(/\$(\d+)/g, (_m, n: string) => lit(values[Number(n) - 1]));

const selectRow = (base: unknown[], t: TableName, key: Row): Stmt => {
  const w = where(base, keyOf(t, key));
  return { sql: `SELECT * FROM ${t} WHERE ${w.sql} LIMIT 1`, values: w.values };
};
const selectRows = (base: unknown[], t: TableName, filter: Row): Stmt => {
  const w = where(base, filter);
  return { sql: `SELECT * FROM ${t} WHERE ${w.sql}${NO_ORD.has(t) ? '' : ' ORDER BY ord'}`, values: w.values };
};
const selectPositions = (base: unknown[], layout: LayoutName): Stmt => ({
  sql: 'SELECT node_id, x, y, pinned FROM position WHERE org_id = $1 AND map_id = $2 AND layout = $3 ORDER BY ord',
  values: [...base, layout],
});
/**
 * One user's steps in the edit log: `user_id = $3`, or `user_id IS NULL` for an admin command (an
 * equality the indexes can seek on, where IS NOT DISTINCT FROM would read every step of the map).
 */
const ofUser = (user: string | null): string => (user === null ? 'user_id IS NULL' : 'user_id = $3');
const userValues = (base: unknown[], user: string | null): unknown[] => (user === null ? base : [...base, user]);
const selectHistory = (base: unknown[], user: string | null): Stmt => ({
  sql: `SELECT
         (SELECT label FROM undo_log WHERE org_id = $1 AND map_id = $2 AND ${ofUser(user)} AND NOT undone ORDER BY seq DESC LIMIT 1) AS undo,
         (SELECT label FROM undo_log WHERE org_id = $1 AND map_id = $2 AND ${ofUser(user)} AND undone ORDER BY seq ASC LIMIT 1) AS redo`,
  values: userValues(base, user),
});
/** The columns an update changes (none: no statement). */
const updateRow = (base: unknown[], t: TableName, row: Row, before: Row): Stmt | null => {
  const keys = TABLES[t].key as readonly string[];
  const changed = Object.keys(row).filter((c) => !keys.includes(c) && (row[c] ?? null) !== (before[c] ?? null));
  if (!changed.length) return null;
  const w = where(base, keyOf(t, before));
  const sets = changed.map((c, i) => `${ident(c)} = $${w.values.length + i + 1}`);
  return { sql: `UPDATE ${t} SET ${sets.join(', ')} WHERE ${w.sql}`, values: [...w.values, ...changed.map((c) => row[c] ?? null)] };
};
const insertRow = (base: unknown[], t: TableName, row: Row): Stmt => {
  const cols = Object.keys(row);
  return {
    sql: `INSERT INTO ${t} (org_id, map_id, ${cols.map(ident).join(', ')}) VALUES ($1, $2, ${cols.map((_c, i) => `$${i + 3}`).join(', ')}) RETURNING *`,
    values: [...base, ...cols.map((c) => row[c] ?? null)],
  };
};
const deleteRowStmt = (base: unknown[], t: TableName, key: Row): Stmt => {
  const w = where(base, keyOf(t, key));
  return { sql: `DELETE FROM ${t} WHERE ${w.sql}`, values: w.values };
};
const positionStmt = (base: unknown[], layout: LayoutName, p: Position, mode: 'replace' | 'keep'): Stmt => ({
  sql: `INSERT INTO position (org_id, map_id, layout, node_id, x, y, pinned) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (org_id, map_id, layout, node_id) DO ${mode === 'replace' ? 'UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned' : 'NOTHING'}`,
  values: [...base, layout, p.id, p.x, p.y, p.pinned ? 1 : 0],
});
const toPosition = (p: { node_id: string; x: number; y: number; pinned: number }): Position => ({ id: p.node_id, x: p.x, y: p.y, pinned: p.pinned === 1 });
const toHistory = (r: { undo: string | null; redo: string | null } | undefined): HistoryState => {
  const u = r?.undo ?? null;
  const d = r?.redo ?? null;
  return { canUndo: u !== null, canRedo: d !== null, undoLabel: u === null ? null : decodeEditLabel(u), redoLabel: d === null ? null : decodeEditLabel(d) };
};

/** Reads through one connection (the pool, or a transaction's client). */
class Reader implements RowSource {
  constructor(
    protected readonly ctx: TeamMapContext,
    protected q: Queryable,
  ) {}
  protected get base(): unknown[] {
    return [this.ctx.orgId, this.ctx.mapId];
  }
  protected run(s: Stmt): Promise<pg.QueryResult> {
    return this.q.query(s.sql, s.values);
  }
  async row(t: TableName, key: Row): Promise<Row | null> {
    const r = await this.run(selectRow(this.base, t, key));
    return r.rows[0] ? strip(r.rows[0]) : null;
  }
  async rows(t: TableName, filter?: Row): Promise<Row[]> {
    return (await this.run(selectRows(this.base, t, filter ?? {}))).rows.map(strip);
  }
  async positions(layout: LayoutName): Promise<Position[]> {
    return (await this.run(selectPositions(this.base, layout))).rows.map(toPosition);
  }
  async rev(): Promise<number> {
    const r = await this.run({ sql: 'SELECT rev FROM maps WHERE org_id = $1 AND map_id = $2', values: this.base });
    if (!r.rows[0]) throw NOT_FOUND(this.ctx);
    return (r.rows[0] as { rev: number }).rev;
  }
  async history(): Promise<HistoryState> {
    return toHistory((await this.run(selectHistory(this.base, this.ctx.userId))).rows[0]);
  }
}

/**
 * An edit's reads and writes: every read sends the batch's pending statements first, in the same
 * message; a row read or written in this transaction is not read again (the map's row is locked,
 * so only this transaction writes its rows); updates, deletes and positions wait in the batch.
 */
class TxReader extends Reader {
  private readonly seen = new Map<string, Row | null>();
  constructor(
    ctx: TeamMapContext,
    c: PoolClient,
    private readonly batch: Batch,
  ) {
    super(ctx, c);
  }
  protected override async run(s: Stmt): Promise<pg.QueryResult> {
    return (await this.batch.run(this.q, inline(s)))!;
  }
  private static key(t: TableName, row: Row): string {
    return `${t}\u0000${JSON.stringify(keyOf(t, row))}`;
  }
  override async row(t: TableName, key: Row): Promise<Row | null> {
    const k = TxReader.key(t, key);
    if (this.seen.has(k)) {
      const r = this.seen.get(k)!;
      return r && { ...r };
    }
    const r = await super.row(t, key);
    this.seen.set(k, r && { ...r });
    return r;
  }
  /** A row read with the lock (EditHint.reads). */
  seed(t: TableName, key: Row, row: Row | null): void {
    this.seen.set(TxReader.key(t, key), row && { ...row });
  }
  override async rows(t: TableName, filter?: Row): Promise<Row[]> {
    const rs = await super.rows(t, filter);
    for (const r of rs) this.seen.set(TxReader.key(t, r), { ...r });
    return rs;
  }
  /** Writes a row (`before`: its current image, null for a new one); its after-image, or null when nothing changed. */
  async write(t: TableName, row: Row, before: Row | null): Promise<Row | null> {
    let after: Row;
    if (before) {
      const s = updateRow(this.base, t, row, before);
      if (!s) return null;
      this.batch.add(inline(s));
      after = { ...before, ...row };
    } else after = strip((await this.run(insertRow(this.base, t, row))).rows[0]);
    this.seen.set(TxReader.key(t, after), { ...after });
    return after;
  }
  remove(t: TableName, key: Row): void {
    this.batch.add(inline(deleteRowStmt(this.base, t, key)));
    this.seen.set(TxReader.key(t, key), null);
  }
  putPosition(layout: LayoutName, p: Position, mode: 'replace' | 'keep'): void {
    this.batch.add(inline(positionStmt(this.base, layout, p, mode)));
    this.forget('position');
  }
  dropPositions(nodeId: string): void {
    this.batch.add(inline({ sql: 'DELETE FROM position WHERE org_id = $1 AND map_id = $2 AND node_id = $3', values: [...this.base, nodeId] }));
    this.forget('position');
  }
  /** A query of its own, after what is pending. */
  select<R extends pg.QueryResultRow>(s: Stmt): Promise<pg.QueryResult<R>> {
    return this.run(s) as Promise<pg.QueryResult<R>>;
  }
  private forget(t: TableName): void {
    for (const k of this.seen.keys()) if (k.startsWith(`${t}\u0000`)) this.seen.delete(k);
  }
}

/** What one write did to a row, for the undo log and the Change. */
async function writeRow(q: Queryable, base: unknown[], t: TableName, row: Row, before: Row | null): Promise<Row | null> {
  if (before) {
    const s = updateRow(base, t, row, before);
    if (!s) return null;
    await q.query(s.sql, s.values);
    return { ...before, ...row };
  }
  const s = insertRow(base, t, row);
  return strip((await q.query(s.sql, s.values)).rows[0]);
}

async function putPosition(q: Queryable, base: unknown[], layout: LayoutName, p: Position, mode: 'replace' | 'keep'): Promise<void> {
  const s = positionStmt(base, layout, p, mode);
  await q.query(s.sql, s.values);
}

/** The entity a row is about, for a notice: its table's kind and id. */
const subjectOf = (t: TableName, row: Row): { kind: string; id: string } => {
  if (t === 'person' || t === 'relation' || t === 'member' || t === 'interaction' || t === 'trip') return { kind: t, id: String(row.id) };
  if (t === 'profile') return { kind: 'person', id: String(row.person_id) };
  if (t === 'coverage') return { kind: 'coverage', id: `${row.member_id}/${row.person_id}` };
  if (t === 'position') return { kind: 'position', id: String(row.node_id) };
  return { kind: t, id: '1' };
};
const short = (v: unknown) => (v === null || v === undefined ? '' : String(v).slice(0, 200));

export class PgMapStore extends Reader implements MapStore {
  readonly kind = 'team' as const;
  private open = true;

  constructor(ctx: TeamMapContext) {
    super(ctx, ctx.pool);
  }

  /** (The name is the context's: a call whose session its edit checks learns it with that check.) */
  get location(): MapLocation {
    return { path: `team:${this.ctx.mapId}`, name: this.ctx.name, version: LATEST_VERSION };
  }

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * The caller's session checked, if it still waits for that (a read, or a transaction with no lock
   * message); once refused, every later call of this store is refused the same way.
   */
  private async ready(): Promise<void> {
    if (this.ctx.gate) await this.ctx.gate.settle(this.ctx.pool);
  }
  protected override async run(s: Stmt): Promise<pg.QueryResult> {
    await this.ready();
    return super.run(s);
  }
  async close(): Promise<void> {
    this.open = false; // nothing to release: connections come from the pool per call
  }

  /**
   * One transaction on a pooled connection. Statements `fn` adds to the batch are sent with the
   * COMMIT. With `locked` (statements of their own, no parameters), the first message is BEGIN, the
   * map lock (or the caller's session check and the lock: gate.ts), then those; the lock's and
   * their results reach `fn`.
   */
  private async tx<T>(fn: (c: PoolClient, batch: Batch, head: pg.QueryResult[]) => Promise<T>, isolation = '', locked?: string[]): Promise<T> {
    if (!this.open) throw new ApiError('NO_MAP_OPEN', 'The map is closed');
    // The caller's session is checked in the first message, in place of the plain lock, when there is one.
    const gate = locked !== undefined && this.ctx.gate?.pending ? this.ctx.gate : undefined;
    if (!gate) await this.ready();
    let client: PoolClient;
    try {
      client = await this.ctx.pool.connect();
    } catch (e) {
      throw toApiError(e);
    }
    let broken: Error | undefined;
    const batch = new Batch();
    try {
      await prepareEdits(client);
      if (gate) await gate.prepare(client);
      const text = locked === undefined ? `BEGIN${isolation}` : [`BEGIN${isolation}`, gate ? gate.head() : this.lockSql(), ...locked].join(';\n');
      const first = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
      const results = Array.isArray(first) ? first.slice(1) : [];
      if (gate) gate.accept(results.shift());
      const out = await fn(client, batch, results);
      await batch.commit(client);
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw mapPgError(e);
    } finally {
      client.release(broken);
    }
  }

  /** Locks the map's row for the rest of the transaction; its revision. */
  private async lock(c: PoolClient): Promise<number> {
    const r = await c.query<{ rev: number }>('SELECT rev FROM maps WHERE org_id = $1 AND map_id = $2 FOR UPDATE', this.base);
    if (!r.rows[0]) throw NOT_FOUND(this.ctx);
    return r.rows[0].rev;
  }

  /**
   * For an edit's first message: lock the map's row, then look up this call's operation id. In
   * that order: a retry that waited for the lock behind its own first attempt sees that attempt's
   * record (each statement reads what was committed before it began).
   */
  private lockSql(): string {
    return exec('powermap_lock', this.base);
  }
  /** What follows the lock in an edit's first message: the operation id's record, the hinted rows. */
  private replaySql(reads: EditHint['reads'] = []): string[] {
    const out: string[] = [];
    if (this.ctx.opId) out.push(exec('powermap_op_find', [...this.base, this.ctx.opId]));
    for (const r of reads) out.push(inline(selectRow(this.base, r.t, r.key)));
    return out;
  }
  /** The first message's answers: the revision, this call's recorded answer, the hinted rows (in the reader's cache). */
  private lockedRev(head: pg.QueryResult[], reader?: TxReader, reads: EditHint['reads'] = []): { rev: number; again: Change | null } {
    const row = head[0]?.rows[0] as { rev: number } | undefined;
    if (!row) throw NOT_FOUND(this.ctx);
    const first = this.ctx.opId ? 2 : 1;
    const done = this.ctx.opId ? (head[1]?.rows[0] as { result: string } | undefined) : undefined;
    reads.forEach((r, i) => {
      const got = head[first + i]?.rows[0];
      reader?.seed(r.t, r.key, got ? strip(got) : null);
    });
    return { rev: row.rev, again: done ? (JSON.parse(done.result) as Change) : null };
  }

  /**
   * Records a new revision: the map's counter, the change feed, the wake-up for live clients; for
   * an edit (`step`), its undo step too, after dropping the user's redo tail.
   */
  private bump(batch: Batch, rev: number, change: Change | { reload: true }, step?: { label: string; changes: string }): void {
    const { history: _h, ...feed } = change as Change;
    void _h;
    const map = whereLit(this.base, {});
    const entry = JSON.stringify(feed);
    if (rev % TRIM_EVERY === 0) {
      batch.add(`DELETE FROM map_changes WHERE ${map} AND rev <= ${lit(rev - KEEP_STEPS)}`);
      batch.add(`UPDATE maps SET feed_floor = greatest(feed_floor, ${lit(rev - KEEP_STEPS + 1)}) WHERE ${map}`);
      batch.add(`DELETE FROM undo_log WHERE ${map} AND seq <= ${lit(rev - KEEP_STEPS)}`);
    }
    const wake = `${this.ctx.orgId}/${this.ctx.mapId}/${rev}`;
    const full = `${wake}/${this.ctx.userId ?? ''}/${entry}`;
    const payload = Buffer.byteLength(full) < NOTIFY_BYTES ? full : wake;
    if (step && this.ctx.userId !== null) {
      batch.add(exec('powermap_edit_bump', [...this.base, this.ctx.userId, rev, entry, MAP_CHANNEL, payload, step.label, step.changes]));
      return;
    }
    if (step) {
      // An admin command's steps (no user): its redo tail is the steps with no user.
      batch.add(`DELETE FROM undo_log WHERE ${map} AND user_id IS NULL AND undone`);
      batch.add(exec('powermap_step', [...this.base, rev, this.ctx.userId, step.label, step.changes]));
    }
    batch.add(exec('powermap_bump', [...this.base, this.ctx.userId, rev, entry, MAP_CHANNEL, payload]));
  }

  private record(batch: Batch, change: Change): void {
    if (!this.ctx.opId || !this.ctx.userId) return;
    batch.add(exec('powermap_op_record', [...this.base, this.ctx.opId, this.ctx.userId, JSON.stringify(change)]));
  }

  read<T>(fn: (src: RowSource) => Promise<T>): Promise<T> {
    return this.tx((c) => fn(new Reader(this.ctx, c)), ' ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  // -------------------------------------------------------------------------------------------
  // Edits
  // -------------------------------------------------------------------------------------------

  /**
   * One edit, in as few round trips as its rule allows: BEGIN, the lock and the operation-id look-up
   * in one message; the rule's reads (a row read once is not read again); an UPDATE or DELETE
   * waits in the batch until the next read or the commit; the edit log, the revision, the feed and
   * the notifications go with the COMMIT. A rule that reads one row and changes it costs four.
   */
  edit(label: StepLabel, fn: (tx: EditTx) => Promise<void>, hint: EditHint = {}): Promise<Change> {
    return this.tx(
      async (c, batch, head) => {
        const reader = new TxReader(this.ctx, c, batch);
        const { rev, again } = this.lockedRev(head, reader, hint.reads);
        if (again) return again;
        const changes: RowChange[] = [];
        const replaced: { to: string; notice: EditNotice }[] = [];
        const othersSince = this.othersSince(reader, rev);
        const tx: EditTx = {
          row: (t, key) => reader.row(t, key),
          rows: (t, w) => reader.rows(t, w),
          positions: (l) => reader.positions(l),
          rev: async () => rev,
          history: () => reader.history(),
          put: async (t, row) => {
            const before = await reader.row(t, row);
            const after = await reader.write(t, row, before);
            if (!after) return;
            changes.push({ t, b: before, a: after });
            if (before) replaced.push(...(await othersSince()).over(t, before, after));
          },
          del: async (t, key) => {
            const before = await reader.row(t, key);
            if (!before) return;
            reader.remove(t, key);
            changes.push({ t, b: before, a: null });
          },
          putPositions: async (layout, positions, mode = 'replace') => {
            for (const p of positions) reader.putPosition(layout, p, mode);
          },
          dropPositions: async (nodeId) => {
            reader.dropPositions(nodeId);
          },
        };
        await fn(tx);
        if (!changes.length) return { rev, history: await reader.history() };
        const next = rev + 1;
        const stored = encodeEditLabel(typeof label === 'function' ? label() : label);
        // The user's newest step is this one, and the redo tail is gone: no need to ask.
        const change = changeOf(changes, next, { canUndo: true, canRedo: false, undoLabel: decodeEditLabel(stored), redoLabel: null });
        this.bump(batch, next, change, { label: stored, changes: JSON.stringify(changes.map(undoImages)) });
        this.record(batch, change);
        for (const r of replaced)
          batch.add(exec('powermap_notify', [NOTICE_CHANNEL, JSON.stringify({ org: this.ctx.orgId, map: this.ctx.mapId, to: r.to, notice: r.notice }).slice(0, NOTIFY_BYTES)]));
        return change;
      },
      '',
      this.replaySql(hint.reads),
    );
  }

  /**
   * The steps others made after the caller's base revision (read once per edit, on first need),
   * and which of their values a write replaces.
   */
  private othersSince(reader: TxReader, rev: number): () => Promise<{ over(t: TableName, before: Row, after: Row): { to: string; notice: EditNotice }[] }> {
    let loaded: { seq: number; user: string; changes: RowChange[] }[] | null = null;
    const none = { over: () => [] };
    return async () => {
      const baseRev = this.ctx.baseRev;
      if (baseRev === undefined || baseRev >= rev || !this.ctx.userId) return none;
      loaded ??= (
        await reader.select<{ seq: number; user_id: string; changes: string }>({
          sql: `SELECT seq, user_id, changes FROM undo_log
           WHERE org_id = $1 AND map_id = $2 AND seq > $3 AND NOT undone AND user_id IS NOT NULL AND user_id <> $4 ORDER BY seq DESC`,
          values: [...this.base, baseRev, this.ctx.userId],
        })
      ).rows.map((r) => ({ seq: r.seq, user: r.user_id, changes: JSON.parse(r.changes) as RowChange[] }));
      const steps = loaded;
      return {
        over: (t, before, after) => {
          const key = JSON.stringify(keyOf(t, before));
          const out: { to: string; notice: EditNotice }[] = [];
          for (const col of Object.keys(after)) {
            // Bookkeeping columns (the time of change, a fact's evidence stamp) replace nobody's value.
            if ((after[col] ?? null) === (before[col] ?? null) || col === 'updated_at' || col === 'evidence' || col.startsWith('ev_')) continue;
            const hit = steps.find((s) => s.changes.some((x) => x.t === t && x.a && col in x.a && JSON.stringify(keyOf(t, x.a)) === key));
            if (!hit) continue;
            const subject = subjectOf(t, before);
            out.push({
              to: hit.user,
              notice: {
                kind: 'replaced',
                entity: subject.kind,
                id: subject.id,
                name: short(before.name ?? ''),
                field: col,
                was: short(before[col]),
                now: short(after[col]),
                by: this.ctx.userId!,
              },
            });
          }
          return out;
        },
      };
    };
  }

  /** Undo (or redo) the user's own last step; fields someone else changed since are left as they are. */
  private step(direction: 'undo' | 'redo'): Promise<Change> {
    return this.tx(
      async (_c, batch, head) => {
        const { rev, again } = this.lockedRev(head);
        if (again) return again;
        const reader = new TxReader(this.ctx, _c, batch);
        const r = await reader.select<{ seq: number; changes: string }>({
          sql:
            direction === 'undo'
              ? `SELECT seq, changes FROM undo_log WHERE org_id = $1 AND map_id = $2 AND ${ofUser(this.ctx.userId)} AND NOT undone ORDER BY seq DESC LIMIT 1`
              : `SELECT seq, changes FROM undo_log WHERE org_id = $1 AND map_id = $2 AND ${ofUser(this.ctx.userId)} AND undone ORDER BY seq ASC LIMIT 1`,
          values: userValues(this.base, this.ctx.userId),
        });
        const entry = r.rows[0];
        if (!entry) return { rev, history: await reader.history() };
        const list = JSON.parse(entry.changes) as RowChange[];
        const steps = direction === 'undo' ? [...list].reverse().map((x) => ({ t: x.t, from: x.a, to: x.b })) : list.map((x) => ({ t: x.t, from: x.b, to: x.a }));
        const applied: RowChange[] = [];
        const notices: EditNotice[] = [];
        for (const { t, from, to } of steps) {
          const key = keyOf(t, (to ?? from)!);
          const now = await reader.row(t, key);
          if (to && from) {
            // Only the fields still as this step left them go back; the rest someone changed since.
            if (!now) {
              notices.push(keptNotice(t, from, Object.keys(from).filter((k) => !(TABLES[t].key as readonly string[]).includes(k))));
              continue;
            }
            const keys = TABLES[t].key as readonly string[];
            const refs = (TABLES[t] as { refs?: readonly string[] }).refs ?? [];
            const cols = Object.keys(to).filter((k) => !keys.includes(k) && !refs.includes(k));
            const mine = cols.filter((k) => (now[k] ?? null) === (from[k] ?? null));
            const theirs = cols.filter((k) => !mine.includes(k) && k !== 'updated_at');
            if (theirs.length) notices.push(keptNotice(t, now, theirs));
            if (mine.length) {
              const patch: Row = {};
              for (const k of mine) patch[k] = to[k] ?? null;
              const after = await reader.write(t, { ...keyOf(t, now), ...patch }, now);
              if (after) applied.push({ t, b: now, a: after });
            }
          } else if (to) {
            if (now) continue; // someone made it again meanwhile
            const after = await reader.write(t, to, null);
            applied.push({ t, b: null, a: after });
          } else if (from) {
            if (!now) continue;
            reader.remove(t, key);
            applied.push({ t, b: now, a: null });
          }
        }
        batch.add(inline({ sql: 'UPDATE undo_log SET undone = $4 WHERE org_id = $1 AND map_id = $2 AND seq = $3', values: [...this.base, entry.seq, direction === 'undo'] }));
        const next = rev + 1;
        const change = changeOf(applied, next, await reader.history());
        if (notices.length) change.notices = notices;
        this.bump(batch, next, change);
        this.record(batch, change);
        return change;
      },
      '',
      this.replaySql(),
    );
  }
  undo(): Promise<Change> {
    return this.step('undo');
  }
  redo(): Promise<Change> {
    return this.step('redo');
  }

  // -------------------------------------------------------------------------------------------
  // Positions, loads, settings
  // -------------------------------------------------------------------------------------------

  setPositions(layout: LayoutName, positions: readonly Position[]): Promise<void> {
    return this.tx(async (c) => {
      await this.lock(c);
      for (const p of positions) await putPosition(c, this.base, layout, p, 'replace');
    });
  }
  clearPositions(layout: LayoutName): Promise<void> {
    return this.tx(async (c) => {
      await this.lock(c);
      await c.query('DELETE FROM position WHERE org_id = $1 AND map_id = $2 AND layout = $3', [...this.base, layout]);
    });
  }
  load(data: LoadRows): Promise<void> {
    return this.tx(async (c, batch) => {
      const rev = await this.lock(c);
      const reader = new Reader(this.ctx, c);
      for (const { t, row } of data.rows) await writeRow(c, this.base, t, row, await reader.row(t, row));
      for (const [layout, ps] of Object.entries(data.positions ?? {})) for (const p of ps ?? []) await putPosition(c, this.base, layout as LayoutName, p, 'replace');
      this.bump(batch, rev + 1, { reload: true });
    });
  }
  async settings(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const r of await this.rowsOf<{ key: string; value: string }>('SELECT key, value FROM time_setting WHERE org_id = $1 AND map_id = $2')) out[r.key] = r.value;
    return out;
  }
  putSettings(entries: Record<string, string>): Promise<void> {
    return this.tx(async (c) => {
      await this.lock(c);
      for (const [k, v] of Object.entries(entries))
        await c.query(
          'INSERT INTO time_setting (org_id, map_id, key, value) VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, map_id, key) DO UPDATE SET value = excluded.value',
          [...this.base, k, v],
        );
    });
  }

  private async rowsOf<T extends object>(sql: string, extra: unknown[] = []): Promise<T[]> {
    try {
      await this.ready();
      return (await this.ctx.pool.query(sql, [...this.base, ...extra])).rows as T[];
    } catch (e) {
      throw mapPgError(e);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Snapshots, the edit log, erasure
  // -------------------------------------------------------------------------------------------

  readonly snapshots: SnapshotShelf = {
    list: async () =>
      (
        await this.rowsOf<SnapshotDbRow>(
          `SELECT ${SNAP_INFO} FROM snapshot WHERE org_id = $1 AND map_id = $2 ORDER BY taken_at DESC, ord DESC`,
        )
      ).map(toRecord),
    info: async (id) => {
      const r = await this.rowsOf<SnapshotDbRow>(`SELECT ${SNAP_INFO} FROM snapshot WHERE org_id = $1 AND map_id = $2 AND id = $3`, [id]);
      return r[0] ? toRecord(r[0]) : null;
    },
    body: async (id) => {
      const r = await this.rowsOf<SnapshotBody>('SELECT id, name, codec, body FROM snapshot WHERE org_id = $1 AND map_id = $2 AND id = $3', [id]);
      return r[0] ?? null;
    },
    add: (s: NewSnapshot) =>
      this.tx(async (c) => {
        await this.lock(c);
        await c.query(
          `INSERT INTO snapshot (org_id, map_id, id, name, taken_at, rev, codec, people, relations, team, coverage, raw_bytes, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
          [...this.base, s.id, s.name, s.takenAt, s.rev, s.codec, s.people, s.relations, s.team, s.coverage, s.rawBytes, s.body],
        );
      }),
    rename: (id, name) =>
      this.tx(async (c) => {
        await this.lock(c);
        const r = await c.query('UPDATE snapshot SET name = $4 WHERE org_id = $1 AND map_id = $2 AND id = $3', [...this.base, id, name]);
        return (r.rowCount ?? 0) > 0;
      }),
    remove: (id) =>
      this.tx(async (c) => {
        await this.lock(c);
        const r = await c.query('DELETE FROM snapshot WHERE org_id = $1 AND map_id = $2 AND id = $3', [...this.base, id]);
        return (r.rowCount ?? 0) > 0;
      }),
  };

  async byteSize(): Promise<number> {
    const r = await this.rowsOf<{ n: string | null }>(
      `SELECT (SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM person t WHERE org_id = $1 AND map_id = $2)
            + (SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM relation t WHERE org_id = $1 AND map_id = $2)
            + (SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM profile t WHERE org_id = $1 AND map_id = $2)
            + (SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM position t WHERE org_id = $1 AND map_id = $2)
            + (SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM snapshot t WHERE org_id = $1 AND map_id = $2) AS n`,
    );
    return Number(r[0]?.n ?? 0);
  }

  async undoSteps(): Promise<UndoStep[]> {
    const r = await this.rowsOf<{ seq: number; label: string; changes: string; at: Date; undone: boolean; user_id: string | null }>(
      'SELECT seq, label, changes, at, undone, user_id FROM undo_log WHERE org_id = $1 AND map_id = $2 ORDER BY seq',
    );
    return r.map((e) => ({ seq: e.seq, label: e.label, changes: JSON.parse(e.changes) as RowChange[], at: e.at.toISOString(), undone: e.undone, by: e.user_id }));
  }

  erase<T>(fn: (tx: EraseTx) => Promise<T>): Promise<T> {
    return this.tx(async (c, batch) => {
      const rev = await this.lock(c);
      const reader = new Reader(this.ctx, c);
      let bumped = false;
      const tx: EraseTx = {
        row: (t, key) => reader.row(t, key),
        rows: (t, w) => reader.rows(t, w),
        positions: (l) => reader.positions(l),
        rev: async () => rev,
        history: () => reader.history(),
        deleteRows: async (t, w) => {
          const q = where(this.base, w);
          return (await c.query(`DELETE FROM ${t} WHERE ${q.sql}`, q.values)).rowCount ?? 0;
        },
        deletePositions: async (nodeId) =>
          (await c.query('DELETE FROM position WHERE org_id = $1 AND map_id = $2 AND node_id = $3', [...this.base, nodeId])).rowCount ?? 0,
        undoSteps: async () => {
          const r = await c.query<{ seq: number; label: string; changes: string; at: Date; undone: boolean; user_id: string | null }>(
            'SELECT seq, label, changes, at, undone, user_id FROM undo_log WHERE org_id = $1 AND map_id = $2 ORDER BY seq',
            this.base,
          );
          return r.rows.map((e) => ({ seq: e.seq, label: e.label, changes: JSON.parse(e.changes) as RowChange[], at: e.at.toISOString(), undone: e.undone, by: e.user_id }));
        },
        rewriteUndoStep: async (seq, label, changes) => {
          if (changes === null) await c.query('DELETE FROM undo_log WHERE org_id = $1 AND map_id = $2 AND seq = $3', [...this.base, seq]);
          else await c.query('UPDATE undo_log SET label = $4, changes = $5 WHERE org_id = $1 AND map_id = $2 AND seq = $3', [...this.base, seq, label, JSON.stringify(changes)]);
        },
        snapshotBodies: async () =>
          (await c.query<SnapshotBody>('SELECT id, name, codec, body FROM snapshot WHERE org_id = $1 AND map_id = $2 ORDER BY ord', this.base)).rows,
        deleteSnapshot: async (id) => {
          await c.query('DELETE FROM snapshot WHERE org_id = $1 AND map_id = $2 AND id = $3', [...this.base, id]);
        },
        rewriteSnapshot: async (id, body, n) => {
          await c.query(
            'UPDATE snapshot SET body = $4, raw_bytes = $5, people = $6, relations = $7, coverage = $8 WHERE org_id = $1 AND map_id = $2 AND id = $3',
            [...this.base, id, body, n.rawBytes, n.people, n.relations, n.coverage],
          );
        },
        forgetPerson: (personId, names) => forgetInTeamTables(c, this.ctx, personId, names),
        bumpRev: async () => {
          bumped = true;
        },
      };
      const out = await fn(tx);
      if (bumped) this.bump(batch, rev + 1, { reload: true });
      return out;
    });
  }
}

/**
 * Where else the team database keeps traces of a person: the change feed (Changes carry person
 * rows), recorded operation results, and audit payloads. Feed entries and results that mention
 * them go (clients older than that revision reload); audit entries keep that something happened,
 * with the person's names and id taken out.
 */
async function forgetInTeamTables(c: PoolClient, ctx: TeamMapContext, personId: string, names: readonly string[]): Promise<number> {
  const needles = [personId, ...names.filter((n) => n.trim().length >= 2)];
  const hits = (s: string) => needles.some((n) => s.includes(n) || s.includes(JSON.stringify(n).slice(1, -1)));
  const base = [ctx.orgId, ctx.mapId];
  let n = 0;
  const feed = await c.query<{ rev: number; change: string }>('SELECT rev, change FROM map_changes WHERE org_id = $1 AND map_id = $2', base);
  const gone = feed.rows.filter((r) => hits(r.change)).map((r) => r.rev);
  if (gone.length) {
    await c.query('DELETE FROM map_changes WHERE org_id = $1 AND map_id = $2 AND rev = ANY($3::int[])', [...base, gone]);
    await c.query('UPDATE maps SET feed_floor = greatest(feed_floor, $3) WHERE org_id = $1 AND map_id = $2', [...base, Math.max(...gone) + 1]);
    n += gone.length;
  }
  const ops = await c.query<{ op_id: string; result: string }>('SELECT op_id, result FROM map_ops WHERE org_id = $1 AND map_id = $2', base);
  for (const o of ops.rows)
    if (hits(o.result)) {
      await c.query(`UPDATE map_ops SET result = '{"rev":0,"history":{"canUndo":false,"canRedo":false,"undoLabel":null,"redoLabel":null}}' WHERE org_id = $1 AND map_id = $2 AND op_id = $3`, [...base, o.op_id]);
      n++;
    }
  const audit = await c.query<{ audit_id: string; payload: unknown }>('SELECT audit_id, payload FROM audit WHERE org_id = $1 AND map_id = $2', base);
  for (const a of audit.rows) {
    let text = JSON.stringify(a.payload);
    if (!hits(text)) continue;
    for (const needle of needles) text = text.split(JSON.stringify(needle).slice(1, -1)).join('(erased)');
    await c.query('UPDATE audit SET payload = $3::jsonb WHERE org_id = $1 AND audit_id = $2', [ctx.orgId, a.audit_id, text]);
    n++;
  }
  return n;
}

const keptNotice = (t: TableName, row: Row, fields: string[]): EditNotice => {
  const s = subjectOf(t, row);
  return { kind: 'kept', entity: s.kind, id: s.id, name: short(row.name ?? ''), field: fields.join(', '), was: '', now: '', by: '' };
};

interface SnapshotDbRow {
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
const SNAP_INFO = 'id, name, taken_at, rev, codec, people, relations, team, coverage, raw_bytes, length(body) AS bytes';
const toRecord = (r: SnapshotDbRow): SnapshotRecord => ({
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
  bytes: Number(r.bytes),
});

/** PostgreSQL's refusals of an edit as the typed errors the map file gives. */
function mapPgError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const code = String((e as { code?: string })?.code ?? '');
  if (code.startsWith('23')) return new ApiError('INVALID_EDIT', `The edit breaks a rule of the map: ${(e as Error).message}`);
  return toApiError(e);
}
