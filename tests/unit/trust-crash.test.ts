/**
 * Crash safety (issue 7, item 1): a child process edits a map through the real API as fast as it
 * can and is killed with SIGKILL at random moments, at least 200 times. After every kill the file
 * opens, passes PRAGMA integrity_check and holds every edit acknowledged before the kill. An
 * import killed midway leaves either no map at its target or the whole map.
 */
import Database, { type Database as Db } from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMapFile, openMapFile } from '../../services/map/files';
import { counts, documentOf } from '../../services/map/read';
import { loadMap } from '../../services/map/rules';
import { REV_SQL } from '../../storage/sqlite/journal';
import { generateMap, prng } from '../../bench/lib/generate';
import { bundle, run, sleep } from '../helpers/trust-process';
import { peekOne } from '../helpers/map';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
/** Kills that land while the child is editing (more land during start-up and opening). */
const KILLS_WHILE_EDITING = Number(process.env.TRUST_KILLS ?? 200);
const IMPORT_KILLS = Number(process.env.TRUST_IMPORT_KILLS ?? 16);

let child = '';
beforeAll(async () => {
  child = await bundle('tests/helpers/trust-child.ts');
}, 60_000);

/** What the children acknowledged: for each thing, the number of the last acknowledged edit. */
interface Acked {
  title: Map<string, number>;
  profile: Map<string, number>;
  created: Set<string>;
  relations: Set<string>;
  meta: number;
  count: number;
}

const num = (s: unknown, prefix: string): number => {
  const m = new RegExp(`^${prefix}(\\d+)$`).exec(String(s ?? ''));
  return m ? Number(m[1]) : -1;
};

/** Checks one map file against everything acknowledged; returns a problem or null. */
function check(db: Db, acked: Acked, baseRev: number): string | null {
  const ic = db.pragma('integrity_check', { simple: true });
  if (ic !== 'ok') return `integrity_check: ${String(ic)}`;
  const title = db.prepare('SELECT title FROM person WHERE id = ?');
  for (const [id, n] of acked.title) {
    const r = title.get(id) as { title: string } | undefined;
    if (!r || num(r.title, 't') < n) return `person ${id}: title ${r?.title} older than acknowledged t${n}`;
  }
  const prof = db.prepare('SELECT data FROM profile WHERE person_id = ?');
  for (const [id, n] of acked.profile) {
    const r = prof.get(id) as { data: string } | undefined;
    const home = r ? (JSON.parse(r.data) as { hometown?: string }).hometown : undefined;
    if (num(home, 'h') < n) return `profile ${id}: hometown ${home} older than acknowledged h${n}`;
  }
  const person = db.prepare('SELECT 1 FROM person WHERE id = ?');
  for (const id of acked.created) if (!person.get(id)) return `created person ${id} is missing`;
  const rel = db.prepare('SELECT 1 FROM relation WHERE id = ?');
  for (const id of acked.relations) if (!rel.get(id)) return `relation ${id} is missing`;
  if (acked.meta >= 0) {
    const notes = (db.prepare('SELECT notes FROM map_meta WHERE id = 1').get() as { notes: string }).notes;
    if (num(notes, 'm') < acked.meta) return `map notes ${notes} older than acknowledged m${acked.meta}`;
  }
  const rev =
    (db.prepare(REV_SQL).get() as { rev: number }).rev;
  if (rev < baseRev + acked.count) return `revision ${rev} is below ${baseRev} + ${acked.count} acknowledged edits`;
  // The newest undo entry is whole JSON (undo after a crash works).
  const last = db.prepare('SELECT changes FROM undo_log ORDER BY seq DESC LIMIT 1').get() as { changes: string } | undefined;
  if (last) JSON.parse(last.changes);
  return null;
}

