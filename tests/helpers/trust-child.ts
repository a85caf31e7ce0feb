/**
 * A child process for the crash-safety tests (tests/unit/trust-crash.test.ts): it edits a map
 * through the real main-side API (dispatch → the map store) as fast as it can and reports every
 * acknowledged edit on stdout, one line each, written synchronously before the next edit starts,
 * so the parent knows exactly which edits returned before it killed us.
 *
 *   edit   <map> <start> <seed>   edits until killed; each edit's number is start + i
 *   import <json> <target>        imports a PowerMap JSON file into a new map at <target>
 *   hold   <map>                  opens the map and keeps it open until killed (another instance)
 *
 * Lines: "ready <rev> <ids…>", "ack <op> <n> <id>", "fail <code>", "done <people>".
 * Bundled by the test with esbuild (node startup, not tsx, per kill).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dispatch } from '../../services/handlers';
import { Session } from '../../services/session';
import { dialogLessHost } from '../../server/web/host';
import { Settings } from '../../services/settings';

const say = (line: string) => fs.writeSync(1, line + '\n');

function session(): Session {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'powermap-child-'));
  return new Session(dialogLessHost('en-US'), new Settings(path.join(dir, 'config')), { documentsDir: dir, resourcesDir: dir }, 'child');
}

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function edit(file: string, start: number, seed: number): Promise<void> {
  const s = session();
  const opened = await dispatch(s, 'map.open', { path: file });
  if (!opened.ok) {
    say(`fail ${opened.error.code} ${opened.error.message}`);
    process.exit(3);
  }
  const doc = opened.value as { rev: number; people: { id: string }[] };
  const ids = doc.people.map((p) => p.id);
  say(`ready ${doc.rev} ${ids.length}`);
  const rnd = prng(seed);
  const pick = () => ids[Math.floor(rnd() * ids.length)]!;
  for (let i = 0; ; i++) {
    const n = start + i;
    // Each life starts at another point of the cycle, so every kind of edit is the first of some
    // lives (a life killed ~20 ms after its first acknowledged edit makes only a few).
    const k = (i + seed) % 10;
    if (k < 6) {
      const id = pick();
      const r = await dispatch(s, 'person.update', { id, patch: { title: `t${n}` } });
      if (r.ok) say(`ack title ${n} ${id}`);
    } else if (k === 6) {
      const id = `k${n}`;
      const r = await dispatch(s, 'person.create', { id, name: `Kim Vale ${n}`, department: 'IT centre' });
      if (r.ok) {
        ids.push(id);
        say(`ack create ${n} ${id}`);
      }
    } else if (k === 7) {
      const id = pick();
      const r = await dispatch(s, 'profile.update', { personId: id, patch: { hometown: `h${n}` } });
      if (r.ok) say(`ack profile ${n} ${id}`);
    } else if (k === 8) {
      const a = pick();
      const b = pick();
      if (a === b) continue;
      const id = `r${n}`;
      const r = await dispatch(s, 'relation.create', { id, kind: 'influence', source: a, target: b });
      if (r.ok) say(`ack relation ${n} ${id}`);
    } else {
      const r = await dispatch(s, 'map.updateMeta', { notes: `m${n}` });
      if (r.ok) say(`ack meta ${n} -`);
    }
  }
}

async function importJson(json: string, target: string): Promise<void> {
  const s = session();
  say('ready 0 0');
  const r = await dispatch(s, 'exchange.importJson', { jsonPath: json, path: target });
  if (!r.ok) {
    say(`fail ${r.error.code} ${r.error.message}`);
    process.exit(3);
  }
  say(`done ${(r.value as { people: unknown[] }).people.length}`);
  await s.close();
}

async function hold(file: string): Promise<void> {
  const s = session();
  const r = await dispatch(s, 'map.open', { path: file });
  if (!r.ok) {
    say(`fail ${r.error.code} ${r.error.message}`);
    process.exit(3);
  }
  say('ready 0 0');
  // Keep the session (and so its database connection and lock) reachable: a collected session's
  // connection is closed by its finalizer, which let the "held" file open elsewhere now and then.
  setInterval(() => void s.store, 60_000);
}

const [mode, a, b, c] = process.argv.slice(2);
const run =
  mode === 'edit'
    ? edit(a!, Number(b), Number(c))
    : mode === 'import'
      ? importJson(a!, b!)
      : mode === 'hold'
        ? hold(a!)
        : Promise.reject(new Error(`mode ${mode}`));
run.catch((e) => {
  say(`fail INTERNAL ${(e as Error)?.message ?? e}`);
  process.exit(4);
});
