/**
 * A session's check carried by the edit it allows: the credential, the user and their role on
 * the map are checked in the edit transaction's first message, beside the map lock, instead of in
 * a round trip of their own before it (issue 18: an edit in two round trips, not three).
 *
 * The message runs two prepared statements: the check (the guard's own session look-up with the
 * user's access to the map, read fresh — nothing cached decides) and the map lock, taken only when
 * that same session is alive and the user owns or edits the map, so someone refused never holds
 * the map. The check's answer is judged (`verdict`) before the rule runs; a refusal rolls back
 * what the message did. A call that reaches the database otherwise (a read first, a transaction of
 * another kind) or not at all (refused before any query) is checked on its own first (`settle`),
 * exactly as the guard would have.
 */
import pg from 'pg';
import { SESSION_MAP_SQL, liveSessionSql, sessionFoundOf, type SessionDbRow, type SessionFound } from './accounts';
import type { PoolClient, Queryable } from './pool';

const CHECK = 'powermap_gate_check';
const LOCK = 'powermap_gate_lock';
/** Connections that have both statements prepared (a new connection prepares them once). */
const prepared = new WeakSet<object>();

const PREPARE_CHECK = `PREPARE ${CHECK} (uuid, bytea, integer, uuid) AS ${SESSION_MAP_SQL}`;
const PREPARE_LOCK = `PREPARE ${LOCK} (uuid, uuid, uuid, bytea, integer) AS
  SELECT m.rev FROM maps m
   WHERE m.org_id = $1 AND m.map_id = $2
     AND (m.owner_id = $3 OR EXISTS (SELECT 1 FROM map_shares sh
                                      WHERE sh.org_id = m.org_id AND sh.map_id = m.map_id AND sh.user_id = $3 AND sh.role = 'editor'))
     AND EXISTS (SELECT 1 FROM ${liveSessionSql('$1', '$4', '$5')} AND s.user_id = $3)
   FOR UPDATE OF m`;

export interface GateInput {
  orgId: string;
  /** The session's hash (what the database keeps). */
  hash: Buffer;
  idleSeconds: number;
  /** The user the session was found to belong to before (a session's user never changes). */
  userId: string;
  mapId: string;
}

const lit = (v: string | number): string => pg.escapeLiteral(String(v));

export class SessionGate {
  private outcome: { ok: true } | { ok: false; error: unknown } | null = null;

  /** `verdict` judges what the check found: returns to let the call through, throws its refusal. */
  constructor(
    private readonly input: GateInput,
    private readonly verdict: (found: SessionFound | null) => void,
  ) {}

  /** Not yet judged: nothing of the call may be answered before it is. */
  get pending(): boolean {
    return this.outcome === null;
  }

  /** Prepares the two statements on this connection, once per connection. */
  async prepare(c: PoolClient): Promise<void> {
    if (prepared.has(c)) return;
    await c.query(`${PREPARE_CHECK};\n${PREPARE_LOCK}`);
    prepared.add(c);
  }

  /** The first message's statements in place of the plain map lock: the check, then the lock. */
  head(): string {
    const { orgId, hash, idleSeconds, userId, mapId } = this.input;
    const h = lit(`\\x${hash.toString('hex')}`);
    return `EXECUTE ${CHECK}(${lit(orgId)}, ${h}, ${lit(idleSeconds)}, ${lit(mapId)});\nEXECUTE ${LOCK}(${lit(orgId)}, ${lit(mapId)}, ${lit(userId)}, ${h}, ${lit(idleSeconds)})`;
  }

  /** Judges the check's answer from the first message; throws the refusal. */
  accept(r: pg.QueryResult | undefined): void {
    this.judge(sessionFoundOf(r?.rows[0] as SessionDbRow | undefined, true));
  }

  /** The check on its own, when no edit's first message carried it; throws the refusal (again, if judged before). */
  async settle(q: Queryable): Promise<void> {
    if (this.outcome === null) {
      const { orgId, hash, idleSeconds, mapId } = this.input;
      let found: SessionFound | null;
      try {
        const r = await q.query<SessionDbRow>({ name: 'powermap_session_map', text: SESSION_MAP_SQL, values: [orgId, hash, idleSeconds, mapId] });
        found = sessionFoundOf(r.rows[0], true);
      } catch (e) {
        this.outcome = { ok: false, error: e };
        throw e;
      }
      this.judge(found);
    }
    const o = this.outcome as SessionGate['outcome'];
    if (o && !o.ok) throw o.error;
  }

  private judge(found: SessionFound | null): void {
    try {
      if (found && found.user.userId !== this.input.userId) throw new Error('a session changed hands'); // never: a session keeps its user
      this.verdict(found);
      this.outcome = { ok: true };
    } catch (e) {
      this.outcome = { ok: false, error: e };
      throw e;
    }
  }
}
