/**
 * A -wal (or -shm, -journal) beside a map that is a link to another file, or not a file at all
 * (issue 15, item 14): SQLite would read or write whatever it points at. The open is refused
 * with a message that says what it is — not "read-only" — and neither the map nor the link's
 * target changes.
 *
 * The check is the map-file engine's (storage/sqlite/open.ts `checkCompanions`), refused as
 * UNTRUSTED with `{ reason: 'companion_link', companion }`; the message is in shared/i18n/errors.ts
 * (ERROR_REASONS.companion_link).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import type { ApiErrorShape } from '../../shared/api/errors';
import { errorMessage } from '../../shared/i18n/errors';
import { createMapFile } from '../../services/map/files';
import { createPerson } from '../../services/map/rules';
import { REPO, webSession } from '../helpers/session';
import { sha256, useTmpDir } from '../helpers/tmp';
import { bundle } from '../helpers/trust-process';

const tmp = useTmpDir();
let cli = '';
beforeAll(async () => {
  cli = await bundle('cli/main.ts');
}, 60_000);

async function realMap(dir: string): Promise<string> {
  const file = path.join(dir, 'Harbour.powermap');
  const s = await createMapFile(file, { account: 'Harbour Power Bureau' });
  await createPerson(s, { name: 'Lin Qiao' });
  await s.close();
  return file;
}

const cases: [string, (file: string, dir: string) => string][] = [
  ['a -wal that links to another file', (file, dir) => {
    const target = path.join(dir, 'notes.txt');
    fs.writeFileSync(target, 'someone else’s file');
    fs.symlinkSync(target, `${file}-wal`);
    return target;
  }],
  ['a -wal that links to nothing', (file, dir) => {
    fs.symlinkSync(path.join(dir, 'gone'), `${file}-wal`);
    return '';
  }],
  ['a -shm that links to another file', (file, dir) => {
    const target = path.join(dir, 'shared.bin');
    fs.writeFileSync(target, Buffer.alloc(32768, 7));
    fs.symlinkSync(target, `${file}-shm`);
    return target;
  }],
  ['a -wal that is a folder', (file) => {
    fs.mkdirSync(`${file}-wal`);
    return '';
  }],
];

describe('a link or a folder beside a map, where its journal would be', () => {
  it.each(cases)('%s is refused, saying what it is', async (what, make) => {
    const dir = tmp();
    const file = await realMap(dir);
    const target = make(file, dir);
    const before = sha256(file);
    const targetBefore = target ? sha256(target) : '';
    const r = await dispatch(webSession(dir), 'map.open', { path: file });
    expect(r.ok, what).toBe(false);
    const e = (r as { error: ApiErrorShape }).error;
    expect(e.params, what).toMatchObject({ reason: 'companion_link', name: 'Harbour.powermap' });
    expect(String(e.params!.companion)).toMatch(/^Harbour\.powermap-(wal|shm)$/);
    const en = errorMessage(e, 'en-US');
    expect(en).toMatch(/^Harbour\.powermap was not opened: Harbour\.powermap-(wal|shm) beside it is a link to another file/);
    expect(en).not.toMatch(/read-only/i);
    expect(errorMessage(e, 'zh-CN')).toMatch(/链接/);
    expect(sha256(file)).toBe(before);
    if (target) expect(sha256(target)).toBe(targetBefore);

    const c = spawnSync(process.execPath, [cli, 'info', file], {
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8', NODE_PATH: path.join(REPO, 'node_modules') },
    });
    expect(c.status).toBe(1);
    expect(c.stderr).toMatch(/^powermap info: Harbour\.powermap was not opened: Harbour\.powermap-(wal|shm) beside it is a link/);
    expect(sha256(file)).toBe(before);
  });
});
