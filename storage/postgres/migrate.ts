/**
 * The team database's schema migrations: one file per migration
 * (storage/postgres/migrations/NNNN-name.ts, holding SQL), listed in migrations/index.ts.
 *
 * `migrate` runs every pending migration in ONE transaction that first takes a
 * transaction-level advisory lock, so two server instances starting at once do not race: the
 * second waits, then finds nothing left to do. PostgreSQL's DDL is transactional, so a failing
 * migration leaves the database exactly as it was. The applied versions are rows of
 * `schema_version`.
 *
 * Refused, untouched: a database whose schema is newer than this server knows (NEWER_VERSION),
 * and a database that holds other tables but no PowerMap schema (NOT_A_POWERMAP), so pointing
 * the server at the wrong database changes nothing there.
 */
import type pg from 'pg';
import { ApiError } from '../../shared/api/errors';
import { MIGRATIONS } from './migrations';
import type { Queryable } from './pool';

export interface PgMigration {
  /** 1, 2, 3…: the NNNN of its file name. */
  version: number;
  /** The rest of the file name (e.g. 'accounts'). */
  name: string;
  /** SQL run inside the migration transaction (several statements are fine). */
  sql: string;
}

export interface MigrateResult {
  /** The schema version found (0 for an empty database). */
  from: number;
  /** The schema version now. */
  to: number;
  /** The versions applied by this call (empty when another instance had done it). */
  applied: number[];
}

/** pg_advisory_xact_lock key: 'PMAP' in the high half, 1 = schema migration. */
export const MIGRATION_LOCK_KEY = (0x504d4150n << 32n) | 1n;

export const LATEST_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

const SCHEMA_VERSION_DDL = `
CREATE TABLE schema_version (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  applied_at  timestamptz NOT NULL DEFAULT now(),
  app_version text NOT NULL
)`;

/** Versions rise strictly (gaps allowed: ranges are set aside per area, see migrations/index.ts). */
export function checkMigrationList(list: readonly PgMigration[]): void {
  let last = 0;
  for (const m of list) {
    if (!Number.isInteger(m.version) || m.version <= last)
      throw new Error(`migration list out of order at ${m.version}-${m.name}: versions must rise`);
    if (!/^[a-z0-9-]+$/.test(m.name)) throw new Error(`migration ${m.version}: name "${m.name}" must be lower-case words and dashes`);
    last = m.version;
  }
}

/** The applied versions, ascending, or null when the database has no PowerMap schema. */
export async function readAppliedVersions(q: Queryable): Promise<number[] | null> {
  const t = await q.query<{ t: string | null }>("SELECT to_regclass('public.schema_version')::text AS t");
  if (!t.rows[0]?.t) return null;
  const v = await q.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version');
  return v.rows.map((r) => r.version);
}

/** The schema version of the database (its highest applied migration), or null when it has no PowerMap schema. */
export async function readSchemaVersion(q: Queryable): Promise<number | null> {
  const applied = await readAppliedVersions(q);
  return applied === null ? null : (applied.at(-1) ?? 0);
}

/** Tables, views and sequences in the public schema that no extension owns. */
async function foreignRelations(q: Queryable): Promise<string[]> {
  const r = await q.query<{ name: string }>(`
    SELECT c.relname AS name
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY c.relname LIMIT 5`);
  return r.rows.map((x) => x.name);
}

export interface MigrateOptions {
  migrations?: readonly PgMigration[];
  /** Recorded with each applied migration. */
  appVersion?: string;
  /** How the database is named in errors (a redacted URL or its name). */
  label?: string;
}

/** Brings the schema up to date (see the file comment). Throws ApiError on refusal. */
export async function migrate(pool: pg.Pool, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const list = opts.migrations ?? MIGRATIONS;
  checkMigrationList(list);
  const latest = list.at(-1)?.version ?? 0;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
      const label = opts.label ?? 'the database';
      let applied0 = await readAppliedVersions(client);
      if (applied0 === null) {
        const foreign = await foreignRelations(client);
        if (foreign.length)
          throw new ApiError(
            'NOT_A_POWERMAP',
            `${label} holds tables that are not PowerMap's (${foreign.join(', ')}); give PowerMap an empty database of its own`,
            { name: label },
            [`it holds tables that are not PowerMap's (${foreign.join(', ')}): create an empty database for PowerMap`],
          );
        await client.query(SCHEMA_VERSION_DDL);
        applied0 = [];
      }
      const from = applied0.at(-1) ?? 0;
      if (from > latest)
        throw new ApiError(
          'NEWER_VERSION',
          `${label} has schema version ${from}; this PowerMap knows up to ${latest}`,
          { name: label, version: from, supported: latest },
          [`schema version ${from}; this PowerMap knows up to ${latest}. Nothing was changed.`],
        );
      const known = new Set(list.map((m) => m.version));
      const stranger = applied0.find((v) => !known.has(v));
      if (stranger !== undefined)
        throw new ApiError('NEWER_VERSION', `${label} has migration ${stranger}, which this PowerMap does not know`, { name: label, version: stranger }, [
          `migration ${stranger} was applied by another build of PowerMap. Nothing was changed.`,
        ]);
      const done = new Set(applied0);
      const pending = list.filter((m) => !done.has(m.version));
      const early = pending.find((m) => m.version < from);
      if (early)
        throw new Error(`migration ${early.version}-${early.name} is older than the database's schema version ${from}: renumber it above ${from}`);
      const applied: number[] = [];
      for (const m of pending) {
        try {
          await client.query(m.sql);
        } catch (e) {
          throw new Error(`migration ${String(m.version).padStart(4, '0')}-${m.name} failed: ${(e as Error).message}`, { cause: e });
        }
        await client.query('INSERT INTO schema_version (version, name, app_version) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          opts.appVersion ?? 'unknown',
        ]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
      return { from, to: Math.max(from, latest), applied };
    } catch (e) {
      await client.query('ROLLBACK').catch((r: Error) => (broken = r));
      throw e;
    }
  } finally {
    client.release(broken);
  }
}
