/**
 * `npm run dist` for Linux, run for real with electron-builder's own packager and this repo's
 * electron-builder.yml, against a stand-in Electron (electronDist: a folder with a dummy binary
 * that carries Electron's fuse wire). Checked in the output: the app folder, app.asar and what is
 * unpacked beside it, the sample map, the fuses, the .desktop entry, the file association and the
 * icons — in the deb and in the AppImage.
 *
 * What cannot run here, and what stands in for it (no GitHub, no Ruby gems):
 *  - Electron itself: the stand-in binary (nothing is launched).
 *  - deb: electron-builder downloads fpm from GitHub; CUSTOM_FPM_PATH points it at
 *    tests/helpers/fpm-stand-in.cjs, which records electron-builder's fpm arguments and builds the
 *    .deb with dpkg-deb from them. Everything before fpm is electron-builder's own.
 *  - AppImage: electron-builder downloads its appimage toolset from GitHub; APPIMAGE_TOOLS_PATH
 *    points it at Debian's mksquashfs and desktop-file-validate plus a stand-in for the AppImage
 *    runtime (the ELF stub that mounts the image). The squashfs image is real and read back with
 *    unsquashfs; only the first bytes of the file are not a real runtime.
 * Needs `npm run build` (dist/), squashfs-tools, desktop-file-utils and dpkg-deb (CI installs them).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtAbi } from '../../scripts/native.mjs';
import { sha256 } from '../helpers/tmp';

vi.mock('electron', () => import('../helpers/electron-mock'));

const asar = await import('@electron/asar');
const { getCurrentFuseWire, FuseV1Options } = await import('@electron/fuses');
const { build, Platform, Arch } = await import('electron-builder');
const { getConfig } = await import('app-builder-lib/out/util/config/config');
const { electronPaths } = await import('../../electron/main/paths');

const REPO = path.resolve(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const ELECTRON_VERSION: string = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'; // @electron/fuses' marker in Electron's binary
/** Electron's default fuse wire (version 1): RunAsNode on, cookie encryption off, NODE_OPTIONS on,
 *  inspect on, asar integrity off, app-from-asar-only off, V8 snapshot off, file:// extra privileges on,
 *  and one more the config does not name (newer Electrons carry more). */
const DEFAULT_WIRE = '101100011';
const RUNTIME = Buffer.concat([Buffer.from('#!/bin/sh\necho "stand-in AppImage runtime"; exit 1\n'), Buffer.alloc(4096 - 52, 0)]);

let work: string;
let out: string;
let unpacked: string;
let fpmArgs: string[];
let hookError: unknown = null;
let buildError: unknown = null;
let artifacts: string[] = [];

function which(tool: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${tool} is missing: apt-get install squashfs-tools desktop-file-utils (see README → Get started)`);
  }
}

/** The stand-in Electron distribution: what electronDist points at. */
function standInElectron(dir: string) {
  fs.mkdirSync(path.join(dir, 'locales'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'resources'));
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE)]);
  fs.writeFileSync(path.join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho stand-in Electron\n'), wire]), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'chrome-sandbox'), 'stand-in', { mode: 0o755 });
  for (const l of ['en-US', 'zh-CN']) fs.writeFileSync(path.join(dir, 'locales', `${l}.pak`), l);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'Electron licence (stand-in)');
  fs.writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<p>Chromium licences (stand-in)</p>');
  fs.writeFileSync(path.join(dir, 'version'), ELECTRON_VERSION);
}

/** electron-builder's legacy (FUSE2) appimage toolset layout, from Debian's tools. */
function appImageTools(dir: string) {
  fs.mkdirSync(path.join(dir, 'linux-x64'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'lib', 'x64'), { recursive: true });
  fs.symlinkSync(which('mksquashfs'), path.join(dir, 'linux-x64', 'mksquashfs'));
  fs.symlinkSync(which('desktop-file-validate'), path.join(dir, 'linux-x64', 'desktop-file-validate'));
  fs.writeFileSync(path.join(dir, 'runtime-x64'), RUNTIME, { mode: 0o755 });
}

beforeAll(async () => {
  for (const f of ['dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/report.html'])
    expect(fs.existsSync(path.join(REPO, f)), `${f} missing: run npm run build`).toBe(true);
  which('unsquashfs');
  which('dpkg-deb');
  work = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'powermap-package-'));
  out = path.join(work, 'release');
  standInElectron(path.join(work, 'electron-dist'));
  appImageTools(path.join(work, 'appimage-tools'));
  const fpm = path.join(work, 'fpm');
  fs.writeFileSync(fpm, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(__dirname, '..', 'helpers', 'fpm-stand-in.cjs'))} "$@"\n`, { mode: 0o755 });

  // The repo's afterPack hook, wrapped: the packaged better-sqlite3 here is the Node build (no
  // Electron headers to rebuild with), which the hook must refuse.
  const { afterPack } = (await getConfig(REPO, null, null)) as { afterPack?: string };
  const hook = (await import(path.resolve(REPO, afterPack!))).default as (ctx: unknown) => Promise<void>;

  const env = { APPIMAGE_TOOLS_PATH: path.join(work, 'appimage-tools'), CUSTOM_FPM_PATH: fpm, POWERMAP_FPM_RECORD: path.join(work, 'fpm-args.json') };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    artifacts = await build({
      projectDir: REPO,
      targets: Platform.LINUX.createTarget(null, Arch.x64), // the targets electron-builder.yml names
      publish: 'never',
      config: {
        electronDist: path.join(work, 'electron-dist'),
        npmRebuild: false, // rebuilding for Electron needs its headers; never touch the repo's node_modules
        directories: { output: out },
        afterPack: async (ctx: unknown) => {
          try {
            await hook(ctx);
          } catch (e) {
            hookError = e;
          }
        },
      },
    });
  } catch (e) {
    buildError = e;
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  unpacked = path.join(out, 'linux-unpacked');
  fpmArgs = fs.existsSync(env.POWERMAP_FPM_RECORD) ? JSON.parse(fs.readFileSync(env.POWERMAP_FPM_RECORD, 'utf8')) : [];
}, 180_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const APP_ASAR = () => path.join(unpacked, 'resources', 'app.asar');
const NATIVE = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';

