/**
 * electron-builder.yml, read and validated by electron-builder itself (its own config loader and
 * JSON schema), then checked for what the packaged app must have: fuses, the .powermap
 * association, the native module rebuilt and unpacked, the icons.
 */
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../helpers/electron-mock'));

// electron-builder's own reader and validator (app-builder-lib ships with electron-builder).
const { getConfig, validateConfiguration } = await import('app-builder-lib/out/util/config/config');
const { DebugLogger } = await import('builder-util');
const { APP_ID } = await import('../../electron/main/app');

const REPO = path.resolve(__dirname, '..', '..');

async function config() {
  const cfg = await getConfig(REPO, null, null);
  await validateConfiguration(cfg, new DebugLogger(false));
  return cfg;
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(file: string) {
  const b = fs.readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii'), file).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(config()).resolves.toBeDefined();
  });

  it('flips the security fuses', async () => {
    const { electronFuses } = await config();
    expect(electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      // Re-signs the flipped macOS binary ad hoc: an unsigned arm64 app with a broken signature does not launch.
      resetAdHocDarwinSignature: true,
    });
  });

  it('associates .powermap files, with a mime type and a document icon for each OS', async () => {
    const cfg = await config();
    const assoc = ([] as NonNullable<typeof cfg.fileAssociations>[]).concat(cfg.fileAssociations ?? []).flat();
    expect(assoc).toHaveLength(1);
    const a = assoc[0]!;
    expect(a.ext).toBe('powermap');
    expect(a.mimeType).toBe('application/x-powermap');
    expect(a.name).toBeTruthy();
    expect(a.description).toBeTruthy();
    for (const ext of ['icns', 'ico']) expect(fs.existsSync(path.join(REPO, `${a.icon}.${ext}`)), ext).toBe(true);
    // The association alone puts the type in the .desktop entry; linux.mimeTypes would repeat it
    // (electron-builder 26 appends to that array in place on every entry it writes).
    expect(cfg.linux?.mimeTypes).toBeUndefined();
  });

  it('builds AppImage + deb, dmg and nsis, as PowerMap with the app id the shell uses', async () => {
    const cfg = await config();
    expect(cfg.appId).toBe(APP_ID);
    // The names come from package.json, where Electron reads them at run time too.
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(cfg.productName).toBeUndefined();
    expect(pkg.productName).toBe('PowerMap');
    expect(pkg.desktopName).toBe(`${cfg.linux?.executableName}.desktop`);
    expect(cfg.linux?.syncDesktopName).toBe(true);
    expect(cfg.linux?.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac?.target).toEqual(['dmg']);
    expect(cfg.win?.target).toEqual(['nsis']);
    // Packages must not land in dist/, which is our build output.
    expect(cfg.directories?.output).toBe('release');
  });

  it('packs the bundles into an asar, unpacks better-sqlite3’s native module and rebuilds it for Electron', async () => {
    const cfg = await config();
    expect(cfg.asar).toBe(true);
    // getConfig normalises `files` to [{ filter: [...] }].
    const files = (cfg.files as { filter: string[] }[]).flatMap((f) => f.filter);
    for (const f of ['package.json', 'dist/electron/**', 'dist/renderer/**', 'resources/**']) expect(files).toContain(f);
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining([expect.stringMatching(/better-sqlite3.*\.node$/)]));
    expect(cfg.npmRebuild).toBe(true);
    expect(cfg.extraResources).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'resources/samples', to: 'samples' })]));
    // package.json "main" is inside what is packed.
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(pkg.dependencies['better-sqlite3']).toBeDefined();
  });

  it('packs every package the bundled main process loads at run time, and no others', async () => {
    const cfg = await config();
    const files = (cfg.files as { filter: string[] }[]).flatMap((f) => f.filter);
    expect(files).toContain('!node_modules/**');
    const packed = new Set(files.map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter(Boolean));
    // What the main and preload bundles require that is not built in: only electron and better-sqlite3.
    const external = new Set<string>();
    for (const bundle of ['main.cjs', 'preload.cjs']) {
      const file = path.join(REPO, 'dist', 'electron', bundle);
      expect(fs.existsSync(file), `${bundle} missing: run npm run build`).toBe(true);
      for (const [, name] of fs.readFileSync(file, 'utf8').matchAll(/require\("([^"./][^"]*)"\)/g)) {
        const pkg = name!.startsWith('@') ? name!.split('/').slice(0, 2).join('/') : name!.split('/')[0]!;
        if (!builtinModules.includes(pkg) && !pkg.startsWith('node:')) external.add(pkg);
      }
    }
    expect([...external].sort()).toEqual(['better-sqlite3', 'electron']);
    // better-sqlite3's run-time closure (prebuild-install only runs at install time).
    const closure = (name: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(name)) return seen;
      seen.add(name);
      const deps = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')).dependencies ?? {};
      for (const d of Object.keys(deps)) if (d !== 'prebuild-install') closure(d, seen);
      return seen;
    };
    expect([...packed].sort()).toEqual([...closure('better-sqlite3')].sort());
  });

  it('has the icons each platform needs, at their sizes', async () => {
    const cfg = await config();
    const icons = path.join(REPO, 'resources', 'icons');
    for (const s of [16, 32, 48, 64, 128, 256, 512]) expect(pngSize(path.join(icons, `${s}x${s}.png`))).toEqual({ width: s, height: s });
    expect(pngSize(path.join(icons, 'icon.png'))).toEqual({ width: 1024, height: 1024 });
    expect(cfg.linux?.icon).toBe('resources/icons');
    const ico = fs.readFileSync(path.join(REPO, cfg.win!.icon!));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // an ICO header
    expect(ico.readUInt16LE(4)).toBeGreaterThanOrEqual(5);
    const icns = fs.readFileSync(path.join(REPO, cfg.mac!.icon!));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    expect(fs.readFileSync(path.join(icons, 'icon.svg'), 'utf8')).toMatch(/^<svg /);
  });
});
