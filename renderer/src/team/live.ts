/**
 * The open team map's live stream: GET /api/live?map=<id>&since=<rev> (server-sent events,
 * shared/api/team.ts LiveEvent). Others' changes patch the document like our own edits do,
 * 'reload' fetches the map again, 'presence' says who else has it open, 'notice' tells the user a
 * value of theirs was replaced. When the stream breaks (an instance went away, the network), it is
 * opened again from the last revision seen — on whichever instance answers — so nothing is missed;
 * when the server cannot reach its database, the page says so until it is back.
 */
import type { HostEvent } from '../../../shared/api/bridge';
import type { LiveEvent } from '../../../shared/api/team';
import { remoteApi, team, teamApi } from '../api/client';
import { loadFonts, mapText } from '../fonts';
import { useStore } from '../store';
import { useTeam } from './state';

/** A live stream: the page's own EventSource on the team server, the main process's in the desktop app. */
interface Source {
  close(): void;
}
let source: Source | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;
let probe: ReturnType<typeof setInterval> | null = null;
let failures = 0;
let mapId: string | null = null;
/** Called for a 'reload' event: fetches the map again. */
let reloadDoc: () => Promise<void> = async () => undefined;

function stop(): void {
  source?.close();
  source = null;
  if (timer) clearTimeout(timer);
  timer = null;
}

function connect(): void {
  stop();
  if (!mapId) return;
  let src: Source | null = null;
  const onData = (data: string) => {
    let e: LiveEvent;
    try {
      e = JSON.parse(data) as LiveEvent;
    } catch {
      return;
    }
    void handle(e);
  };
  const onError = () => {
    if (source !== src) return;
    // EventSource retries a dropped stream by itself, but not one answered with an error status
    // (503 while the database is away, a dead instance behind a proxy): we open it again, from
    // the revision we have now, with a growing pause (1 s … 8 s).
    src?.close();
    source = null;
    failures++;
    useTeam.getState().set({ live: 'reconnecting' });
    timer = setTimeout(connect, Math.min(8000, 500 * 2 ** Math.min(failures, 4)));
  };
  src = window.powermap ? desktopSource(mapId, team.seenRev, onData, onError) : pageSource(mapId, team.seenRev, onData, onError);
  source = src;
}

/** On the team server: the page's own EventSource (the session cookie rides along). */
function pageSource(id: string, since: number, onData: (d: string) => void, onError: () => void): Source {
  const es = new EventSource(`./api/live?map=${encodeURIComponent(id)}&since=${since}`, { withCredentials: true });
  es.onmessage = (m) => onData(m.data as string);
  es.onerror = onError;
  return es;
}

/**
 * In the desktop app: the main process reads the stream with the sign-in it keeps and hands each
 * event to this window (HostEvent 'live'); 'live-error' when it broke.
 */
function desktopSource(id: string, since: number, onData: (d: string) => void, onError: () => void): Source {
  let stream: string | null = null;
  let closed = false;
  const early: HostEvent[] = [];
  const take = (ev: HostEvent) => {
    if (ev.type === 'live' && ev.stream === stream) onData(JSON.stringify(ev.event));
    else if (ev.type === 'live-error' && ev.stream === stream) onError();
  };
  const off = window.powermap!.onEvent((ev) => {
    if (ev.type !== 'live' && ev.type !== 'live-error') return;
    if (stream === null) early.push(ev);
    else take(ev);
  });
  remoteApi.call('remote.liveOpen', { map: id, since }).then(
    (r) => {
      if (closed) {
        void remoteApi.call('remote.liveClose', { stream: r.stream }).catch(() => undefined);
        return;
      }
      stream = r.stream;
      for (const ev of early.splice(0)) take(ev);
    },
    () => {
      if (!closed) onError();
    },
  );
  return {
    close() {
      closed = true;
      off();
      if (stream) void remoteApi.call('remote.liveClose', { stream }).catch(() => undefined);
    },
  };
}

async function handle(e: LiveEvent): Promise<void> {
  const t = useTeam.getState();
  switch (e.type) {
    case 'hello':
      failures = 0;
      t.set({ live: 'live', role: e.role, map: t.map ? { ...t.map, role: e.role } : t.map });
      return;
    case 'change': {
      if (e.rev <= team.seenRev) return; // already here (our own edit, or a stream opened again)
      const c = e.change;
      if (c.people?.length || c.team?.length) await loadFonts(mapText({ people: c.people ?? [], team: c.team ?? [] }));
      useStore.getState().applyLive({ ...c, rev: e.rev });
      team.saw(e.rev);
      setDatabase(true);
      return;
    }
    case 'reload':
      await reloadDoc();
      team.saw(e.rev);
      return;
    case 'presence':
      t.set({ presence: e.users });
      return;
    case 'notice': {
      const n = e.notice;
      useStore.getState().setNotice({
        key: n.kind === 'replaced' ? 'team.replaced' : 'team.kept',
        params: { by: n.byName || '?', name: n.name, field: n.field, was: n.was, now: n.now, entity: n.entity },
        tone: 'warning',
      });
      return;
    }
    case 'unavailable':
      setDatabase(false);
      return;
  }
}

/** The database went away or came back (from the stream or any answer). */
export function setDatabase(up: boolean): void {
  const t = useTeam.getState();
  if (t.dbDown === !up) return;
  t.set({ dbDown: !up });
  if (!up && !probe) {
    // Ask now and then whether it is back (any call answers UNAVAILABLE until then).
    probe = setInterval(() => {
      // The desktop app asks through its link (any answer but UNAVAILABLE means it is back).
      const back = window.powermap ? teamApi.call('maps.list', {}).then(() => true) : fetch('./healthz', { credentials: 'same-origin' }).then((r) => r.ok);
      void back.then(
        (up) => {
          if (up) setDatabase(true);
        },
        () => undefined,
      );
    }, 2000);
  }
  if (up && probe) {
    clearInterval(probe);
    probe = null;
    // Catch up on whatever happened while the stream could not read the database.
    if (mapId && useTeam.getState().live !== 'live') connect();
  }
}

/** Opens the stream of the map just opened (its document's revision is team.seenRev). */
export function startLive(id: string, reload: () => Promise<void>): void {
  mapId = id;
  reloadDoc = reload;
  failures = 0;
  useTeam.getState().set({ live: 'connecting', presence: [] });
  connect();
}

export function stopLive(): void {
  mapId = null;
  stop();
  useTeam.getState().set({ live: 'off', presence: [] });
}