describe('crash safety', () => {
  it(`keeps every acknowledged edit through ${KILLS_WHILE_EDITING} SIGKILLs while editing`, async () => {
    const dir = tmp();
    const file = path.join(dir, 'crash.powermap');
    const data = generateMap(60, { seed: 11 });
    const seed = await createMapFile(file, data.meta);
    await loadMap(seed, data);
    const baseRev = await seed.rev();
    await seed.close();

    const acked: Acked = { title: new Map(), profile: new Map(), created: new Set(), relations: new Set(), meta: -1, count: 0 };
    const rnd = prng(20261123);
    let killsWhileEditing = 0;
    let killsAtStart = 0;
    let plainChecks = 0;
    for (let k = 1; killsWhileEditing < KILLS_WHILE_EDITING; k++) {
      expect(k).toBeLessThan(KILLS_WHILE_EDITING * 3); // the loop must make progress
      const c = run(child, ['edit', file, String(k * 1_000_000), String(k)]);
      const early = rnd() < 0.1;
      if (early) await sleep(rnd() * 120); // during start-up, opening or WAL recovery
      else {
        // Once it is editing (its first edit acknowledged), at a random moment within ~20 ms.
        await c.waitFor(/^ack /);
        await sleep(rnd() * 20);
      }
      const sawReady = c.lines.some((l) => l.startsWith('ready '));
      c.proc.kill('SIGKILL');
      const { signal } = await c.exited;
      const failed = c.lines.find((l) => l.startsWith('fail '));
      expect(failed, `child ${k} refused the map`).toBeUndefined();
      expect(signal, `child ${k} ended by itself: ${c.stderr().slice(-400)}`).toBe('SIGKILL');
      if (sawReady && c.lines.some((l) => l.startsWith('ack '))) killsWhileEditing++;
      else killsAtStart++;

      for (const line of c.lines) {
        const [tag, op, n, id] = line.split(' ');
        if (tag !== 'ack') continue;
        acked.count++;
        const v = Number(n);
        if (op === 'title') acked.title.set(id!, v);
        else if (op === 'profile') acked.profile.set(id!, v);
        else if (op === 'create') acked.created.add(id!);
        else if (op === 'relation') acked.relations.add(id!);
        else if (op === 'meta') acked.meta = v;
      }

      // Every third time, look with a plain read-only connection, which leaves the -wal file of
      // the killed process for the next child to recover; otherwise open it as the app does
      // (recovering the -wal), read it as the app would, close it, and look at what it left.
      if (k % 3 === 0) plainChecks++;
      else {
        const store = await openMapFile(file);
        try {
          expect(await store.rev(), `revision after kill ${k}`).toBeGreaterThanOrEqual(baseRev + acked.count);
          expect((await documentOf(store)).people.length, `after kill ${k}`).toBeGreaterThanOrEqual(data.people.length + acked.created.size);
        } finally {
          await store.close();
        }
        expect(fs.existsSync(`${file}-wal`), `the app left a -wal after kill ${k}`).toBe(false);
      }
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        expect(check(db, acked, baseRev), `after kill ${k}`).toBeNull();
      } finally {
        db.close();
      }
    }
    console.log(
      `[trust] crash: ${killsWhileEditing + killsAtStart} SIGKILLs survived (${killsWhileEditing} while editing, ${killsAtStart} during start-up/open), ` +
        `${acked.count} acknowledged edits (${acked.created.size} people created) all on disk, ${plainChecks} checks with a plain connection`,
    );
    // Enough edits were acknowledged to make the check mean something.
    expect(acked.count).toBeGreaterThan(KILLS_WHILE_EDITING * 2);
    expect(acked.created.size).toBeGreaterThan(KILLS_WHILE_EDITING / 10);
  }, 300_000);

  it(`leaves no half-imported map when an import is killed (${IMPORT_KILLS} kills)`, async () => {
    const dir = tmp();
    const data = generateMap(6000, { seed: 5 });
    const json = path.join(dir, 'big.json');
    fs.writeFileSync(json, JSON.stringify(data));
    const want = { people: data.people.length, relations: data.relations.length };

    // One uninterrupted import, to know how long the window is.
    const t0 = Date.now();
    const full = run(child, ['import', json, path.join(dir, 'whole.powermap')]);
    await full.waitFor(/^done /, 120_000);
    await full.exited;
    const took = Date.now() - t0;
    const countsOf = async (file: string) => {
      const s = await openMapFile(file);
      let c: Awaited<ReturnType<typeof counts>>;
      try {
        c = await counts(s);
      } finally {
        await s.close();
      }
      expect(peekOne(file, 'PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' });
      return { people: c.people, relations: c.relations };
    };
    expect(await countsOf(path.join(dir, 'whole.powermap'))).toEqual(want);

    const rnd = prng(99);
    let nothing = 0;
    let whole = 0;
    let midway = 0;
    for (let k = 0; k < IMPORT_KILLS; k++) {
      const target = path.join(dir, `import-${k}.powermap`);
      const c = run(child, ['import', json, target]);
      await c.waitFor(/^ready /);
      await sleep(rnd() * took * 1.1);
      c.proc.kill('SIGKILL');
      await c.exited;
      if (!c.lines.some((l) => l.startsWith('done '))) midway++;
      if (fs.existsSync(target)) {
        expect(await countsOf(target), `import ${k} left a partial map`).toEqual(want);
        whole++;
      } else nothing++;
      // Nothing at the target also means no -wal/-shm of a half map beside it.
      if (!fs.existsSync(target)) expect(fs.existsSync(`${target}-wal`)).toBe(false);
    }
    expect(midway).toBeGreaterThan(IMPORT_KILLS / 3);
    console.log(`[trust] import: ${IMPORT_KILLS} kills (${midway} before the import returned): ${nothing} left nothing, ${whole} the whole map, none a part`);
  }, 300_000);
});
