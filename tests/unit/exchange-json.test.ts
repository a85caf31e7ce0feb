import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { JSON_VERSION, MapJsonSchema } from '../../shared/exchange/json-format';
import { exportData, importJsonFile, readMapData } from '../../services/exchange/service';
import type { MapStore } from '../../storage/types';
import { richMap } from './exchange-helpers';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();

const snapshot = async (s: MapStore) => {
  const d = await readMapData(s, true);
  return { ...d, positions: d.positions };
};

describe('JSON export and import', () => {
  it('is lossless, field by field, with personal details', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    const json = path.join(dir, 'rich.json');
    const res = await exportData(a, { format: 'json', target: json, includePersonal: true, layout: 'org', overwrite: false, lang: 'en-US' });
    expect(res.files).toEqual([json]);
    const file = JSON.parse(fs.readFileSync(json, 'utf8'));
    expect(file.format).toBe('powermap-map');
    expect(file.version).toBe(JSON_VERSION);
    expect(MapJsonSchema.safeParse(file).success).toBe(true);

    const b = await importJsonFile(json, path.join(dir, 'copy.powermap'));
    const before = await snapshot(a);
    const after = await snapshot(b);
    expect(after.meta).toEqual(before.meta);
    expect(after.people).toHaveLength(4);
    for (const p of before.people) expect(after.people.find((q) => q.id === p.id)).toEqual(p);
    expect(after.relations).toEqual(before.relations);
    expect(after.team).toEqual(before.team);
    expect(after.coverage).toEqual(before.coverage);
    expect(after.profiles).toEqual(before.profiles);
    expect(after.profiles!.p1!.children).toContain('Zhou children');
    expect(after.positions).toEqual(before.positions);
    // And a second export is the same file but for its date.
    const json2 = path.join(dir, 'copy.json');
    await exportData(b, { format: 'json', target: json2, includePersonal: true, layout: 'org', overwrite: false, lang: 'en-US' });
    const again = JSON.parse(fs.readFileSync(json2, 'utf8'));
    delete again.exportedAt;
    delete file.exportedAt;
    expect(again).toEqual(file);
    await a.close();
    await b.close();
  });

  it('leaves personal profiles out unless asked', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    const json = path.join(dir, 'plain.json');
    await exportData(a, { format: 'json', target: json, includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' });
    const text = fs.readFileSync(json, 'utf8');
    expect(JSON.parse(text).profiles).toBeUndefined();
    expect(text).not.toContain('Zhou hometown');
    expect(text).not.toContain('Daughter, 9');
    expect(text).toContain('周明远');
    await a.close();
  });

  it('refuses a newer version clearly and creates no map', async () => {
    const dir = tmp();
    const json = path.join(dir, 'future.json');
    fs.writeFileSync(json, JSON.stringify({ format: 'powermap-map', version: JSON_VERSION + 1, meta: {}, people: [] }));
    const target = path.join(dir, 'future.powermap');
    let err: unknown;
    try {
      await importJsonFile(json, target);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('NEWER_VERSION');
    expect((err as ApiError).message).toMatch(/newer PowerMap.*version 2/);
    expect(fs.readdirSync(dir)).toEqual(['future.json']);
  });

  it('refuses broken files with one line per problem and creates no map', async () => {
    const dir = tmp();
    const a = await richMap(dir, 'src.powermap');
    const json = path.join(dir, 'src.json');
    await exportData(a, { format: 'json', target: json, includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' });
    await a.close();
    const data = JSON.parse(fs.readFileSync(json, 'utf8'));
    data.relations.push({ id: 'r9', kind: 'influence', source: 'p1', target: 'ghost', strength: 2, note: '' });
    data.coverage.push({ memberId: 'nobody', personId: 'p1', strength: 2 });
    data.people[1].attitude = 'hostile';
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify(data));
    const target = path.join(dir, 'bad.powermap');
    await expect(importJsonFile(bad, target)).rejects.toThrow(ApiError);
    try {
      await importJsonFile(bad, target);
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe('IMPORT_FAILED');
      expect((e as ApiError).details!.some((d) => d.includes('people.1.attitude'))).toBe(true);
    }
    delete data.people[1].attitude;
    data.people[1].attitude = 'neutral';
    fs.writeFileSync(bad, JSON.stringify(data));
    try {
      await importJsonFile(bad, target);
      expect.unreachable();
    } catch (e) {
      const details = (e as ApiError).details!;
      expect(details.some((d) => /relations\.\d+\.target: no person with id ghost/.test(d))).toBe(true);
      expect(details.some((d) => /coverage\.\d+\.memberId: no team member with id nobody/.test(d))).toBe(true);
    }
    fs.writeFileSync(bad, '{"format": "powermap-map", "version": 1, ');
    await expect(importJsonFile(bad, target)).rejects.toThrow(/not valid JSON/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.part') || f.endsWith('.powermap'))).toEqual(['src.powermap']);
  });

  it('refuses to overwrite an existing map or export', async () => {
    const dir = tmp();
    const a = await richMap(dir);
    const json = path.join(dir, 'x.json');
    fs.writeFileSync(json, 'keep me');
    await expect(exportData(a, { format: 'json', target: json, includePersonal: false, layout: 'org', overwrite: false, lang: 'en-US' })).rejects.toThrow(
      /already exists/,
    );
    expect(fs.readFileSync(json, 'utf8')).toBe('keep me');
    await exportData(a, { format: 'json', target: json, includePersonal: false, layout: 'org', overwrite: true, lang: 'en-US' });
    expect(JSON.parse(fs.readFileSync(json, 'utf8')).people).toHaveLength(4);
    await expect(importJsonFile(json, a.location.path)).rejects.toThrow(/already exists/);
    await a.close();
  });
});
