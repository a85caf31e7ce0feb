/**
 * One door to a map's storage (issue 16): every write path — edits, undo, positions, snapshots,
 * time settings, the contact log, trips, purge, strip personal details — checks that the open
 * map's file is still the one opened. After the file was moved, deleted or replaced by another
 * map, each is refused with FILE_NOT_FOUND through the real API, and the moved (or replacing)
 * file is left byte for byte as it was. Before the door, the snapshot, time, purge and strip
 * paths ran SQL on the handle directly and succeeded silently against the vanished file.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Method } from '../../shared/api';
import { dispatch } from '../../services/handlers';
import type { Session } from '../../services/session';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

const hashOf = (file: string) => {
  const h = crypto.createHash('sha256');
  for (const f of [file, `${file}-wal`]) if (fs.existsSync(f)) h.update(fs.readFileSync(f));
  return h.digest('hex');
};

async function ok<T = unknown>(s: Session, method: Method, input: unknown): Promise<T> {
  const r = await dispatch(s, method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

interface Opened {
  session: Session;
  file: string;
  personId: string;
  snapshotId: string;
  dir: string;
}

/** The sample map, opened in a fresh session, with a snapshot, a logged contact and a trip. */
async function openSample(): Promise<Opened> {
  const dir = tmp();
  const session = webSession(dir);
  const doc = await ok<{ path: string; people: { id: string }[] }>(session, 'map.openSample', {});
  const personId = doc.people[0]!.id;
  const snap = await ok<{ id: string }>(session, 'snapshot.create', { name: 'before the bid' });
  await ok(session, 'interaction.create', { personId, date: '2026-11-02', kind: 'meeting' });
  await ok(session, 'trip.create', { personId, place: 'Beijing', from: '2027-03-01', to: '2027-03-03' });
  return { session, file: doc.path, personId, snapshotId: snap.id, dir };
}

/** Every write path, as the renderer (or CLI) calls it. */
const WRITES: { what: string; call: (o: Opened) => [Method, unknown] }[] = [
  { what: 'a person edit', call: (o) => ['person.update', { id: o.personId, patch: { title: 'Moved?' } }] },
  { what: 'undo', call: () => ['history.undo', {}] },
  { what: 'layout positions', call: (o) => ['positions.set', { layout: 'org', positions: [{ id: o.personId, x: 1, y: 2, pinned: true }] }] },
  { what: 'snapshot create', call: () => ['snapshot.create', { name: 'after' }] },
  { what: 'snapshot rename', call: (o) => ['snapshot.rename', { id: o.snapshotId, name: 'renamed' }] },
  { what: 'snapshot delete', call: (o) => ['snapshot.delete', { id: o.snapshotId }] },
  { what: 'snapshot restore', call: (o) => ['snapshot.restore', { id: o.snapshotId }] },
  { what: 'time settings', call: () => ['time.setSettings', { staleDays: 30 }] },
  { what: 'contact log', call: (o) => ['interaction.create', { personId: o.personId, date: '2026-11-20', kind: 'call' }] },
  { what: 'trips', call: (o) => ['trip.create', { personId: o.personId, place: 'Shanghai', from: '2027-04-01', to: '2027-04-02' }] },
  { what: 'purge', call: (o) => ['person.purge', { id: o.personId }] },
  { what: 'strip personal details', call: () => ['map.stripPersonal', {}] },
];

const HOW: { how: string; act: (o: Opened) => string }[] = [
  {
    how: 'moved',
    act: (o) => {
      const to = path.join(o.dir, 'moved.powermap');
      fs.renameSync(o.file, to);
      return to;
    },
  },
  {
    how: 'deleted',
    act: (o) => {
      // Keep a hard link elsewhere so the bytes SQLite would write to can still be checked.
      const keep = path.join(o.dir, 'kept.powermap');
      fs.linkSync(o.file, keep);
      fs.unlinkSync(o.file);
      return keep;
    },
  },
  {
    how: 'replaced by another map',
    act: (o) => {
      const other = path.join(o.dir, 'other.powermap');
      fs.copyFileSync(o.file, other);
      fs.renameSync(other, o.file); // a sync tool's way: a new file at the same path
      return o.file;
    },
  },
];

describe('every write path is refused once the open map file is no longer the one opened', () => {
  for (const { how, act } of HOW)
    for (const w of WRITES)
      it(`${w.what}, after the file was ${how}`, async () => {
        const o = await openSample();
        try {
          const watched = act(o);
          // A replacement is noticed from the file watch's event, on a later turn of the event loop (docs/TRUST.md).
          await new Promise((r) => setTimeout(r, 50));
          const before = hashOf(watched);
          const [method, input] = w.call(o);
          const r = await dispatch(o.session, method, input);
          expect(r.ok, `${method} should be refused`).toBe(false);
          if (!r.ok) {
            expect(r.error.code).toBe('FILE_NOT_FOUND');
            expect(r.error.message).toMatch(/moved, renamed or deleted/);
          }
          expect(hashOf(watched)).toBe(before);
        } finally {
          await o.session.close();
        }
      });
});

describe('the same writes go through while the file stays where it was', () => {
  it('each write path succeeds on an untouched map (the refusals above are about the file, not the call)', async () => {
    for (const w of WRITES) {
      const o = await openSample();
      try {
        const [method, input] = w.call(o);
        const r = await dispatch(o.session, method, input);
        expect(r.ok, `${w.what}: ${r.ok ? '' : r.error.message}`).toBe(true);
      } finally {
        await o.session.close();
      }
    }
  });
});
