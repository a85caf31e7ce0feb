/**
 * The browser build's server (issue 7, item 5): it listens on 127.0.0.1 only, and refuses calls
 * without its per-run token or with a foreign Origin or Host (the DNS-rebinding guard). Each
 * refusal is proven here, beside tests/unit/web-server.test.ts, and none of them runs anything:
 * the map file is unchanged afterwards.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../services/handlers';
import { person } from '../../services/map/read';
import { startWebServer, type WebServer } from '../../server/web/server';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';

const tmp = useTmpDir();
let web: WebServer | null = null;
afterEach(async () => {
  await web?.close();
  web = null;
});

function request(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string; host?: string },
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: opts.host ?? '127.0.0.1', port, method: opts.method ?? 'POST', path: opts.path, headers: opts.headers, setHost: false },
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

async function started() {
  const dir = tmp();
  const session = webSession(dir);
  const file = path.join(dir, 'guarded.powermap');
  const created = await dispatch(session, 'map.create', { path: file, meta: { account: 'Harbour Power Bureau' } });
  expect(created.ok).toBe(true);
  await dispatch(session, 'person.create', { id: 'p1', name: 'Lin Qiao' });
  web = await startWebServer({ session, staticDir: path.join(dir, 'static') });
  return { session, web, file };
}

describe('the loopback server refuses strangers', () => {
  it('listens on 127.0.0.1 only: other addresses of this machine do not answer', async () => {
    const { web } = await started();
    expect((web.server.address() as net.AddressInfo).address).toBe('127.0.0.1');
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
      .map((a) => a.address);
    for (const address of [...others, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: address, port: web.port, timeout: 2000 });
        s.on('connect', () => (s.destroy(), resolve('connected')));
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.on('timeout', () => (s.destroy(), resolve('timeout')));
      });
      expect(outcome, `${address}:${web.port}`).not.toBe('connected');
    }
  });

  it('has a new, unguessable token on every run', async () => {
    const a = await started();
    const b = await startWebServer({ session: a.session, staticDir: tmp() });
    try {
      expect(a.web.token).not.toBe(b.token);
      expect(Buffer.from(a.web.token, 'base64url').length).toBeGreaterThanOrEqual(16);
      expect(a.web.url).toContain(`#token=${a.web.token}`); // in the fragment: never sent in a request line
    } finally {
      await b.close();
    }
  });

  it('refuses every request without the right token, with a foreign Host or Origin, and runs none of them', async () => {
    const { web, session, file } = await started();
    const good = { host: `127.0.0.1:${web.port}`, 'x-powermap-token': web.token, 'content-type': 'application/json' };
    const body = JSON.stringify({ id: 'p1', patch: { title: 'changed by a stranger' } });
    const cases: [string, { method?: string; path?: string; headers: Record<string, string> }, number][] = [
      ['no token', { headers: { host: good.host } }, 401],
      ['an empty token', { headers: { ...good, 'x-powermap-token': '' } }, 401],
      ['a wrong token of the right length', { headers: { ...good, 'x-powermap-token': crypto.randomBytes(24).toString('base64url') } }, 401],
      ['the token with one character changed', { headers: { ...good, 'x-powermap-token': web.token.slice(0, -1) + (web.token.endsWith('A') ? 'B' : 'A') } }, 401],
      ['the token in the query string instead of the header', { path: `/api/person.update?token=${web.token}`, headers: { host: good.host } }, 401],
      ['the token as a cookie', { headers: { host: good.host, cookie: `token=${web.token}` } }, 401],
      ['a foreign Host (DNS rebinding)', { headers: { ...good, host: `evil.example:${web.port}` } }, 403],
      ['a Host naming our port on another name', { headers: { ...good, host: `localhost.evil.example:${web.port}` } }, 403],
      ['a Host without the port', { headers: { ...good, host: '127.0.0.1' } }, 403],
      ['a Host with another port', { headers: { ...good, host: `127.0.0.1:${web.port + 1}` } }, 403],
      ['a foreign Origin', { headers: { ...good, origin: 'http://evil.example' } }, 403],
      ['Origin null (a sandboxed or file:// page)', { headers: { ...good, origin: 'null' } }, 403],
      ['an Origin on another port of loopback', { headers: { ...good, origin: `http://127.0.0.1:${web.port + 1}` } }, 403],
      ['an https Origin', { headers: { ...good, origin: `https://127.0.0.1:${web.port}` } }, 403],
      ['an Origin that only starts like ours', { headers: { ...good, origin: `http://127.0.0.1:${web.port}.evil.example` } }, 403],
      ['a GET of an API method', { method: 'GET', headers: good }, 405],
      ['a CORS preflight', { method: 'OPTIONS', headers: { ...good, origin: 'http://evil.example', 'access-control-request-method': 'POST' } }, 403],
    ];
    for (const [what, o, status] of cases) {
      const r = await request(web.port, { method: o.method ?? 'POST', path: o.path ?? '/api/person.update', headers: o.headers, body: o.method && o.method !== 'POST' ? undefined : body }).catch((e: Error) => {
        throw new Error(`${what}: ${e.message}`);
      });
      expect(r.status, what).toBe(status);
      expect(JSON.parse(r.body), what).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(r.headers['access-control-allow-origin'], what).toBeUndefined();
    }
    // Without a Host header Node itself answers 400 and hangs up, before our handler runs.
    const noHost = await new Promise<string>((resolve) => {
      const sock = net.connect({ host: '127.0.0.1', port: web.port }, () =>
        sock.write(`POST /api/person.update HTTP/1.1\r\nx-powermap-token: ${web.token}\r\ncontent-length: ${body.length}\r\n\r\n${body}`),
      );
      let got = '';
      sock.on('data', (c) => (got += c.toString()));
      sock.on('close', () => resolve(got));
      sock.on('error', () => resolve(got));
    });
    expect(noHost).toMatch(/^HTTP\/1\.1 400/);
    // Nothing ran: the person is as it was, and the file has no trace of the attempts.
    expect((await person(session.store!, 'p1'))!.title).toBe('');
    await session.close();
    expect(fs.readFileSync(file).includes(Buffer.from('changed by a stranger'))).toBe(false);
  });

  it('still carries calls from its own page', async () => {
    const { web } = await started();
    for (const host of [`127.0.0.1:${web.port}`, `localhost:${web.port}`]) {
      const r = await request(web.port, {
        path: '/api/person.update',
        headers: { host, origin: `http://${host}`, 'x-powermap-token': web.token, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'p1', patch: { title: 'Director' } }),
      });
      expect(JSON.parse(r.body)).toMatchObject({ ok: true });
    }
  });
});
