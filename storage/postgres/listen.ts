/**
 * One dedicated connection per server instance that LISTENs for the team store's wake-ups (a new
 * revision of a map, a notice for a user) and hands them to the instance's live clients.
 *
 * NOTIFY is delivered only to connections listening at that moment, so whenever this connection
 * is lost (PostgreSQL restarted, the network cut) it reconnects by itself, with a delay that grows
 * to a few seconds, and then calls `onResync`: each live client then asks the change feed what it
 * missed, so nothing is lost in the gap. The client has an 'error' listener for its whole life (an
 * EventEmitter error without one would end the process).
 */
import pg from 'pg';
import { MAP_CHANNEL, NOTICE_CHANNEL, PRESENCE_CHANNEL } from './map-store';

export interface MapWakeUp {
  orgId: string;
  mapId: string;
  rev: number;
  /** The revision's feed entry when the notification carried it (it fits): who made it, and its Change as JSON. */
  entry?: { userId: string | null; change: string };
}

/** `<org>/<map>/<rev>[/<user>/<feed entry JSON>]` (map-store.ts MAP_CHANNEL). */
export function parseMapWakeUp(payload: string): MapWakeUp | null {
  const cut: number[] = [];
  for (let i = payload.indexOf('/'); i >= 0 && cut.length < 4; i = payload.indexOf('/', i + 1)) cut.push(i);
  const [a, b, c, d] = cut;
  if (a === undefined || b === undefined) return null;
  const orgId = payload.slice(0, a);
  const mapId = payload.slice(a + 1, b);
  const rev = Number(payload.slice(b + 1, c ?? payload.length));
  if (!orgId || !mapId || !Number.isInteger(rev)) return null;
  if (c === undefined || d === undefined) return { orgId, mapId, rev };
  const userId = payload.slice(c + 1, d);
  return { orgId, mapId, rev, entry: { userId: userId || null, change: payload.slice(d + 1) } };
}

export interface NoticeWakeUp {
  org: string;
  map: string;
  to: string;
  notice: Record<string, unknown>;
}

export interface ListenerOptions {
  url: string;
  onMap(w: MapWakeUp): void;
  onNotice(n: NoticeWakeUp): void;
  /** Someone opened or closed the map (on any instance). */
  onPresence(orgId: string, mapId: string): void;
  /** After a (re)connection: anything sent while not listening must be fetched. */
  onResync(): void;
  /** The connection was lost (the instance's clients may be told the server is catching up). */
  onLost?(e: unknown): void;
}

export interface Listener {
  close(): Promise<void>;
  readonly connected: boolean;
}

export function listenForMaps(opts: ListenerOptions): Listener {
  let client: pg.Client | null = null;
  let closed = false;
  let connected = false;
  let delay = 200;
  let timer: NodeJS.Timeout | null = null;

  const schedule = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
    delay = Math.min(delay * 2, 3000);
  };

  const lost = (e: unknown) => {
    if (!connected && !client) return;
    connected = false;
    const c = client;
    client = null;
    c?.removeAllListeners('notification');
    void c?.end().catch(() => undefined);
    if (!closed) {
      opts.onLost?.(e);
      schedule();
    }
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const c = new pg.Client({ connectionString: opts.url, connectionTimeoutMillis: 5000, keepAlive: true });
    c.on('error', (e) => lost(e));
    c.on('end', () => lost(new Error('connection ended')));
    c.on('notification', (n) => {
      try {
        if (n.channel === MAP_CHANNEL && n.payload) {
          const w = parseMapWakeUp(n.payload);
          if (w) opts.onMap(w);
        } else if (n.channel === NOTICE_CHANNEL && n.payload) opts.onNotice(JSON.parse(n.payload) as NoticeWakeUp);
        else if (n.channel === PRESENCE_CHANNEL && n.payload) {
          const [orgId, mapId] = n.payload.split('/');
          if (orgId && mapId) opts.onPresence(orgId, mapId);
        }
      } catch {
        /* a payload that is not ours: ignored */
      }
    });
    try {
      client = c;
      await c.connect();
      await c.query(`LISTEN ${MAP_CHANNEL}`);
      await c.query(`LISTEN ${NOTICE_CHANNEL}`);
      await c.query(`LISTEN ${PRESENCE_CHANNEL}`);
      if (closed) {
        await c.end().catch(() => undefined);
        return;
      }
      connected = true;
      delay = 200;
      opts.onResync();
    } catch (e) {
      client = null;
      connected = false;
      void c.end().catch(() => undefined);
      if (!closed) schedule();
      void e;
    }
  }

  void connect();
  return {
    get connected() {
      return connected;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      connected = false;
      await c?.end().catch(() => undefined);
    },
  };
}
