/**
 * One open map file. Every edit runs in its own transaction (synchronous=FULL, so it is on disk
 * when the call returns) and records the before/after images of the rows it touched in the
 * undo_log table, so undo and redo are themselves ordinary durable transactions.
 */
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import {
  LAYOUTS,
  PROFILE_FIELDS,
  defaultMeta,
  defaultPersonFields,
  emptyProfile,
  type Change,
  type Coverage,
  type HistoryState,
  type LayoutName,
  type MapDocument,
  type MapMeta,
  type Person,
  type PersonFields,
  type Position,
  type Profile,
  type Relation,
  type RelationFields,
  type TeamMember,
  type TeamMemberFields,
} from '../../../shared/domain';
import { APPLICATION_ID, checkMapFile, fsError, isWritable } from './file-check';
import { LATEST_VERSION, migrate } from './migrations';
import {
  TABLES,
  coverageToRow,
  memberToRow,
  metaToRow,
  personToRow,
  relationToRow,
  rowToCoverage,
  rowToMember,
  rowToMeta,
  rowToPerson,
  rowToRelation,
  type Row,
  type TableName,
} from './rows';

/** How many undo steps a map keeps. */
export const UNDO_LIMIT = 500;

interface RowChange {
  t: TableName;
  b: Row | null;
  a: Row | null;
}

export const newId = (prefix: string): string => `${prefix}${crypto.randomBytes(9).toString('base64url')}`;
const now = () => new Date().toISOString();

/** Sets the pragmas every connection to a map file uses. */
function configure(db: Db): void {
  // An exclusive lock held for the connection's life: a second PowerMap (window, app or CLI)
  // gets SQLITE_BUSY at once instead of two writers interleaving undo logs.
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('busy_timeout = 0');
  db.pragma('journal_mode = WAL');
  // WAL defaults to NORMAL in better-sqlite3, which can drop the last commits on power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted content is overwritten, so a purged person leaves no bytes behind.
  db.pragma('secure_delete = ON');
}