describe('npm run dist for Linux (electron-builder with a stand-in Electron)', () => {
  it('builds the deb and the AppImage that electron-builder.yml asks for', () => {
    expect(buildError).toBeNull();
    expect(artifacts.map((a) => path.basename(a)).sort()).toEqual([`PowerMap-${pkg.version}.AppImage`, `powermap_${pkg.version}_amd64.deb`]);
  });

  it('lays out the app: the renamed binary with its fuses flipped, the sandbox helper, app.asar, the sample map beside it', async () => {
    const bin = path.join(unpacked, 'powermap');
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    const wire = await getCurrentFuseWire(bin);
    expect(wire[FuseV1Options.RunAsNode]).toBe(48); // '0' = disabled
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(49);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(48);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(48);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(49);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(49);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(48);
    expect(fs.existsSync(path.join(unpacked, 'chrome-sandbox'))).toBe(true);
    expect(fs.existsSync(path.join(unpacked, 'LICENSE.electron.txt'))).toBe(true);
    expect(fs.readdirSync(path.join(unpacked, 'resources')).sort()).toEqual(['app.asar', 'app.asar.unpacked', 'apparmor-profile', 'licenses', 'samples']);
    // The sample the welcome screen opens, where electron/main/paths.ts looks for it when packaged.
    const res = path.join(unpacked, 'resources');
    const paths = electronPaths({ isPackaged: true, appPath: APP_ASAR(), resourcesPath: res, documents: '/d', userData: '/u' });
    for (const sample of ['bank-tender.en-US.json', 'bank-tender.zh-CN.json'])
      expect(fs.readFileSync(path.join(paths.resourcesDir, 'samples', sample))).toEqual(fs.readFileSync(path.join(REPO, 'resources', 'samples', sample)));
    // The bundled fonts' licence (SIL OFL) ships beside them.
    expect(fs.readFileSync(path.join(res, 'licenses', 'fonts.txt'))).toEqual(fs.readFileSync(path.join(REPO, 'resources', 'licenses', 'fonts.txt')));
  });

  it('packs the bundles, renderer, icons and package.json into app.asar, and only better-sqlite3’s run-time closure of node_modules', () => {
    const files = asar.listPackage(APP_ASAR(), { isPack: false }).map((f) => f.replace(/^[/\\]/, '').split(path.sep).join('/'));
    for (const f of ['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/renderer/index.html', 'dist/renderer/report.html', 'resources/icons/512x512.png'])
      expect(files, f).toContain(f);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('resources/samples'))).toEqual([]);
    const modules = new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/')[1]));
    expect([...modules].sort()).toEqual(['better-sqlite3', 'bindings', 'file-uri-to-path']);
    // Where the packaged shell looks for its parts (electron/main/paths.ts), inside app.asar.
    const p = electronPaths({ isPackaged: true, appPath: APP_ASAR(), resourcesPath: path.dirname(APP_ASAR()), documents: '/d', userData: '/u' });
    for (const f of [path.join(p.rendererDir, 'index.html'), p.preload, p.icon]) expect(files).toContain(path.relative(APP_ASAR(), f).split(path.sep).join('/'));
    // package.json as Electron reads it: the product name, the desktop name, the entry point.
    const packed = JSON.parse(asar.extractFile(APP_ASAR(), 'package.json').toString('utf8'));
    expect(packed).toMatchObject({ productName: 'PowerMap', desktopName: 'powermap.desktop', main: 'dist/electron/main.cjs', version: pkg.version });
    expect(packed.devDependencies).toBeUndefined();
    expect(packed.scripts).toBeUndefined();
  });

  it('unpacks better-sqlite3’s native module beside app.asar (a .node cannot be loaded from inside it)', () => {
    expect(asar.statFile(APP_ASAR(), NATIVE)).toMatchObject({ unpacked: true });
    const file = path.join(`${APP_ASAR()}.unpacked`, NATIVE);
    expect(sha256(file)).toBe(sha256(path.join(REPO, NATIVE)));
  });

  it('runs the afterPack hook, which refuses this package: its better-sqlite3 is the Node build, not Electron’s', () => {
    expect(String(hookError)).toMatch(
      new RegExp(`built for NODE_MODULE_VERSION ${builtAbi(path.join(REPO, NATIVE))}, but Electron ${ELECTRON_VERSION.replace(/\./g, '\\.')} needs \\d+`),
    );
  });
});

