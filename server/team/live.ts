/**
 * Live team maps: GET /api/live?map=<id>&since=<rev> is a server-sent event stream of the open
 * map's changes, of who else has it open, and of notices for this user (a value of theirs someone
 * replaced). Each event is one JSON object (shared/api/team.ts LiveEvent) with the revision as its
 * event id, so a browser that reconnects by itself (EventSource) resumes from Last-Event-ID.
 *
 * The instance keeps only its own connections in memory. What happened comes from the database:
 * a NOTIFY wakes every instance (storage/postgres/listen.ts), and each connection reads the change
 * feed from its own last revision — so an edit made through any instance reaches every client, a
 * client that reconnects (to this instance or another) catches up, and a NOTIFY lost while the
 * database was away is made good by reading the feed again when the listener is back.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { ApiError } from '../../shared/api/errors';
import type { Change, EditNotice } from '../../shared/domain';
import type { LiveEvent, MapRole } from '../../shared/api/team';
import { listenForMaps, type Listener, type MapWakeUp } from '../../storage/postgres/listen';
import { changesSince, leavePresence, mapAccess, presentUsers, tidyLive, touchPresence, userNames } from '../../storage/postgres/maps';
import type { Pool } from '../../storage/postgres/pool';
import type { Principal } from './auth';

/** How often a connection refreshes its presence and pings (seconds). */
const BEAT_S = 15;

interface Conn {
  id: string;
  orgId: string;
  mapId: string;
  userId: string;
  role: MapRole;
  rev: number;
  res: ServerResponse;
  busy: Promise<void>;
  presence: string;
  down: boolean;
}

export interface LiveHub {
  register(app: FastifyInstance, authenticate: (req: FastifyRequest) => Promise<Principal>): void;
  close(): Promise<void>;
  /** Open live connections on this instance (tests, health). */
  readonly size: number;
}

