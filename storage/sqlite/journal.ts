/**
 * The edit and undo journal of a map file. An edit runs in one transaction (BEGIN IMMEDIATE …
 * COMMIT, synchronous=FULL, so it is on disk when the call returns): the rows it puts and deletes
 * are written, their before and after images go to the undo_log table in the same transaction, and
 * the redo tail is dropped. Undo and redo apply those images back or forward, each again one durable
 * transaction, so undo history survives closing the map.
 *
 * What the journal remembers between edits so an edit needs no extra queries: the revision, the
 * undo-log size, the history state, and the rows it last read or wrote (their before images for
 * the next edit). All of it is valid while SQLite's total_changes() is what it was when it was
 * taken; any write that did not go through an edit (undo, redo, erasure, a load, a position)
 * changes that count, and the next edit reloads from the file. One query per edit checks it.
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import type { HistoryState, LayoutName, Position } from '../../shared/domain';
import { TABLES, changeOf, keyOf, undoImages, type Row, type RowChange, type TableName } from '../rows';
import type { Change } from '../../shared/domain';
import { decodeEditLabel, encodeEditLabel, type EditLabel } from '../../shared/i18n/history';
import type { UndoStep } from '../types';

/** How many undo steps a map keeps at least. */
export const UNDO_LIMIT = 500;
/**
 * The log is trimmed back to UNDO_LIMIT once it holds this many more steps: one batched delete
 * every UNDO_TRIM_SLACK edits instead of a delete (and its page writes) in every edit.
 */
export const UNDO_TRIM_SLACK = 50;

/**
 * The document revision (+1 per edit, undo, redo, load and erasure): doc_state.rev counts undo,
 * redo, loads and erasures; every edit inserts one undo_log row with seq = max(seq) + 1, and a
 * trigger (migration 0003) adds to doc_state.rev whatever the largest seq loses when the newest
 * steps are deleted. Adding the two saves an edit a page write and a statement.
 */
export const REV_SQL = `SELECT (SELECT rev FROM doc_state WHERE id = 1)
  + coalesce((SELECT max(seq) FROM undo_log), 0) AS rev`;

interface EditState {
  changes: number;
  rev: number;
  undoRows: number;
  history: HistoryState;
}

type RowCache = Map<string | number | null, Row | null>;

/** The writes of one open edit transaction (see Journal.begin). */
export interface EditRun {
  row(t: TableName, key: Row): Row | null;
  put(t: TableName, row: Row): void;
  del(t: TableName, key: Row): void;
  putPositions(layout: LayoutName, positions: readonly Position[], mode: 'replace' | 'keep'): void;
  dropPositions(nodeId: string): void;
  /** Records the step and commits; returns the Change. */
  commit(label: EditLabel | string): Change;
  rollback(): void;
}

export class Journal {
  private readonly stmtCache = new Map<string, Statement>();
  private readonly columnCache = new Map<TableName, readonly string[]>();
  private cached: EditState | null = null;
  /** Rows of the single-key tables as stored (null: no such row); describes the same state as `cached`. */
  private readonly rowCache = new Map<TableName, RowCache>();

  constructor(private readonly db: Db) {}

