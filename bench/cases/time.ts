/**
 * Time figures: a 2,000-person map with 50 snapshots — bytes on disk per snapshot against the
 * live map's size, and how long saving, comparing (target < 500 ms), opening and restoring take.
 *
 * The map is the generated 2,000-person map with its ids replaced by random ones like the app
 * makes (sequential ids would flatter the compression), stored positions for two layouts, and
 * between snapshots about 1% of people changing attitude, title or influence and a few relations
 * coming and going — a map that lives for a year of weekly snapshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createMapFile } from '../../services/map/files';
import { documentOf, people as readPeople, relations as readRelations } from '../../services/map/read';
import { deleteRelation, loadMap } from '../../services/map/rules';
import type { SqliteMapStore } from '../../storage/sqlite/store';
import { currentContent, compareRefs, createSnapshot, listSnapshots, restoreSnapshot, snapshotDocument } from '../../services/time/snapshots';
import { ATTITUDES, INFLUENCES, type Position, type Relation } from '../../shared/domain';
import { generateMap, prng } from '../lib/generate';
import { median, medianOf } from '../lib/measure';
import type { BenchCase, BenchRow } from '../lib/types';

const PEOPLE = 2000;
const SNAPSHOTS = 50;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The generated map with random-looking ids (as newId makes: prefix + 12 base64url chars), seeded. */
function realisticMap(seed: number) {
  const data = generateMap(PEOPLE, { seed });
  const rnd = prng(seed + 1);
  const rid = (prefix: string) => prefix + Array.from({ length: 12 }, () => B64[Math.floor(rnd() * 64)]).join('');
  const pid = new Map(data.people.map((p) => [p.id, rid('p_')]));
  const mid = new Map(data.team.map((m) => [m.id, rid('m_')]));
  const people = data.people.map((p) => ({ ...p, id: pid.get(p.id)! }));
  const relations = data.relations.map((r) => ({ ...r, id: rid('r_'), source: pid.get(r.source)!, target: pid.get(r.target)! }));
  const team = data.team.map((m) => ({ ...m, id: mid.get(m.id)! }));
  const coverage = data.coverage.map((c) => ({ ...c, memberId: mid.get(c.memberId)!, personId: pid.get(c.personId)! }));
  const place = (): Position[] => [...people, ...team].map((x) => ({ id: x.id, x: rnd() * 8000 - 4000, y: rnd() * 5000 - 2500, pinned: rnd() < 0.05 }));
  return { ...data, people, relations, team, coverage, profiles: {}, positions: { org: place(), force: place() } };
}