describe('the deb (electron-builder’s deb target; fpm stood in by dpkg-deb)', () => {
  const deb = () => path.join(out, `powermap_${pkg.version}_amd64.deb`);
  const field = (name: string) => execFileSync('dpkg-deb', ['-f', deb(), name], { encoding: 'utf8' }).trim();
  const contents = () =>
    execFileSync('dpkg-deb', ['-c', deb()], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(/\s+/).slice(5).join(' ').replace(/^\./, '').replace(/ -> .*$/, ''));
  const extract = (member: string) => {
    const dir = path.join(work, 'deb-x');
    if (!fs.existsSync(dir)) execFileSync('dpkg-deb', ['-x', deb(), dir]);
    return fs.readFileSync(path.join(dir, member), 'utf8');
  };

  it('has the metadata the deb target requires: homepage, maintainer from package.json’s author', () => {
    expect(field('Package')).toBe('powermap');
    expect(field('Version')).toBe(pkg.version);
    expect(field('Maintainer')).toBe(`${pkg.author.name} <${pkg.author.email}>`);
    expect(field('Homepage')).toBe(pkg.homepage);
    expect(field('Architecture')).toBe('amd64');
    expect(field('Depends')).toMatch(/libgtk-3-0.*libnss3/);
    expect(field('Description')).toMatch(/^Map a client.s buying organization as a power map\n /); // synopsis, then the long text
  });

  it('installs the app to /opt/PowerMap with /usr/bin/powermap, and loads an AppArmor profile that allows the sandbox its namespaces', () => {
    const files = contents();
    for (const f of ['/opt/PowerMap/powermap', '/opt/PowerMap/chrome-sandbox', '/opt/PowerMap/resources/app.asar', `/opt/PowerMap/resources/app.asar.unpacked/${NATIVE}`, '/opt/PowerMap/resources/samples/bank-tender.en-US.json', '/opt/PowerMap/resources/samples/bank-tender.zh-CN.json'])
      expect(files, f).toContain(f);
    const postinst = execFileSync('sh', ['-c', `dpkg-deb --ctrl-tarfile "${deb()}" | tar -xOf - ./postinst`], { encoding: 'utf8' });
    expect(postinst).toContain("update-alternatives --install '/usr/bin/powermap' 'powermap' '/opt/PowerMap/powermap'");
    expect(postinst).toContain("APPARMOR_PROFILE_SOURCE='/opt/PowerMap/resources/apparmor-profile'");
    const profile = extract('opt/PowerMap/resources/apparmor-profile');
    expect(profile).toContain('profile "powermap" "/opt/PowerMap/powermap" flags=(unconfined)');
    expect(profile).toMatch(/^\s*userns,$/m);
  });

  it('registers .powermap files: a shared-mime-info type, and the .desktop entry that opens them', () => {
    const files = contents();
    expect(files).toContain('/usr/share/mime/packages/powermap.xml');
    const mime = extract('usr/share/mime/packages/powermap.xml');
    expect(mime).toMatch(/<mime-type type="application\/x-powermap">\s*<glob pattern="\*\.powermap"\/>/);
    expect(files).toContain('/usr/share/applications/powermap.desktop');
    const desktop = extract('usr/share/applications/powermap.desktop');
    expect(desktop).toMatch(/^Name=PowerMap$/m);
    expect(desktop).toMatch(/^Exec=\/opt\/PowerMap\/powermap %U$/m);
    expect(desktop).not.toContain('--no-sandbox');
    expect(desktop).toMatch(/^Icon=powermap$/m);
    expect(desktop).toMatch(/^StartupWMClass=powermap$/m); // = desktopName without .desktop: the app id Electron sets
    expect(desktop).toMatch(/^MimeType=application\/x-powermap;$/m);
    expect(desktop).toMatch(/^Categories=Office;$/m);
    const file = path.join(work, 'deb-x', 'usr/share/applications/powermap.desktop');
    expect(execFileSync('desktop-file-validate', [file], { encoding: 'utf8' })).toBe('');
  });

  it('installs the icon at every size into the hicolor theme', () => {
    const files = contents();
    for (const s of ICON_SIZES) {
      const f = `/usr/share/icons/hicolor/${s}x${s}/apps/powermap.png`;
      expect(files, f).toContain(f);
      expect(sha256(path.join(work, 'deb-x', f))).toBe(sha256(path.join(REPO, 'resources', 'icons', `${s}x${s}.png`)));
    }
  });

  it('was handed to fpm with electron-builder’s own arguments', () => {
    expect(fpmArgs.slice(0, 5)).toEqual(['-s', 'dir', '--force', '-t', 'deb']);
    expect(fpmArgs).toContain(`${unpacked}/=/opt/PowerMap`);
    expect(fpmArgs[fpmArgs.indexOf('--url') + 1]).toBe(pkg.homepage);
  });
});

