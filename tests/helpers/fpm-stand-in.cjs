// A stand-in for fpm (electron-builder's deb tool, downloaded from GitHub, which is not reachable
// here; Debian has no fpm package). electron-builder runs it through CUSTOM_FPM_PATH with the
// arguments it would give the real fpm: this writes them to $POWERMAP_FPM_RECORD (JSON) and builds
// the package the way fpm's `-s dir -t deb` does, with dpkg-deb: each `src=dst` copied into the
// package root, the control fields from the options, --after-install/--after-remove as
// postinst/postrm. dpkg-deb then checks what dpkg would refuse (names, versions, control syntax).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const argv = process.argv.slice(2);
if (process.env.POWERMAP_FPM_RECORD) fs.writeFileSync(process.env.POWERMAP_FPM_RECORD, JSON.stringify(argv, null, 1));

const single = {};
const multi = { d: [], 'deb-recommends': [] };
const files = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--force') continue;
  const m = /^--?([a-z-]+)$/.exec(a);
  if (m) {
    const key = m[1];
    const value = argv[++i];
    if (key in multi) multi[key].push(value);
    else single[key] = value;
  } else if (a.includes('=')) {
    const at = a.lastIndexOf('=');
    files.push([a.slice(0, at), a.slice(at + 1)]);
  } else {
    throw new Error(`fpm stand-in: unexpected argument ${a}`);
  }
}
if (single.s !== 'dir' || single.t !== 'deb') throw new Error(`fpm stand-in: only -s dir -t deb (got -s ${single.s} -t ${single.t})`);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fpm-stand-in-'));
try {
  for (const [src, dst] of files) {
    const to = path.join(root, dst);
    if (src.endsWith('/')) fs.cpSync(src, to, { recursive: true, verbatimSymlinks: true });
    else {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(src, to);
    }
  }
  const debian = path.join(root, 'DEBIAN');
  fs.mkdirSync(debian);
  const control = [
    ['Package', single.name],
    ['Version', single.version],
    ['Architecture', single.architecture],
    ['Maintainer', single.maintainer],
    ['Priority', single['deb-priority']],
    ['Homepage', single.url],
    ['Depends', multi.d.join(', ')],
    ['Recommends', multi['deb-recommends'].join(', ')],
    ['Description', single.description],
  ]
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  fs.writeFileSync(path.join(debian, 'control'), `${control}\n`);
  for (const [opt, script] of [['after-install', 'postinst'], ['after-remove', 'postrm']]) {
    if (single[opt]) {
      fs.copyFileSync(single[opt], path.join(debian, script));
      fs.chmodSync(path.join(debian, script), 0o755);
    }
  }
  const compression = single['deb-compression'] === 'xz' ? 'xz' : 'gzip';
  execFileSync('dpkg-deb', ['--root-owner-group', `-Z${compression}`, '--build', root, single.package], { stdio: ['ignore', 'ignore', 'inherit'] });
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