function sqliteError(e: unknown, file: string): ApiError {
  if (e instanceof ApiError) return e;
  const name = path.basename(file);
  const code = String((e as { code?: string })?.code ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new ApiError('LOCKED', `${name} is open in another PowerMap window or program`, { name });
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_PERM'))
    return new ApiError('READ_ONLY', `${name} cannot be written: it or its folder is read-only`, { name });
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new ApiError('CORRUPT', `${name} is damaged and cannot be opened`, { name });
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL')
    return new ApiError('IO', `${name}: ${(e as Error).message}`, { name });
  if (code.startsWith('SQLITE_')) return new ApiError('IO', `${name}: ${(e as Error).message}`, { name });
  return fsError(e, file);
}

export interface OpenOptions {
  /** Make a backup copy before migrating an older file (default true). */
  backupBeforeMigrate?: boolean;
}

export class MapStore {
  readonly file: string;
  readonly db: Db;
  private readonly stmtCache = new Map<string, Statement>();
  private closed = false;

  private constructor(file: string, db: Db) {
    this.file = file;
    this.db = db;
  }

  /** Creates a new map file; refuses to overwrite an existing file. */
  static create(file: string, meta: Partial<MapMeta> = {}): MapStore {
    file = path.resolve(file);
    if (fs.existsSync(file)) throw new ApiError('FILE_EXISTS', `${path.basename(file)} already exists`, { name: path.basename(file), path: file });
    const dir = path.dirname(file);
    if (!fs.existsSync(dir)) throw fsError(Object.assign(new Error('no folder'), { code: 'ENOENT' }), file);
    // Built aside and renamed into place: a crash never leaves a half-made map at the target.
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
    try {
      const db = new Database(tmp);
      try {
        db.pragma(`application_id = ${APPLICATION_ID}`);
        migrate(db);
        db.prepare(
          `INSERT INTO map_meta (id, account, deal, stage, posture, incumbent, competitors, budget, timeline, notes, created_at)
           VALUES (@id, @account, @deal, @stage, @posture, @incumbent, @competitors, @budget, @timeline, @notes, @created_at)`,
        ).run(metaToRow({ ...defaultMeta(), ...meta }, now()));
        db.pragma('journal_mode = WAL');
      } finally {
        db.close();
      }
      fs.renameSync(tmp, file);
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      fs.rmSync(`${tmp}-wal`, { force: true });
      fs.rmSync(`${tmp}-shm`, { force: true });
      throw sqliteError(e, file);
    }
    return MapStore.open(file);
  }

  /**
   * Opens an existing map. A file that is not a PowerMap map, is damaged, is locked, read-only
   * or from a newer version is refused with a typed error and left byte-for-byte unchanged.
   */
  static open(file: string, opts: OpenOptions = {}): MapStore {
    file = path.resolve(file);
    const header = checkMapFile(file);
    const name = path.basename(file);
    if (header.userVersion > LATEST_VERSION)
      throw new ApiError('NEWER_VERSION', `${name} was made by a newer PowerMap (file version ${header.userVersion}); update PowerMap to open it`, {
        name,
        version: header.userVersion,
      });
    if (!isWritable(file))
      throw new ApiError('READ_ONLY', `${name} cannot be written: it or its folder is read-only`, { name });
    let db: Db | undefined;
    try {
      db = new Database(file, { fileMustExist: true });
      configure(db);
      // Take the exclusive lock now (a write lock that the connection keeps).
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new ApiError('CORRUPT', `${name} is damaged and cannot be opened`, { name });
      const appId = db.pragma('application_id', { simple: true }) as number;
      if (appId !== APPLICATION_ID)
        throw new ApiError('NOT_A_POWERMAP', `${name} is a database of another program, not a PowerMap map`, { name });
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > LATEST_VERSION)
        throw new ApiError('NEWER_VERSION', `${name} was made by a newer PowerMap (file version ${version}); update PowerMap to open it`, {
          name,
          version,
        });
      if (version < LATEST_VERSION) {
        if (opts.backupBeforeMigrate !== false) {
          db.pragma('wal_checkpoint(TRUNCATE)');
          fs.copyFileSync(file, `${file}.v${version}.bak`, fs.constants.COPYFILE_EXCL);
        }
        migrate(db);
      }
      const store = new MapStore(file, db);
      store.getMetaRow(); // a map with no meta row is damaged
      return store;
    } catch (e) {
      try {
        db?.close();
      } catch {
        /* already failing */
      }
      const err = sqliteError(e, file);
      throw err;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get fileVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private stmt(sql: string): Statement {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  // -------------------------------------------------------------------------------------------
  // Reading
  // -------------------------------------------------------------------------------------------

  private getMetaRow(): Row {
    const r = this.stmt('SELECT * FROM map_meta WHERE id = 1').get() as Row | undefined;
    if (!r) throw new ApiError('CORRUPT', `${path.basename(this.file)} has no map record`, { name: path.basename(this.file) });
    return r;
  }
  meta(): MapMeta {
    return rowToMeta(this.getMetaRow());
  }
  rev(): number {
    return (this.stmt('SELECT rev FROM doc_state WHERE id = 1').get() as { rev: number }).rev;
  }
  people(): Person[] {
    return (this.stmt('SELECT * FROM person ORDER BY rowid').all() as Row[]).map(rowToPerson);
  }
  person(id: string): Person | null {
    const r = this.stmt('SELECT * FROM person WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToPerson(r) : null;
  }
  relations(): Relation[] {
    return (this.stmt('SELECT * FROM relation ORDER BY rowid').all() as Row[]).map(rowToRelation);
  }
  relation(id: string): Relation | null {
    const r = this.stmt('SELECT * FROM relation WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToRelation(r) : null;
  }
  team(): TeamMember[] {
    return (this.stmt('SELECT * FROM member ORDER BY rowid').all() as Row[]).map(rowToMember);
  }
  member(id: string): TeamMember | null {
    const r = this.stmt('SELECT * FROM member WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToMember(r) : null;
  }
  coverage(): Coverage[] {
    return (this.stmt('SELECT * FROM coverage ORDER BY rowid').all() as Row[]).map(rowToCoverage);
  }
  profile(personId: string): Profile {
    this.requirePerson(personId);
    const r = this.stmt('SELECT data FROM profile WHERE person_id = ?').get(personId) as { data: string } | undefined;
    const out = emptyProfile();
    if (r) {
      const data = JSON.parse(r.data) as Record<string, unknown>;
      for (const f of PROFILE_FIELDS) if (typeof data[f] === 'string') out[f] = data[f];
    }
    return out;
  }
  /** Every stored profile, keyed by person id (exports with personal details). */
  profiles(): Record<string, Profile> {
    const out: Record<string, Profile> = {};
    for (const r of this.stmt('SELECT person_id FROM profile').all() as { person_id: string }[])
      out[r.person_id] = this.profile(r.person_id);
    return out;
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

  history(): HistoryState {
    const u = this.stmt('SELECT label FROM undo_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1').get() as
      | { label: string }
      | undefined;
    const r = this.stmt('SELECT label FROM undo_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1').get() as
      | { label: string }
      | undefined;
    return { canUndo: !!u, canRedo: !!r, undoLabel: u?.label ?? null, redoLabel: r?.label ?? null };
  }

  document(): MapDocument {
    const read = this.db.transaction(() => ({
      path: this.file,
      fileVersion: this.fileVersion,
      rev: this.rev(),
      meta: this.meta(),
      people: this.people(),
      relations: this.relations(),
      team: this.team(),
      coverage: this.coverage(),
      positions: Object.fromEntries(LAYOUTS.map((l) => [l, this.positions(l)])) as Record<LayoutName, Position[]>,
      history: this.history(),
    }));
    return read();
  }

  counts(): { people: number; relations: number; team: number; coverage: number } {
    const c = (t: string) => (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { people: c('person'), relations: c('relation'), team: c('member'), coverage: c('coverage') };
  }

  private requirePerson(id: string): Person {
    const p = this.person(id);
    if (!p) throw new ApiError('NOT_FOUND', `No person with id ${id}`, { id });
    return p;
  }
  private requireMember(id: string): TeamMember {
    const m = this.member(id);
    if (!m) throw new ApiError('NOT_FOUND', `No team member with id ${id}`, { id });
    return m;
  }

  // -------------------------------------------------------------------------------------------
  // The edit machinery
  // -------------------------------------------------------------------------------------------

  private keyWhere(t: TableName): string {
    return TABLES[t].key.map((k) => `${k} = @${k}`).join(' AND ');
  }
  private readRow(t: TableName, key: Row): Row | null {
    return (this.stmt(`SELECT * FROM ${t} WHERE ${this.keyWhere(t)}`).get(key) as Row | undefined) ?? null;
  }
  private writeRow(t: TableName, row: Row): void {
    const cols = Object.keys(row);
    const keys = TABLES[t].key as readonly string[];
    const updates = cols.filter((c) => !keys.includes(c));
    const sql =
      `INSERT INTO ${t} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')}) ` +
      (updates.length
        ? `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates.map((c) => `${c} = excluded.${c}`).join(', ')}`
        : 'ON CONFLICT DO NOTHING');
    this.stmt(sql).run(row);
  }
  private deleteRow(t: TableName, key: Row): void {
    this.stmt(`DELETE FROM ${t} WHERE ${this.keyWhere(t)}`).run(key);
  }
  private keyOf(t: TableName, row: Row): Row {
    return Object.fromEntries(TABLES[t].key.map((k) => [k, row[k]!]));
  }

  /**
   * Runs one edit in one transaction: `fn` writes through the recorder, the row images go to the
   * undo log, the redo tail is dropped, and the Change for the renderer is returned.
   */
  edit(label: string, fn: (w: Writer) => void): Change {
    const changes: RowChange[] = [];
    const w: Writer = {
      put: (t, row) => {
        const before = this.readRow(t, this.keyOf(t, row));
        this.writeRow(t, row);
        changes.push({ t, b: before, a: this.readRow(t, this.keyOf(t, row)) });
      },
      del: (t, key) => {
        const before = this.readRow(t, key);
        if (!before) return;
        this.deleteRow(t, key);
        changes.push({ t, b: before, a: null });
      },
    };
    const run = this.db.transaction(() => {
      fn(w);
      if (changes.length === 0) return;
      this.stmt('DELETE FROM undo_log WHERE undone = 1').run();
      this.stmt('INSERT INTO undo_log (label, changes, undone, at) VALUES (?, ?, 0, ?)').run(
        label,
        JSON.stringify(changes),
        now(),
      );
      this.stmt(
        `DELETE FROM undo_log WHERE seq <= (SELECT seq FROM undo_log ORDER BY seq DESC LIMIT 1 OFFSET ${UNDO_LIMIT})`,
      ).run();
      this.stmt('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
    });
    this.guard(() => run.immediate());
    return this.changeOf(changes);
  }

  private guard<T>(fn: () => T): T {
    if (this.closed) throw new ApiError('NO_MAP_OPEN', 'The map is closed');
    try {
      return fn();
    } catch (e) {
      if (e instanceof ApiError) throw e;
      const code = String((e as { code?: string })?.code ?? '');
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code.startsWith('SQLITE_CONSTRAINT'))
        throw new ApiError('INVALID_EDIT', `The edit breaks a rule of the map: ${(e as Error).message}`);
      throw sqliteError(e, this.file);
    }
  }

  /** Applies one undo-log entry backwards (undo) or forwards (redo). */
  private step(direction: 'undo' | 'redo'): Change {
    let applied: RowChange[] = [];
    const run = this.db.transaction(() => {
      const entry = (
        direction === 'undo'
          ? this.stmt('SELECT seq, changes FROM undo_log WHERE undone = 0 ORDER BY seq DESC LIMIT 1').get()
          : this.stmt('SELECT seq, changes FROM undo_log WHERE undone = 1 ORDER BY seq ASC LIMIT 1').get()
      ) as { seq: number; changes: string } | undefined;
      if (!entry) return;
      const list = JSON.parse(entry.changes) as RowChange[];
      const ordered = direction === 'undo' ? [...list].reverse() : list;
      for (const c of ordered) {
        const target = direction === 'undo' ? c.b : c.a;
        const other = direction === 'undo' ? c.a : c.b;
        if (target) this.writeRow(c.t, target);
        else if (other) this.deleteRow(c.t, this.keyOf(c.t, other));
      }
      applied = ordered.map((c) => (direction === 'undo' ? { t: c.t, b: c.a, a: c.b } : c));
      this.stmt('UPDATE undo_log SET undone = ? WHERE seq = ?').run(direction === 'undo' ? 1 : 0, entry.seq);
      this.stmt('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
    });
    this.guard(() => run.immediate());
    return this.changeOf(applied);
  }
  undo(): Change {
    return this.step('undo');
  }
  redo(): Change {
    return this.step('redo');
  }

  /** Turns recorded row changes into the entity-level Change the renderer applies. */
  private changeOf(changes: RowChange[]): Change {
    const last = new Map<string, RowChange & { first: Row | null }>();
    for (const c of changes) {
      const row = c.a ?? c.b!;
      const k = `${c.t}:${JSON.stringify(this.keyOf(c.t, row))}`;
      const prev = last.get(k);
      last.set(k, { ...c, first: prev ? prev.first : c.b });
    }
    const out: Change = { rev: this.rev(), history: this.history() };
    const del: NonNullable<Change['deleted']> = {};
    for (const c of last.values()) {
      switch (c.t) {
        case 'map_meta':
          if (c.a) out.meta = rowToMeta(c.a);
          break;
        case 'person':
          if (c.a) (out.people ??= []).push(rowToPerson(c.a));
          else (del.people ??= []).push(String(c.b!.id));
          break;
        case 'relation':
          if (c.a) (out.relations ??= []).push(rowToRelation(c.a));
          else (del.relations ??= []).push(String(c.b!.id));
          break;
        case 'member':
          if (c.a) (out.team ??= []).push(rowToMember(c.a));
          else (del.team ??= []).push(String(c.b!.id));
          break;
        case 'coverage':
          if (c.a) (out.coverage ??= []).push(rowToCoverage(c.a));
          else (del.coverage ??= []).push({ memberId: String(c.b!.member_id), personId: String(c.b!.person_id) });
          break;
        case 'profile':
          break; // fetched on demand; never pushed to the renderer
      }
    }
    if (Object.keys(del).length) out.deleted = del;
    return out;
  }

  // -------------------------------------------------------------------------------------------
  // Edits
  // -------------------------------------------------------------------------------------------

  updateMeta(patch: Partial<MapMeta>): Change {
    const row = this.getMetaRow();
    const meta = { ...rowToMeta(row), ...patch };
    return this.edit('Edit map details', (w) => w.put('map_meta', metaToRow(meta, String(row.created_at))));
  }

  createPerson(fields: Partial<PersonFields> & { name: string; id?: string }): Change {
    const id = fields.id ?? newId('p_');
    if (this.person(id)) throw new ApiError('INVALID_EDIT', `A person with id ${id} already exists`, { id });
    const { id: _ignored, ...rest } = fields;
    void _ignored;
    const p: Person = { ...defaultPersonFields(), ...rest, id };
    const t = now();
    return this.edit(`Add ${p.name}`, (w) => w.put('person', personToRow(p, t, t)));
  }

  updatePerson(id: string, patch: Partial<PersonFields>): Change {
    const before = this.requirePerson(id);
    const row = this.readRow('person', { id })!;
    const p: Person = { ...before, ...patch, id };
    return this.edit(`Edit ${p.name}`, (w) => w.put('person', personToRow(p, String(row.created_at), now())));
  }

  deletePerson(id: string): Change {
    const p = this.requirePerson(id);
    return this.edit(`Delete ${p.name}`, (w) => {
      for (const r of this.stmt('SELECT id FROM relation WHERE source = ? OR target = ?').all(id, id) as { id: string }[])
        w.del('relation', { id: r.id });
      for (const c of this.stmt('SELECT member_id FROM coverage WHERE person_id = ?').all(id) as { member_id: string }[])
        w.del('coverage', { member_id: c.member_id, person_id: id });
      w.del('profile', { person_id: id });
      w.del('person', { id });
      this.stmt('DELETE FROM position WHERE node_id = ?').run(id);
    });
  }

  updateProfile(personId: string, patch: Partial<Profile>): Change {
    const p = this.requirePerson(personId);
    const merged = { ...this.profile(personId), ...patch };
    const nonEmpty = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== ''));
    return this.edit(`Edit personal details of ${p.name}`, (w) => {
      if (Object.keys(nonEmpty).length) w.put('profile', { person_id: personId, data: JSON.stringify(nonEmpty) });
      else w.del('profile', { person_id: personId });
    });
  }

  private checkRelation(r: Relation, replacing?: string): void {
    this.requirePerson(r.source);
    this.requirePerson(r.target);
    if (r.source === r.target) throw new ApiError('INVALID_EDIT', 'A relation needs two different people');
    const symmetric = r.kind === 'alliance' || r.kind === 'conflict';
    const dup = this.relations().find(
      (o) =>
        o.id !== r.id &&
        o.id !== replacing &&
        o.kind === r.kind &&
        ((o.source === r.source && o.target === r.target) ||
          (symmetric && o.source === r.target && o.target === r.source)),
    );
    if (dup) throw new ApiError('INVALID_EDIT', `These two people already have a ${r.kind.replace('_', ' ')} relation`);
    if (r.kind === 'reports_to') {
      // Walk up from the new boss: reaching the source would make a reporting loop.
      const boss = new Map(
        this.relations()
          .filter((o) => o.kind === 'reports_to' && o.source !== r.source)
          .map((o) => [o.source, o.target]),
      );
      let cur: string | undefined = r.target;
      const seen = new Set<string>();
      while (cur && !seen.has(cur)) {
        if (cur === r.source) throw new ApiError('INVALID_EDIT', 'That reporting line would make a loop');
        seen.add(cur);
        cur = boss.get(cur);
      }
    }
  }

  createRelation(fields: Omit<RelationFields, 'strength' | 'note'> & Partial<RelationFields> & { id?: string }): Change {
    const id = fields.id ?? newId('r_');
    if (this.relation(id)) throw new ApiError('INVALID_EDIT', `A relation with id ${id} already exists`, { id });
    const r: Relation = { strength: 2, note: '', ...fields, id };
    // A person has one formal line: a new reports-to replaces the old one in the same edit.
    const old =
      r.kind === 'reports_to'
        ? (this.stmt("SELECT id FROM relation WHERE kind = 'reports_to' AND source = ?").get(r.source) as
            | { id: string }
            | undefined)
        : undefined;
    this.checkRelation(r, old?.id);
    const name = (pid: string) => this.person(pid)?.name ?? pid;
    return this.edit(`Connect ${name(r.source)} and ${name(r.target)}`, (w) => {
      if (old) w.del('relation', { id: old.id });
      w.put('relation', relationToRow(r));
    });
  }

  updateRelation(id: string, patch: Partial<RelationFields>): Change {
    const before = this.relation(id);
    if (!before) throw new ApiError('NOT_FOUND', `No relation with id ${id}`, { id });
    const r: Relation = { ...before, ...patch, id };
    this.checkRelation(r);
    return this.edit('Edit relation', (w) => w.put('relation', relationToRow(r)));
  }

  deleteRelation(id: string): Change {
    if (!this.relation(id)) throw new ApiError('NOT_FOUND', `No relation with id ${id}`, { id });
    return this.edit('Delete relation', (w) => w.del('relation', { id }));
  }

  createMember(fields: Partial<TeamMemberFields> & { name: string; id?: string }): Change {
    const id = fields.id ?? newId('m_');
    if (this.member(id)) throw new ApiError('INVALID_EDIT', `A team member with id ${id} already exists`, { id });
    const m: TeamMember = { role: '', ...fields, id };
    return this.edit(`Add ${m.name} to our team`, (w) => w.put('member', memberToRow(m)));
  }

  updateMember(id: string, patch: Partial<TeamMemberFields>): Change {
    const m = { ...this.requireMember(id), ...patch, id };
    return this.edit(`Edit ${m.name}`, (w) => w.put('member', memberToRow(m)));
  }

  deleteMember(id: string): Change {
    const m = this.requireMember(id);
    return this.edit(`Remove ${m.name} from our team`, (w) => {
      for (const c of this.stmt('SELECT person_id FROM coverage WHERE member_id = ?').all(id) as { person_id: string }[])
        w.del('coverage', { member_id: id, person_id: c.person_id });
      w.del('member', { id });
      this.stmt('DELETE FROM position WHERE node_id = ?').run(id);
    });
  }

  setCoverage(memberId: string, personId: string, strength: 1 | 2 | 3 | null): Change {
    const m = this.requireMember(memberId);
    const p = this.requirePerson(personId);
    return this.edit(strength === null ? `${m.name} no longer covers ${p.name}` : `${m.name} covers ${p.name}`, (w) => {
      if (strength === null) w.del('coverage', { member_id: memberId, person_id: personId });
      else w.put('coverage', coverageToRow({ memberId, personId, strength }));
    });
  }

  // -------------------------------------------------------------------------------------------
  // Layout positions (stored, not undoable)
  // -------------------------------------------------------------------------------------------

  setPositions(layout: LayoutName, positions: Position[]): void {
    const put = this.stmt(
      `INSERT INTO position (layout, node_id, x, y, pinned) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (layout, node_id) DO UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned`,
    );
    this.guard(() =>
      this.db.transaction(() => {
        for (const p of positions) put.run(layout, p.id, p.x, p.y, p.pinned ? 1 : 0);
      }).immediate(),
    );
  }
  clearPositions(layout: LayoutName): void {
    this.guard(() => this.stmt('DELETE FROM position WHERE layout = ?').run(layout));
  }

  /**
   * Loads a whole map in one transaction (imports, the sample). Not undoable: it is how a new
   * file is filled, so a crash leaves either nothing or everything.
   */
  load(data: {
    meta?: Partial<MapMeta>;
    people: Person[];
    relations: Relation[];
    team: TeamMember[];
    coverage: Coverage[];
    profiles?: Record<string, Partial<Profile>>;
    positions?: Partial<Record<LayoutName, Position[]>>;
  }): void {
    const t = now();
    this.guard(() =>
      this.db.transaction(() => {
        const row = this.getMetaRow();
        if (data.meta) this.writeRow('map_meta', metaToRow({ ...rowToMeta(row), ...data.meta }, String(row.created_at)));
        for (const p of data.people) this.writeRow('person', personToRow(p, t, t));
        for (const [pid, prof] of Object.entries(data.profiles ?? {})) {
          const nonEmpty = Object.fromEntries(Object.entries(prof).filter(([, v]) => v));
          if (Object.keys(nonEmpty).length) this.writeRow('profile', { person_id: pid, data: JSON.stringify(nonEmpty) });
        }
        for (const r of data.relations) this.writeRow('relation', relationToRow(r));
        for (const m of data.team) this.writeRow('member', memberToRow(m));
        for (const c of data.coverage) this.writeRow('coverage', coverageToRow(c));
        for (const [layout, ps] of Object.entries(data.positions ?? {}))
          for (const p of ps ?? []) this.setPositionsRaw(layout as LayoutName, p);
        this.stmt('UPDATE doc_state SET rev = rev + 1 WHERE id = 1').run();
      }).immediate(),
    );
  }
  private setPositionsRaw(layout: LayoutName, p: Position): void {
    this.stmt(
      `INSERT INTO position (layout, node_id, x, y, pinned) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (layout, node_id) DO UPDATE SET x = excluded.x, y = excluded.y, pinned = excluded.pinned`,
    ).run(layout, p.id, p.x, p.y, p.pinned ? 1 : 0);
  }
}

/** The writer an edit uses: every row change goes through it, so it can be undone. */
export interface Writer {
  put(t: TableName, row: Row): void;
  del(t: TableName, key: Row): void;
}