describe('the AppImage (electron-builder’s AppImage target; Debian’s mksquashfs, a stand-in runtime)', () => {
  const image = () => path.join(out, `PowerMap-${pkg.version}.AppImage`);
  let listing: string[] = [];
  let root = '';

  beforeAll(() => {
    if (!fs.existsSync(image())) return;
    const args = ['-o', String(RUNTIME.length)];
    listing = execFileSync('unsquashfs', [...args, '-l', '-d', '', image()], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('/'))
      .map((l) => l.slice(1));
    root = path.join(work, 'appimage-x');
    execFileSync('unsquashfs', [...args, '-q', '-d', root, image(), 'powermap.desktop', 'AppRun', 'usr/share/mime']);
  });

  it('is the runtime followed by a squashfs image of the app', () => {
    const head = Buffer.alloc(RUNTIME.length + 4);
    const fd = fs.openSync(image(), 'r');
    fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    expect(head.subarray(0, RUNTIME.length)).toEqual(RUNTIME);
    expect(head.subarray(RUNTIME.length).toString('latin1')).toBe('hsqs'); // squashfs magic
    expect(fs.statSync(image()).mode & 0o111).not.toBe(0);
  });

  it('holds the app, its unpacked native module and the sample map', () => {
    for (const f of ['AppRun', 'powermap', 'chrome-sandbox', 'resources/app.asar', `resources/app.asar.unpacked/${NATIVE}`, 'resources/samples/bank-tender.en-US.json', 'resources/samples/bank-tender.zh-CN.json'])
      expect(listing, f).toContain(f);
  });

  it('has a valid .desktop entry without --no-sandbox, the .powermap mime type and the icons', () => {
    const desktop = fs.readFileSync(path.join(root, 'powermap.desktop'), 'utf8');
    expect(desktop).toMatch(/^Exec=AppRun %U$/m);
    expect(desktop).not.toContain('--no-sandbox');
    expect(desktop).toMatch(/^StartupWMClass=powermap$/m);
    expect(desktop).toMatch(/^MimeType=application\/x-powermap;$/m);
    expect(execFileSync('desktop-file-validate', [path.join(root, 'powermap.desktop')], { encoding: 'utf8' })).toBe('');
    expect(fs.readFileSync(path.join(root, 'usr/share/mime/packages/powermap.xml'), 'utf8')).toContain('<glob pattern="*.powermap"/>');
    for (const s of ICON_SIZES) expect(listing).toContain(`usr/share/icons/hicolor/${s}x${s}/apps/powermap.png`);
    expect(listing).toContain('.DirIcon');
  });

  it('keeps electron-builder’s AppRun, which adds --no-sandbox where user namespaces are blocked (the app refuses that: electron/main/sandbox.ts)', () => {
    const appRun = fs.readFileSync(path.join(root, 'AppRun'), 'utf8');
    expect(appRun).toContain('unshare -Ur true');
    expect(appRun).toContain('NO_SANDBOX=(--no-sandbox)');
    expect(appRun).toContain('BIN="$APPDIR/powermap"');
  });
});