  stmt(sql: string): Statement {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  /** Forgets everything remembered (after a write that did not go through the journal failed half-way). */
  forget(): void {
    this.cached = null;
    this.rowCache.clear();
  }

  private totalChanges(): number {
    return (this.stmt('SELECT total_changes() AS n').get() as { n: number }).n;
  }
  /** The remembered revision, undo-log size and history, reloaded when the file changed otherwise. */
  private state(): EditState {
    const nested = this.db.inTransaction;
    const changes = this.totalChanges();
    if (!nested && this.cached && this.cached.changes === changes) return this.cached;
    this.rowCache.clear();
    const fresh: EditState = {
      changes,
      rev: (this.stmt(REV_SQL).get() as { rev: number }).rev,
      undoRows: (this.stmt('SELECT count(*) AS n FROM undo_log').get() as { n: number }).n,
      history: this.readHistory(),
    };
    if (!nested) this.cached = fresh;
    return fresh;
  }
  rev(): number {
    return this.state().rev;
  }
  history(): HistoryState {
    return { ...this.state().history };
  }
  private readHistory(): HistoryState {
    const u = this.stmt('SELECT label FROM undo_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1').get() as { label: string } | undefined;
    const r = this.stmt('SELECT label FROM undo_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1').get() as { label: string } | undefined;
    return { canUndo: !!u, canRedo: !!r, undoLabel: u ? decodeEditLabel(u.label) : null, redoLabel: r ? decodeEditLabel(r.label) : null };
  }

  // -------------------------------------------------------------------------------------------
  // Rows
  // -------------------------------------------------------------------------------------------

  readRow(t: TableName, key: Row): Row | null {
    const where = TABLES[t].key.map((k) => `${k} = @${k}`).join(' AND ');
    return (this.stmt(`SELECT * FROM ${t} WHERE ${where}`).get(keyOf(t, key)) as Row | undefined) ?? null;
  }
  readRows(t: TableName, where?: Row): Row[] {
    const cols = where ? Object.keys(where) : [];
    for (const c of cols) this.checkColumn(t, c);
    const sql = `SELECT * FROM ${t}${cols.length ? ` WHERE ${cols.map((c) => `${c} IS @${c}`).join(' AND ')}` : ''} ORDER BY rowid`;
    return this.stmt(sql).all(where ?? {}) as Row[];
  }
  positions(layout: LayoutName): Position[] {
    return (
      this.stmt('SELECT node_id, x, y, pinned FROM position WHERE layout = ? ORDER BY rowid').all(layout) as {
        node_id: string;
        x: number;
        y: number;
        pinned: number;
      }[]
    ).map((r) => ({ id: r.node_id, x: r.x, y: r.y, pinned: r.pinned === 1 }));
  }
  /** Column names come from code, never from input; this keeps it so. */
  private checkColumn(t: TableName, c: string): void {
    if (!this.columns(t).includes(c)) throw new Error(`${t} has no column ${c}`);
  }
  private columns(t: TableName): readonly string[] {
    let cols = this.columnCache.get(t);
    if (!cols) {
      cols = (this.db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
      this.columnCache.set(t, cols);
    }
    return cols;
  }

  /** Inserts or upserts a whole row; returns the rows changed. */
  writeRow(t: TableName, row: Row): number {
    const cols = Object.keys(row);
    for (const c of cols) this.checkColumn(t, c);
    const keys = TABLES[t].key as readonly string[];
    const updates = cols.filter((c) => !keys.includes(c));
    const sql =
      `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')}) ` +
      (updates.length ? `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}` : 'ON CONFLICT DO NOTHING');
    return this.stmt(sql).run(row).changes;
  }
  /** Writes only the columns that differ from the stored row (one UPDATE, no upsert). */
  private updateRow(t: TableName, before: Row, row: Row): number {
    const keys = TABLES[t].key as readonly string[];
    const changed: string[] = [];
    for (const c in row) if (row[c] !== before[c] && !keys.includes(c)) changed.push(c);
    if (changed.length === 0) return 0;
    for (const c of changed) this.checkColumn(t, c);
    const sql = `UPDATE ${t} SET ${changed.map((c) => `${c} = ?`).join(', ')} WHERE ${keys.map((k) => `${k} = ?`).join(' AND ')}`;
    return this.stmt(sql).run(...changed.map((c) => row[c] ?? null), ...keys.map((k) => row[k] ?? null)).changes;
  }
  deleteRow(t: TableName, key: Row): number {
    const where = TABLES[t].key.map((k) => `${k} = @${k}`).join(' AND ');
    return this.stmt(`DELETE FROM ${t} WHERE ${where}`).run(keyOf(t, key)).changes;
  }
  /**
   * The row as stored after writing `row`: the written values over the old row, or the row itself
   * when it names every column (STRICT tables store exactly what was bound). Only a partial new
   * row is read back, to pick up column defaults.
   */
  private afterImage(t: TableName, before: Row | null, row: Row): Row {
    if (before) return { ...before, ...row };
    const cols = this.columns(t);
    if (cols.every((c) => Object.hasOwn(row, c))) return Object.fromEntries(cols.map((c) => [c, row[c]!]));
    return this.readRow(t, keyOf(t, row))!;
  }
  putPosition(layout: LayoutName, p: Position, mode: 'replace' | 'keep'): number {
    return this.stmt(
      mode === 'replace'
        ? `INSERT INTO position (layout, node_id, x, y, pinned) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (layout, node_id) DO UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned`
        : 'INSERT INTO position (layout, node_id, x, y, pinned) VALUES (?, ?, ?, ?, ?) ON CONFLICT (layout, node_id) DO NOTHING',
    ).run(layout, p.id, p.x, p.y, p.pinned ? 1 : 0).changes;
  }
  dropPositions(nodeId: string): number {
    return this.stmt('DELETE FROM position WHERE node_id = ?').run(nodeId).changes;
  }
  bumpRev(): void {
    this.stmt('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
  }

  // -------------------------------------------------------------------------------------------
  // Edits
  // -------------------------------------------------------------------------------------------

  private cacheOf(t: TableName): RowCache {
    let rows = this.rowCache.get(t);
    if (!rows) this.rowCache.set(t, (rows = new Map()));
    return rows;
  }

  /**
   * Opens an edit transaction. Every statement of the edit goes through the returned run and is
   * counted, so the remembered state stays valid without asking SQLite again after the commit.
   */
  begin(): EditRun {
    const st = this.state();
    this.stmt('BEGIN IMMEDIATE').run();
    const changes: RowChange[] = [];
    let counted = 0;
    const useCache = this.cached === st;
    const cache = (t: TableName): RowCache | null => (useCache && TABLES[t].key.length === 1 ? this.cacheOf(t) : null);
    const keyValue = (t: TableName, r: Row) => r[TABLES[t].key[0]] ?? null;
    const before = (t: TableName, key: Row): Row | null => {
      const c = cache(t);
      if (!c) return this.readRow(t, key);
      const k = keyValue(t, key);
      let r = c.get(k);
      if (r === undefined) c.set(k, (r = this.readRow(t, key)));
      return r;
    };
    let done = false;
    const finish = () => {
      if (done) throw new Error('edit already finished');
      done = true;
    };
    return {
      row: before,
      put: (t, row) => {
        const b = before(t, row);
        counted += b ? this.updateRow(t, b, row) : this.writeRow(t, row);
        const a = this.afterImage(t, b, row);
        cache(t)?.set(keyValue(t, row), a);
        changes.push({ t, b, a });
      },
      del: (t, key) => {
        const b = before(t, key);
        if (!b) return;
        counted += this.deleteRow(t, key);
        cache(t)?.set(keyValue(t, key), null);
        changes.push({ t, b, a: null });
      },
      putPositions: (layout, positions, mode) => {
        for (const p of positions) counted += this.putPosition(layout, p, mode);
      },
      dropPositions: (nodeId) => {
        counted += this.dropPositions(nodeId);
      },
      commit: (label) => {
        finish();
        let next: EditState = st;
        try {
          if (changes.length) {
            let undoRows = st.undoRows;
            if (st.history.canRedo) {
              const n = this.stmt('DELETE FROM undo_log WHERE undone = 1').run().changes;
              undoRows -= n;
              counted += n;
            }
            counted += this.stmt('INSERT INTO undo_log (label, changes, undone, at) VALUES (?, ?, 0, ?)').run(
              encodeEditLabel(label),
              JSON.stringify(changes.length === 1 ? [undoImages(changes[0]!)] : changes.map(undoImages)),
              new Date().toISOString(),
            ).changes;
            undoRows += 1;
            if (undoRows >= UNDO_LIMIT + UNDO_TRIM_SLACK) {
              const n = this.stmt(`DELETE FROM undo_log WHERE seq <= (SELECT seq FROM undo_log ORDER BY seq DESC LIMIT 1 OFFSET ${UNDO_LIMIT})`).run().changes;
              undoRows -= n;
              counted += n;
            }
            // No doc_state write: the undo_log insert raised max(seq) by one (REV_SQL).
            next = { changes: 0, rev: st.rev + 1, undoRows, history: { canUndo: true, canRedo: false, undoLabel: typeof label === 'string' ? decodeEditLabel(label) : label, redoLabel: null } };
          }
          this.stmt('COMMIT').run();
        } catch (e) {
          if (this.db.inTransaction) this.stmt('ROLLBACK').run();
          this.forget();
          throw e;
        }
        // Every statement of the edit was counted: the state after it is known without a query.
        if (!useCache) this.rowCache.clear();
        this.cached = { ...next, changes: st.changes + counted };
        return changeOf(changes, next.rev, next.history);
      },
      rollback: () => {
        if (done) return;
        done = true;
        if (this.db.inTransaction) this.stmt('ROLLBACK').run();
        this.forget();
      },
    };
  }

  /** Applies one undo-log step backwards (undo) or forwards (redo), as one transaction. */
  step(direction: 'undo' | 'redo'): Change {
    let applied: RowChange[] = [];
    const run = this.db.transaction(() => {
      const entry = (
        direction === 'undo'
          ? this.stmt('SELECT seq, changes FROM undo_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1').get()
          : this.stmt('SELECT seq, changes FROM undo_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1').get()
      ) as { seq: number; changes: string } | undefined;
      if (!entry) return;
      const list = JSON.parse(entry.changes) as RowChange[];
      // Each change as this step applies it: from the image now stored to the one wanted.
      const steps =
        direction === 'undo' ? [...list].reverse().map((c) => ({ t: c.t, from: c.a, to: c.b })) : list.map((c) => ({ t: c.t, from: c.b, to: c.a }));
      for (const { t, from, to } of steps) {
        // An update's images hold only the columns it changed (undoImages): write those back.
        if (to && from) this.updateRow(t, from, to);
        else if (to) this.writeRow(t, to);
        else if (from) this.deleteRow(t, keyOf(t, from));
      }
      // The renderer gets whole rows: read back what the step wrote.
      applied = steps.map(({ t, from, to }) => ({ t, b: from, a: to ? this.readRow(t, keyOf(t, to)) : null }));
      this.stmt('UPDATE undo_log SET undone = ? WHERE seq = ?').run(direction === 'undo' ? 1 : 0, entry.seq);
      this.bumpRev();
    });
    try {
      run.immediate();
    } catch (e) {
      this.forget();
      throw e;
    }
    const st = this.state();
    return changeOf(applied, st.rev, st.history);
  }

  // -------------------------------------------------------------------------------------------
  // The undo log as an erasure rewrites it
  // -------------------------------------------------------------------------------------------

  undoSteps(): UndoStep[] {
    return (
      this.stmt('SELECT seq, label, changes, at, undone FROM undo_log ORDER BY seq').all() as {
        seq: number;
        label: string;
        changes: string;
        at: string;
        undone: number;
      }[]
    ).map((e) => ({ seq: e.seq, label: e.label, changes: JSON.parse(e.changes) as RowChange[], at: e.at, undone: e.undone === 1 }));
  }
  rewriteUndoStep(seq: number, label: string, changes: RowChange[] | null): void {
    if (changes === null) this.stmt('DELETE FROM undo_log WHERE seq = ?').run(seq);
    else this.stmt('UPDATE undo_log SET label = ?, changes = ? WHERE seq = ?').run(label, JSON.stringify(changes), seq);
  }
  clearUndo(): void {
    this.stmt('DELETE FROM undo_log').run();
  }
}