export function createLiveHub(opts: { pool: Pool; url: string; log: (line: string) => void }): LiveHub {
  const { pool } = opts;
  const byMap = new Map<string, Set<Conn>>();
  const key = (orgId: string, mapId: string) => `${orgId}/${mapId}`;
  let closed = false;

  const send = (c: Conn, e: LiveEvent, id?: number) => {
    if (c.res.writableEnded) return;
    c.res.write(`${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(e)}\n\n`);
  };

  /** Sends what the connection has not seen yet (serialised per connection). */
  const pull = (c: Conn): Promise<void> => (c.busy = c.busy.then(() => readFeed(c)));
  /**
   * A new revision: sent straight from the notification when it carried the feed entry and is the
   * connection's next one; otherwise (a gap, an entry too big to carry, the database just back)
   * read from the feed. In turn with the connection's other reads.
   */
  const wake = (c: Conn, w: MapWakeUp, change: Change | undefined): Promise<void> =>
    (c.busy = c.busy.then(() => {
      if (w.rev <= c.rev) return;
      if (change && w.rev === c.rev + 1 && !c.down) {
        c.rev = w.rev;
        send(c, { type: 'change', rev: w.rev, by: w.entry!.userId, change }, w.rev);
        return;
      }
      return readFeed(c);
    }));
  const readFeed = async (c: Conn): Promise<void> => {
    try {
      const r = await changesSince(pool, c.orgId, c.mapId, c.rev);
      if (c.down) c.down = false;
      if (r.reload) {
        c.rev = r.rev;
        send(c, { type: 'reload', rev: r.rev }, r.rev);
        return;
      }
      for (const e of r.entries) {
        c.rev = e.rev;
        send(c, { type: 'change', rev: e.rev, by: e.userId, change: JSON.parse(e.change) }, e.rev);
      }
      if (r.entries.length === 500) void pull(c); // more than one page behind
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') {
        send(c, { type: 'reload', rev: c.rev });
        c.res.end();
        return;
      }
      if (!c.down) send(c, { type: 'unavailable' });
      c.down = true;
    }
  };

  const sendPresence = async (c: Conn) => {
    try {
      const users = (await presentUsers(pool, c.orgId, c.mapId)).map((u) => ({ id: u.userId, name: u.name }));
      const sig = JSON.stringify(users);
      if (sig !== c.presence) {
        c.presence = sig;
        send(c, { type: 'presence', users });
      }
    } catch {
      /* the database is away: presence waits for the next beat */
    }
  };
  const presenceAll = (orgId: string, mapId: string) => {
    for (const c of byMap.get(key(orgId, mapId)) ?? []) void sendPresence(c);
  };

  const listener: Listener = listenForMaps({
    url: opts.url,
    onMap: (w) => {
      const conns = byMap.get(key(w.orgId, w.mapId));
      if (!conns) return;
      let change: Change | undefined;
      try {
        change = w.entry ? (JSON.parse(w.entry.change) as Change) : undefined;
      } catch {
        change = undefined; // not ours to read: the feed has it
      }
      for (const c of conns) if (w.rev > c.rev) void wake(c, w, change);
    },
    onNotice: (n) => {
      const conns = [...(byMap.get(key(n.org, n.map)) ?? [])].filter((c) => c.userId === n.to);
      if (!conns.length) return;
      const by = String(n.notice.by ?? '');
      void userNames(pool, n.org, by ? [by] : []).then(
        (names) => {
          for (const c of conns) send(c, { type: 'notice', notice: { ...(n.notice as unknown as EditNotice), byName: names.get(by) ?? '' } });
        },
        () => undefined,
      );
    },
    onPresence: (orgId, mapId) => presenceAll(orgId, mapId),
    onResync: () => {
      for (const set of byMap.values()) for (const c of set) void pull(c);
    },
  });

  const beat = setInterval(() => {
    for (const set of byMap.values())
      for (const c of set) {
        if (!c.res.writableEnded) c.res.write(': ping\n\n');
        void touchPresence(pool, c.orgId, c.mapId, c.id, c.userId).catch(() => undefined);
        void sendPresence(c);
      }
    void tidyLive(pool).catch(() => undefined);
  }, BEAT_S * 1000);
  beat.unref();

  return {
    get size() {
      let n = 0;
      for (const s of byMap.values()) n += s.size;
      return n;
    },
    register(app, authenticate) {
      app.get<{ Querystring: { map?: string; since?: string } }>('/api/live', async (req, reply) => {
        let p: Principal;
        try {
          p = await authenticate(req);
        } catch (e) {
          const err = e instanceof ApiError ? e : new ApiError('UNAVAILABLE', 'The server cannot reach its database');
          return reply.code(err.code === 'UNAVAILABLE' ? 503 : 401).send({ ok: false, error: err.toJSON() });
        }
        const mapId = typeof req.query.map === 'string' ? req.query.map : '';
        const last = req.headers['last-event-id'];
        const sinceText = typeof last === 'string' && /^\d{1,9}$/.test(last) ? last : typeof req.query.since === 'string' ? req.query.since : '';
        if (!/^\d{1,9}$/.test(sinceText)) return reply.code(400).send({ ok: false, error: { code: 'BAD_REQUEST', message: 'give since=<revision>' } });
        let a;
        try {
          a = await mapAccess(pool, p.orgId, mapId, p.userId);
        } catch {
          return reply.code(503).send({ ok: false, error: { code: 'UNAVAILABLE', message: 'The server cannot reach its database' } });
        }
        if (!a) return reply.code(404).send({ ok: false, error: { code: 'NOT_FOUND', message: 'No such map, or it is not shared with you' } });
        if (closed) return reply.code(503).send({ ok: false, error: { code: 'UNAVAILABLE', message: 'The server is stopping' } });

        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-content-type-options': 'nosniff',
        });
        const c: Conn = {
          id: crypto.randomUUID(),
          orgId: p.orgId,
          mapId: a.mapId,
          userId: p.userId,
          role: a.role,
          rev: Number(sinceText),
          res,
          busy: Promise.resolve(),
          presence: '',
          down: false,
        };
        const k = key(c.orgId, c.mapId);
        let set = byMap.get(k);
        if (!set) byMap.set(k, (set = new Set()));
        set.add(c);
        res.write('retry: 1000\n\n');
        send(c, { type: 'hello', rev: a.rev, role: a.role });
        await touchPresence(pool, c.orgId, c.mapId, c.id, c.userId, true).catch(() => undefined);
        presenceAll(c.orgId, c.mapId);
        void pull(c);
        req.raw.on('close', () => {
          set!.delete(c);
          if (!set!.size) byMap.delete(k);
          void leavePresence(pool, c.orgId, c.mapId, c.id).catch(() => undefined);
        });
      });
    },
    async close() {
      closed = true;
      clearInterval(beat);
      for (const set of byMap.values()) for (const c of set) c.res.end();
      byMap.clear();
      await listener.close();
    },
  };
}