const fileBytes = async (store: SqliteMapStore): Promise<number> => {
  await store.checkpoint();
  const file = store.location.path;
  const wal = `${file}-wal`;
  return fs.statSync(file).size + (fs.existsSync(wal) ? fs.statSync(wal).size : 0);
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

const timeCase: BenchCase = {
  name: 'time',
  async run(ctx) {
    const rows: BenchRow[] = [];
    const dir = ctx.tmpDir();
    const file = path.join(dir, 'time-2000.powermap');
    const data = realisticMap(2000);
    const store = await createMapFile(file, data.meta);
    try {
      await loadMap(store, data);
      const liveBytes = await fileBytes(store);

      // 50 snapshots of a changing map (changes written in one transaction each, like an import).
      const rnd = prng(77);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
      const saveMs: number[] = [];
      for (let i = 0; i < SNAPSHOTS; i++) {
        if (i > 0) {
          const people = await readPeople(store);
          const changed = Array.from({ length: PEOPLE / 100 }, () => {
            const p = pick(people);
            const what = rnd();
            return what < 0.5 ? { ...p, attitude: pick(ATTITUDES) } : what < 0.8 ? { ...p, title: `${p.title.split(' (')[0]} (${i})` } : { ...p, influence: pick(INFLUENCES) };
          });
          const relations = await readRelations(store);
          const gone = new Set(Array.from({ length: 5 }, () => pick(relations.filter((r) => r.kind !== 'reports_to')).id));
          for (const id of gone) await deleteRelation(store, id);
          const added: Relation[] = Array.from({ length: 5 }, (_, k) => ({
            id: `r_b${i}_${k}`,
            kind: k === 0 ? 'conflict' : 'influence',
            source: pick(people).id,
            target: pick(people).id,
            strength: 2,
            note: '',
          }));
          await loadMap(store, { people: changed, relations: added.filter((r) => r.source !== r.target), team: [], coverage: [] });
        }
        const t0 = performance.now();
        await createSnapshot(store, `week ${i + 1}`, new Date(Date.UTC(2025, 0, 6 + 7 * i)));
        saveMs.push(performance.now() - t0);
      }
      const afterBytes = await fileBytes(store);
      const snaps = await listSnapshots(store); // newest first
      const bodyAvg = snaps.reduce((n, s) => n + s.bytes, 0) / snaps.length;
      const diskPer = (afterBytes - liveBytes) / SNAPSHOTS;
      const rowJson = zlib.brotliCompressSync(Buffer.from(JSON.stringify(await currentContent(store))), {
        params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_LGWIN]: 22, [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT },
      }).length;
      const first = snaps[snaps.length - 1]!;
      const last = snaps[0]!;
      const counts = `${first.people} people, ${first.relations} relations, ${first.team} team members, ${first.coverage} coverage links, positions for 2 layouts`;

      rows.push({
        name: `snapshot save, ${PEOPLE.toLocaleString('en-US')} people (read map + encode + write)`,
        ms: median(saveMs),
        runs: SNAPSHOTS,
        note:
          `on disk per snapshot: ${kb(diskPer)} (file growth over ${SNAPSHOTS} snapshots ÷ ${SNAPSHOTS}) = ${((100 * diskPer) / liveBytes).toFixed(1)}% of the live map file (${kb(liveBytes)}); ` +
          `compressed body ${kb(bodyAvg)} from ${kb(first.rawBytes)} of column JSON; Brotli over plain row JSON would be ${kb(rowJson)}. ` +
          `Map: ${counts}; file with ${SNAPSHOTS} snapshots: ${kb(afterBytes)}`,
      });

      const cmpName = `compare two snapshots, ${PEOPLE.toLocaleString('en-US')} people (decode both + diff)`;
      if (ctx.wants(cmpName)) {
        let n = 0;
        const ms = await medianOf(async () => (n = (await compareRefs(store, first.id, last.id)).differences.length), ctx.runs);
        rows.push({
          name: cmpName,
          ms,
          baselineName: 'map.get: reading the live map',
          baselineMs: await medianOf(() => documentOf(store), ctx.runs),
          targetMs: 500,
          note: `first vs last of ${SNAPSHOTS} snapshots: ${n} differences`,
        });
      }
      const nowName = `compare a snapshot with now, ${PEOPLE.toLocaleString('en-US')} people`;
      if (ctx.wants(nowName)) {
        const ms = await medianOf(() => compareRefs(store, first.id, 'now'), ctx.runs);
        rows.push({ name: nowName, ms, targetMs: 500, note: 'snapshot.compare {a: id, b: "now"}: decode one, read the live map, diff' });
      }
      const openName = `open a snapshot read-only, ${PEOPLE.toLocaleString('en-US')} people`;
      if (ctx.wants(openName)) rows.push({ name: openName, ms: await medianOf(() => snapshotDocument(store, first.id), ctx.runs), note: 'snapshot.get: decode to a MapDocument' });
      const restoreName = `restore a snapshot as one undoable edit, ${PEOPLE.toLocaleString('en-US')} people`;
      if (ctx.wants(restoreName)) {
        const runs = Math.min(ctx.runs, 5);
        const times: number[] = [];
        let undoBytes = 0;
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await restoreSnapshot(store, first.id);
          times.push(performance.now() - t0);
          undoBytes = Buffer.byteLength(JSON.stringify((await store.undoSteps()).at(-1)!.changes));
          await store.undo();
        }
        rows.push({
          name: restoreName,
          ms: median(times),
          runs,
          note: `the last snapshot back to the first (${SNAPSHOTS - 1} weeks of changes); its undo-log entry: ${kb(undoBytes)} (rows that differ, no snapshot body)`,
        });
      }
    } finally {
      await store.close();
    }
    return rows;
  },
};

export default timeCase;
