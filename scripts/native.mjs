// better-sqlite3's native module, built for Node (tests, CLI, browser build) or for Electron (the
// app): where it is, for which runtime it was built, and the marker @electron/rebuild leaves.
//
// @electron/rebuild (what `electron-builder install-app-deps` and electron-builder's packaging
// run) writes build/Release/.forge-meta = "<platform>--<arch>--<ABI>" after a rebuild and skips
// the module next time when the marker matches the target — without looking at the binary.
// `npm rebuild` (prebuild-install) replaces the binary with a Node build and leaves the marker,
// so the next Electron rebuild would be skipped and the app would open with a Node build. Every
// switch therefore clears the marker before it rebuilds (see ensure-native.mjs).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const MODULE = 'better-sqlite3';
export const BINARY = 'better_sqlite3.node';

/** The module's folder as `root` resolves it (root/node_modules/better-sqlite3). */
export function moduleDir(root) {
  return path.dirname(createRequire(path.join(root, 'package.json')).resolve(`${MODULE}/package.json`));
}

export const nativeFile = (dir) => path.join(dir, 'build', 'Release', BINARY);
/** @electron/rebuild's marker (ModuleRebuilder.metaPath in @electron/rebuild 4.x). */
export const markerFile = (dir) => path.join(dir, 'build', 'Release', '.forge-meta');

/** The marker's text ("linux--x64--145"), or null when there is none. */
export function readMarker(dir) {
  try {
    return fs.readFileSync(markerFile(dir), 'utf8');
  } catch {
    return null;
  }
}

/** Deletes the marker; returns what it said (null when there was none). */
export function clearMarker(dir) {
  const was = readMarker(dir);
  if (was !== null) fs.rmSync(markerFile(dir), { force: true });
  return was;
}

/**
 * The NODE_MODULE_VERSION a native module was built for, read from the binary itself: modules
 * built with NODE_MODULE_INIT (better-sqlite3 is one) export `node_register_module_v<ABI>` (ELF,
 * Mach-O with a leading underscore, PE export table alike). null when the name is not there.
 */
export function builtAbi(file) {
  const bytes = fs.readFileSync(file);
  const found = new Set();
  const needle = Buffer.from('node_register_module_v');
  for (let i = bytes.indexOf(needle); i >= 0; i = bytes.indexOf(needle, i + needle.length)) {
    let j = i + needle.length;
    let digits = '';
    while (j < bytes.length && bytes[j] >= 0x30 && bytes[j] <= 0x39) digits += String.fromCharCode(bytes[j++]);
    if (digits) found.add(Number(digits));
  }
  return found.size === 1 ? [...found][0] : null;
}

/** The ABI a given Electron version loads (node-abi, as @electron/rebuild computes it). */
export async function electronAbi(version) {
  const { getAbi } = await import('node-abi');
  return Number(getAbi(version, 'electron'));
}

/**
 * electron-builder's afterPack check: the packaged better-sqlite3 must be built for the packaged
 * Electron. Throws with what was found otherwise (a Node build, or none at all).
 */
export async function checkPackagedNative({ appOutDir, electronVersion }) {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === BINARY) found.push(p);
    }
  };
  walk(appOutDir);
  if (found.length === 0) throw new Error(`packaged app has no ${BINARY} under ${appOutDir}`);
  const want = await electronAbi(electronVersion);
  for (const file of found) {
    const abi = builtAbi(file);
    if (abi !== want) {
      throw new Error(
        `${path.relative(appOutDir, file)} is built for NODE_MODULE_VERSION ${abi ?? 'unknown'}, but Electron ${electronVersion} needs ${want}. ` +
          'The app would open and fail on every map. Run `node scripts/ensure-native.mjs package` (npm run dist does) so electron-builder rebuilds it.',
      );
    }
  }
  return found;
}
