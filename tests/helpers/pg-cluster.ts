/**
 * A private PostgreSQL cluster for the tests: Debian's postgresql-15 binaries, a data folder under
 * /tmp, a free loopback port, trust authentication, fsync off. Plain Node (no vitest imports), so
 * the vitest globalSetup, the test files and the benchmark can all use it.
 *
 *   const pg = await startCluster();   // 1–3 s
 *   pg.url                             // postgres://postgres@127.0.0.1:PORT/postgres
 *   await pg.restart();                // immediate shutdown (a crash) and start on the same port
 *   await pg.stop(); await pg.start(); // an outage of any length
 *   await pg.destroy();                // stop and remove the folder
 *
 * initdb and postgres refuse to run as root: as root they run as the `postgres` user through
 * runuser; as anyone else they run as that user. The binaries come from POWERMAP_PG_BIN, else the
 * newest /usr/lib/postgresql/N/bin, else PATH.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:PORT/postgres (a superuser that may create databases). */
  url: string;
  port: number;
  /** The cluster's folder (data/, the socket, log). */
  dir: string;
  /** Whether the server is running, as far as this object knows. */
  running: boolean;
  start(): Promise<void>;
  /** 'immediate' is a crash as far as clients can tell; 'fast' a clean shutdown. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Immediate shutdown, then start again on the same port. */
  restart(): Promise<void>;
  /** Stops the server (if running) and removes the folder. */
  destroy(): Promise<void>;
  /** The server's log so far (for failure messages). */
  log(): string;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The folder holding initdb, pg_ctl and postgres. */
export function findPgBin(): string {
  const env = process.env.POWERMAP_PG_BIN;
  if (env) return env;
  const base = '/usr/lib/postgresql';
  if (fs.existsSync(base)) {
    const versions = fs
      .readdirSync(base)
      .filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(base, versions[0], 'bin');
  }
  return ''; // rely on PATH
}

async function pgTool(tool: string, args: string[], timeout = 60_000): Promise<string> {
  const bin = findPgBin();
  const exe = bin ? path.join(bin, tool) : tool;
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
  try {
    const { stdout } = await run(cmd, argv, { timeout, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${tool} failed: ${err.message}\n${err.stderr ?? ''}${err.stdout ?? ''}`);
  }
}

/** A loopback port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The root of every test cluster's folder: /tmp when root (the postgres user must reach it). */
const clusterRoot = () => (isRoot() ? '/tmp' : os.tmpdir());
const PREFIX = 'powermap-pgtest-';

/**
 * Makes the folder, runs initdb, starts the server. `owner` is recorded for the stale sweep.
 * `durable`: keep PostgreSQL's defaults (fsync on), as a production server runs — the benchmark's
 * choice; tests run with fsync off.
 */
export async function startCluster(opts: { owner?: number; durable?: boolean } = {}): Promise<PgCluster> {
  const dir = fs.mkdtempSync(path.join(clusterRoot(), PREFIX));
  fs.writeFileSync(path.join(dir, 'owner'), String(opts.owner ?? process.pid));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  if (isRoot()) {
    fs.chmodSync(dir, 0o755);
    await run('chown', ['postgres', dir]);
  }
  await pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);

  let port = 0;
  const cluster: PgCluster = {
    url: '',
    port: 0,
    dir,
    running: false,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    async start() {
      await pgTool('pg_ctl', [
        '-D',
        data,
        '-w',
        '-t',
        '60',
        '-l',
        logFile,
        '-o',
        // fsync off: a test cluster trades durability across OS crashes for speed; a PostgreSQL
        // crash (immediate shutdown) still loses nothing committed, the OS keeps the pages.
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${opts.durable ? '' : ' -c fsync=off -c full_page_writes=off'} -c max_connections=300 -c shared_buffers=32MB`,
        'start',
      ]);
      this.running = true;
    },
    async stop(mode = 'fast') {
      if (!fs.existsSync(path.join(data, 'postmaster.pid'))) {
        this.running = false;
        return;
      }
      await pgTool('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', mode, 'stop']);
      this.running = false;
    },
    async restart() {
      await this.stop('immediate');
      await this.start();
    },
    async destroy() {
      try {
        await this.stop('immediate');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };

  // A port may be taken between freePort() and the server binding it: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    port = await freePort();
    try {
      await cluster.start();
      lastError = undefined;
      break;
    } catch (e) {
      lastError = e;
    }
  }
  if (lastError) {
    const log = cluster.log();
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL: ${(lastError as Error).message}\n${log}`);
  }
  cluster.port = port;
  cluster.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return cluster;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Stops and removes test clusters whose owning process is gone (a test run killed before its
 * teardown). Clusters of live processes — another run on this machine — are left alone.
 */
export async function sweepStaleClusters(): Promise<number> {
  const root = clusterRoot();
  let swept = 0;
  for (const name of fs.readdirSync(root)) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = path.join(root, name);
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(dir, 'owner'), 'utf8'));
    } catch {
      continue; // being made right now, or not ours
    }
    if (!Number.isInteger(owner) || alive(owner)) continue;
    try {
      if (fs.existsSync(path.join(dir, 'data', 'postmaster.pid')))
        await pgTool('pg_ctl', ['-D', path.join(dir, 'data'), '-w', '-t', '30', '-m', 'immediate', 'stop']);
    } catch {
      /* already stopped */
    }
    fs.rmSync(dir, { recursive: true, force: true });
    swept++;
  }
  return swept;
}

/** Stops the cluster kept in `dir` (made by startCluster) and removes the folder. */
export async function destroyClusterAt(dir: string): Promise<void> {
  const data = path.join(dir, 'data');
  try {
    if (fs.existsSync(path.join(data, 'postmaster.pid'))) await pgTool('pg_ctl', ['-D', data, '-w', '-t', '60', '-m', 'fast', 'stop']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
