/**
 * The IPC end of the API (electron/main/ipc.ts): the sender of every message is checked before
 * anything is dispatched, on real map files. electron is mocked (nothing here needs it, but the
 * import graph must never load the real module).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { apiSpecs, METHODS } from '../../shared/api';
import type { Session } from '../../services/session';
import { webSession } from '../helpers/session';
import { sha256, useTmpDir } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const { checkSender, createApiHandler, reportMayCall, REPORT_METHODS } = await import('../../electron/main/ipc');
const { WindowRegistry } = await import('../../electron/main/windows');

const tmp = useTmpDir();

function setup(kind: 'map' | 'report' = 'map') {
  const dir = tmp();
  const session = webSession(dir);
  const windows = new WindowRegistry();
  const win = { isDestroyed: () => false } as never;
  windows.add(7, { window: win, session, kind });
  const handler = createApiHandler(windows);
  const event = (over: Record<string, unknown> = {}) => ({
    sender: { id: 7, isDestroyed: () => false },
    senderFrame: { url: 'app://powermap/index.html', parent: null },
    ...over,
  });
  return { dir, session, windows, handler, event };
}

async function withMap(s: { dir: string; session: Session; handler: ReturnType<typeof createApiHandler>; event: () => object }) {
  const file = path.join(s.dir, 'Northbank.powermap');
  const r = await s.handler(s.event(), 'map.create', { path: file, meta: { account: 'Northbank' } });
  expect(r.ok).toBe(true);
  return file;
}

describe('the IPC API handler', () => {
  it('dispatches calls from our window to its session, onto the map file', async () => {
    const s = setup();
    const file = await withMap(s);
    const added = await s.handler(s.event(), 'person.create', { name: 'Chen Jing', title: 'CIO' });
    expect(added.ok).toBe(true);
    await s.session.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT name FROM person').all()).toEqual([{ name: 'Chen Jing' }]);
    db.close();
  });

  it('refuses every sender that is not the main frame of one of our windows, and runs nothing', async () => {
    const s = setup();
    const file = await withMap(s);
    await s.session.close();
    const before = sha256(file);
    await s.session.setStore(await (await import('../../services/map/files')).openMapFile(file));
    const cases: [string, unknown][] = [
      ['no-sender', {}],
      ['no-sender', null],
      ['no-sender', undefined],
      ['no-sender', 'event'],
      ['no-sender', { sender: { id: '7' }, senderFrame: { url: 'app://powermap/index.html', parent: null } }],
      ['unknown-window', s.event({ sender: { id: 8, isDestroyed: () => false } })],
      ['destroyed', s.event({ sender: { id: 7, isDestroyed: () => true } })],
      ['no-frame', s.event({ senderFrame: null })],
      ['sub-frame', s.event({ senderFrame: { url: 'app://powermap/index.html', parent: { url: 'app://powermap/' } } })],
      ['foreign-origin', s.event({ senderFrame: { url: 'file:///home/x/index.html', parent: null } })],
      ['foreign-origin', s.event({ senderFrame: { url: 'https://evil.example/', parent: null } })],
      ['foreign-origin', s.event({ senderFrame: { url: 'app://powermap.evil.example/', parent: null } })],
      ['foreign-origin', s.event({ senderFrame: { url: 'app://other/index.html', parent: null } })],
      ['foreign-origin', s.event({ senderFrame: { url: 'devtools://devtools/bundled/x.html', parent: null } })],
      ['foreign-origin', s.event({ senderFrame: { url: 42, parent: null } })],
      [
        'no-frame',
        {
          sender: { id: 7, isDestroyed: () => false },
          get senderFrame() {
            throw new Error('Render frame was disposed');
          },
        },
      ],
    ];
    for (const [i, [reason, event]] of cases.entries()) {
      const r = await s.handler(event, 'person.create', { name: 'Mallory' });
      expect(r.ok, `case ${i}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('BAD_REQUEST');
        expect(r.error.params?.reason, `case ${i}`).toBe(reason);
      }
    }
    await s.session.close();
    expect(sha256(file)).toBe(before);
  });

  it('gives bad payloads from a trusted sender the dispatcher typed errors, never a throw', async () => {
    const s = setup();
    await withMap(s);
    for (const [method, payload] of [
      ['nope', {}],
      [undefined, undefined],
      [{ toString: 'x' }, 1],
      ['person.create', { name: 5 }],
      ['person.create', 'x'.repeat(10_000)],
      ['__proto__', {}],
      ['constructor', {}],
    ] as [unknown, unknown][]) {
      const r = await s.handler(s.event(), method, payload);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    }
  });

  it('lets a report window read, and nothing else', async () => {
    const s = setup();
    const file = await withMap(s);
    await s.handler(s.event(), 'person.create', { name: 'Wang Fang' });
    s.windows.add(9, { window: { isDestroyed: () => false } as never, session: s.session, kind: 'report' });
    const report = s.event({ sender: { id: 9, isDestroyed: () => false }, senderFrame: { url: 'app://powermap/report.html#mode=report', parent: null } });
    const got = await s.handler(report, 'map.get', {});
    expect(got.ok).toBe(true);
    if (got.ok) expect((got.value as { people: { name: string }[] }).people.map((p) => p.name)).toEqual(['Wang Fang']);
    for (const method of ['person.create', 'map.close', 'map.open', 'host.pickOpenPath', 'exchange.export', 'recent.list', 'profile.get']) {
      const r = await s.handler(report, method, method === 'map.open' ? { path: file } : {});
      expect(r.ok, method).toBe(false);
      if (!r.ok) expect(r.error.params?.reason, method).toBe('not-allowed-for-report');
    }
    expect(s.session.store?.isOpen).toBe(true);
  });

  it('allows report windows only reads that exist in the contract', () => {
    for (const m of REPORT_METHODS) if (m in apiSpecs) expect(apiSpecs[m as keyof typeof apiSpecs].mutates, m).toBe(false);
    for (const m of METHODS) if (apiSpecs[m].mutates) expect(reportMayCall(m), m).toBe(false);
    expect(reportMayCall('not.a.method')).toBe(false);
    expect(reportMayCall(undefined)).toBe(false);
  });

  it('runs one window’s calls one at a time, in arrival order', async () => {
    const windows = new WindowRegistry();
    const session = {} as Session;
    windows.add(1, { window: {} as never, session, kind: 'map' });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const dispatch = vi.fn(async (_s: Session, method: unknown) => {
      order.push(`start ${String(method)}`);
      if (method === 'slow') await gate;
      order.push(`end ${String(method)}`);
      return { ok: true as const, value: method };
    });
    const handler = createApiHandler(windows, dispatch);
    const ev = { sender: { id: 1 }, senderFrame: { url: 'app://powermap/index.html', parent: null } };
    const a = handler(ev, 'slow', {});
    const b = handler(ev, 'fast', {});
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['start slow']);
    release();
    expect(await a).toEqual({ ok: true, value: 'slow' });
    expect(await b).toEqual({ ok: true, value: 'fast' });
    expect(order).toEqual(['start slow', 'end slow', 'start fast', 'end fast']);
  });

  it('does not queue a report window behind the export that waits for it', async () => {
    const windows = new WindowRegistry();
    const session = {} as Session;
    windows.add(1, { window: {} as never, session, kind: 'map' });
    windows.add(2, { window: {} as never, session, kind: 'report' });
    let reportAnswered = false;
    const handler = createApiHandler(windows, async (_s, method) => {
      if (method === 'exchange.export') {
        // The export waits until the report view has read its data.
        while (!reportAnswered) await new Promise((r) => setTimeout(r, 5));
      }
      return { ok: true, value: method };
    });
    const exporting = handler({ sender: { id: 1 }, senderFrame: { url: 'app://powermap/', parent: null } }, 'exchange.export', {});
    const read = await handler({ sender: { id: 2 }, senderFrame: { url: 'app://powermap/report.html', parent: null } }, 'exchange.reportData', {});
    reportAnswered = true;
    expect(read).toEqual({ ok: true, value: 'exchange.reportData' });
    expect(await exporting).toEqual({ ok: true, value: 'exchange.export' });
  });

  it('turns a dispatcher that throws into a typed INTERNAL error', async () => {
    const windows = new WindowRegistry();
    windows.add(1, { window: {} as never, session: {} as Session, kind: 'map' });
    const handler = createApiHandler(windows, async () => {
      throw new Error('boom');
    });
    const r = await handler({ sender: { id: 1 }, senderFrame: { url: 'app://powermap/', parent: null } }, 'map.get', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('checkSender reports the entry for a good event', () => {
    const s = setup();
    const r = checkSender(s.event(), s.windows);
    expect(r.ok && r.entry.session).toBe(s.session);
  });
});
