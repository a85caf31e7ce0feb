import Database from 'better-sqlite3';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebServer, type WebServer } from '../../server/web/server';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
let web: WebServer | null = null;
afterEach(async () => {
  await web?.close();
  web = null;
});

/** A raw request, so tests can send any Host/Origin header (fetch would not let us). */
function request(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path, headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function start(dir: string) {
  const session = webSession(dir);
  web = await startWebServer({ session, staticDir: path.join(dir, 'static') });
  return { session, web };
}

describe('the browser build server', () => {
  it('listens on 127.0.0.1 only and carries API calls with the token to real map files', async () => {
    const dir = tmp();
    const { web, session } = await start(dir);
    expect((web.server.address() as { address: string }).address).toBe('127.0.0.1');
    const call = (method: string, payload: unknown) =>
      request(web.port, {
        path: `/api/${method}`,
        headers: { host: `127.0.0.1:${web.port}`, 'x-powermap-token': web.token, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      }).then((r) => JSON.parse(r.body));
    const file = path.join(dir, 'Northbank.powermap');
    const created = await call('map.create', { path: file, meta: { account: 'Northbank' } });
    expect(created.ok).toBe(true);
    const added = await call('person.create', { name: '王建国', title: 'Director, IT centre' });
    expect(added.ok).toBe(true);
    // On disk when the call has returned: read it with a second connection after releasing the lock.
    await session.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT name, title FROM person').all()).toEqual([{ name: '王建国', title: 'Director, IT centre' }]);
    db.close();
  });

  it('answers a bad payload with a typed error, not a crash', async () => {
    const { web } = await start(tmp());
    const r = await request(web.port, {
      path: '/api/person.create',
      headers: { host: `127.0.0.1:${web.port}`, 'x-powermap-token': web.token },
      body: JSON.stringify({ name: 42 }),
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const notJson = await request(web.port, {
      path: '/api/map.get',
      headers: { host: `127.0.0.1:${web.port}`, 'x-powermap-token': web.token },
      body: '{"unclosed',
    });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it.each([
    ['no token', {}, 401],
    ['a wrong token', { 'x-powermap-token': 'guess' }, 401],
    ['a foreign Host (DNS rebinding)', { host: 'evil.example:80', 'x-powermap-token': 'TOKEN' }, 403],
    ['a foreign Origin', { origin: 'http://evil.example', 'x-powermap-token': 'TOKEN' }, 403],
  ])('refuses a request with %s', async (_what, headers: Record<string, string>, status) => {
    const { web } = await start(tmp());
    const h: Record<string, string> = { host: `127.0.0.1:${web.port}`, ...headers };
    if (h['x-powermap-token'] === 'TOKEN') h['x-powermap-token'] = web.token;
    const r = await request(web.port, { path: '/api/app.info', headers: h, body: '{}' });
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body).ok).toBe(false);
  });

  it('accepts its own origin and localhost', async () => {
    const { web } = await start(tmp());
    const r = await request(web.port, {
      path: '/api/app.info',
      headers: { host: `localhost:${web.port}`, origin: `http://localhost:${web.port}`, 'x-powermap-token': web.token },
      body: '{}',
    });
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { host: 'web' } });
  });

  it('never serves files outside the renderer folder', async () => {
    const { web } = await start(tmp());
    const r = await request(web.port, { method: 'GET', path: '/../../etc/passwd', headers: { host: `127.0.0.1:${web.port}` } });
    expect(r.status).not.toBe(200);
    expect(r.body).not.toContain('root:');
    const enc = await request(web.port, { method: 'GET', path: '/%2e%2e/%2e%2e/etc/passwd', headers: { host: `127.0.0.1:${web.port}` } });
    expect(enc.status).not.toBe(200);
    expect(enc.body).not.toContain('root:');
    const slash = await request(web.port, { method: 'GET', path: '/..%2f..%2fetc%2fpasswd', headers: { host: `127.0.0.1:${web.port}` } });
    expect(slash.status).toBe(403);
  });
});
