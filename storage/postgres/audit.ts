/**
 * The audit log: who did what, when (table `audit` of migration 0001). Written in the same
 * transaction as what it records where there is one (pass the transaction's client), so an
 * audited change and its entry commit together or not at all.
 */
import type { Queryable } from './pool';

/** How the actor came in. */
export type AuditVia = 'session' | 'token' | 'cli' | 'system';

export interface AuditEntry {
  orgId: string;
  /** Who did it: null for an admin command or someone not (yet) known, e.g. a failed sign-in. */
  userId: string | null;
  via: AuditVia;
  /** Dotted, lower case: 'signin.ok', 'token.create', 'map.share'… */
  kind: string;
  mapId?: string | null;
  /** Small JSON with the details; never a password, token or session secret. */
  payload?: Record<string, unknown>;
}

export interface AuditRow extends Required<AuditEntry> {
  auditId: string;
  at: Date;
}

export async function audit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query('INSERT INTO audit (org_id, user_id, via, kind, map_id, payload) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.orgId,
    e.userId,
    e.via,
    e.kind,
    e.mapId ?? null,
    JSON.stringify(e.payload ?? {}),
  ]);
}

/** Newest first; optionally one user's or one map's entries, or those before an id (paging). */
export async function listAudit(
  q: Queryable,
  orgId: string,
  opts: { userId?: string; mapId?: string; kind?: string; beforeId?: string; limit?: number } = {},
): Promise<AuditRow[]> {
  const where = ['org_id = $1'];
  const args: unknown[] = [orgId];
  const add = (sql: string, v: unknown) => {
    args.push(v);
    where.push(sql.replace('?', `$${args.length}`));
  };
  if (opts.userId) add('user_id = ?', opts.userId);
  if (opts.mapId) add('map_id = ?', opts.mapId);
  if (opts.kind) add('kind = ?', opts.kind);
  if (opts.beforeId) add('audit_id < ?', opts.beforeId);
  args.push(Math.min(Math.max(opts.limit ?? 100, 1), 1000));
  const r = await q.query<{
    audit_id: string;
    at: Date;
    org_id: string;
    user_id: string | null;
    via: AuditVia;
    kind: string;
    map_id: string | null;
    payload: Record<string, unknown>;
  }>(`SELECT audit_id, at, org_id, user_id, via, kind, map_id, payload FROM audit WHERE ${where.join(' AND ')} ORDER BY audit_id DESC LIMIT $${args.length}`, args);
  return r.rows.map((x) => ({
    auditId: x.audit_id,
    at: x.at,
    orgId: x.org_id,
    userId: x.user_id,
    via: x.via,
    kind: x.kind,
    mapId: x.map_id,
    payload: x.payload,
  }));
}
