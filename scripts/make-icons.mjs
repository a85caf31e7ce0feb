// Renders the app and file icons from their SVG sources (resources/icons/*.svg) with the system
// Chromium, and packs them the way electron-builder wants them:
//   resources/icons/NxN.png            Linux icon set (and the window icon, 512x512.png)
//   resources/icons/icon.png           1024 px master
//   resources/icons/icon.ico, .icns    Windows and macOS app icons
//   resources/icons/powermap-file.ico, .icns   the .powermap document icon
// Run: node scripts/make-icons.mjs   (CHROME_PATH overrides /usr/bin/chromium; nothing is downloaded)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dir = path.join(root, 'resources', 'icons');
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// icns entry types holding PNG data, by pixel size.
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

async function render(page, svg, size) {
  await page.setViewportSize({ width: size, height: size });
  const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent"><img id="i" src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`,
  );
  await page.waitForFunction(() => globalThis.document.getElementById('i').complete);
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

function ico(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  const entries = [];
  let offset = 6 + 16 * pngs.length;
  for (const [size, data] of pngs) {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2);
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...pngs.map(([, d]) => d)]);
}

function icns(bySize) {
  const chunks = ICNS_TYPES.map(([type, size]) => {
    const data = bySize.get(size);
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(chunks);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const all = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s), 1024])];
  for (const name of ['icon', 'powermap-file']) {
    const svg = fs.readFileSync(path.join(dir, `${name}.svg`), 'utf8');
    const bySize = new Map();
    for (const size of all) bySize.set(size, await render(page, svg, size));
    if (name === 'icon') {
      for (const size of LINUX_SIZES) fs.writeFileSync(path.join(dir, `${size}x${size}.png`), bySize.get(size));
      fs.writeFileSync(path.join(dir, 'icon.png'), bySize.get(1024));
    }
    fs.writeFileSync(path.join(dir, `${name}.ico`), ico(ICO_SIZES.map((s) => [s, bySize.get(s)])));
    fs.writeFileSync(path.join(dir, `${name}.icns`), icns(bySize));
    console.log(`make-icons: ${name} rendered at ${all.length} sizes`);
  }
} finally {
  await browser.close();
}
