/**
 * Hostile requests (issue 15, items 3 and 12): malformed request lines, request targets and
 * percent-escapes, sent over raw TCP sockets to the browser build's server — as a real process
 * (the bundled `npm run web` entry point) and in-process — must each be answered with a 4xx, and
 * the server must go on answering its own page afterwards. A body over the limit gets 413, which
 * the client can read, not a connection reset.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseTarget } from '../../server/http';
import { startWebServer, type WebServer } from '../../server/web/server';
import { dispatch } from '../../services/handlers';
import { webSession } from '../helpers/session';
import { useTmpDir } from '../helpers/tmp';
import { bundle, run, type Child } from '../helpers/trust-process';

const tmp = useTmpDir();

/**
 * Sends raw bytes and collects the answer: until one whole response has arrived (head and
 * content-length body), the server hangs up, or the time is up.
 */
function raw(port: number, data: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const sock = net.connect({ host: '127.0.0.1', port }, () => sock.write(data));
    const done = (s: string) => {
      clearTimeout(t);
      sock.destroy();
      resolve(s);
    };
    const t = setTimeout(() => done(got + '[timeout]'), timeoutMs);
    sock.on('data', (c) => {
      got += c.toString('latin1');
      const end = got.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = got.slice(0, end);
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
      if (Number.isFinite(length) ? got.length - end - 4 >= length : /\r\ntransfer-encoding: *chunked/i.test(head) && got.endsWith('0\r\n\r\n')) done(got);
    });
    sock.on('close', () => done(got));
    sock.on('error', () => undefined);
  });
}

const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? 0);

/** The malformed corpus: [what, bytes, expected status (or a check)]. `H` is the right Host header line. */
function corpus(port: number, token: string): [string, string | Buffer, number | ((s: number) => boolean)][] {
  const H = `Host: 127.0.0.1:${port}\r\n`;
  const T = `x-powermap-token: ${token}\r\n`;
  const get = (target: string) => `GET ${target} HTTP/1.1\r\n${H}\r\n`;
  const api = (target: string, body = '{}') => `POST ${target} HTTP/1.1\r\n${H}${T}content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
  const is4xx = (s: number) => s >= 400 && s < 500;
  return [
    ['a NUL byte as a percent-escape (an <img> can send it)', get('/%00'), 400],
    ['a NUL byte inside a file name', get('/index.html%00.js'), 400],
    ['an escaped control character', get('/%1b%5b2J'), 400],
    ['a bare % at the end', get('/%'), 400],
    ['a % with one hex digit', get('/%4'), 400],
    ['a % with non-hex digits', get('/%zz/index.html'), 400],
    ['a cut UTF-8 sequence', get('/%E0%A4%A'), 400],
    ['an overlong UTF-8 slash', get('/%C0%AF'), 400],
    ['an escaped lone surrogate', get('/%ED%A0%80'), 400],
    ['an absolute-form target that is not a URL', get('http://['), 400],
    ['an absolute-form target with a bad host', get('http://[/'), 400],
    ['an absolute-form target for this very server', get(`http://127.0.0.1:${port}/`), 400],
    ['an absolute-form target for the API', api(`http://127.0.0.1:${port}/api/app.info`), 400],
    ['the asterisk form', get('*'), 400],
    ['OPTIONS *', `OPTIONS * HTTP/1.1\r\n${H}\r\n`, 400],
    ['CONNECT to an authority', `CONNECT 127.0.0.1:${port} HTTP/1.1\r\n${H}\r\n`, 405],
    ['a WebSocket upgrade', `GET /api/app.info HTTP/1.1\r\n${H}${T}connection: upgrade\r\nupgrade: websocket\r\n\r\n`, (s) => s === 405 || s === 400],
    ['a protocol-relative path', get('//evil.example/index.html'), is4xx],
    ['escaped backslashes up the tree', get('/..%5c..%5c..%5cetc%5cpasswd'), is4xx],
    ['escaped dots up the tree', get('/%2e%2e/%2e%2e/%2e%2e/etc/passwd'), is4xx],
    ['a bad escape in the query', get('/index.html?q=%zz&%'), (s) => s === 404 || s === 200],
    ['a bad escape in an API method name', api('/api/map.get%E0%A4%A'), 400],
    ['a NUL in an API method name', api('/api/map.get%00'), 400],
    ['a bare % in an API method name', api('/api/%'), 400],
    ['an escaped slash in an API method name', api('/api/map%2Fget'), (s) => s === 200 || s === 404],
    ['an API path one level too deep', api('/api/map/get'), 404],
    ['a raw control character in the target', Buffer.from(`GET /\x01 HTTP/1.1\r\n${H}\r\n`, 'latin1'), 400],
    ['raw UTF-8 bytes in the target', Buffer.concat([Buffer.from('GET /'), Buffer.from('张伟', 'utf8'), Buffer.from(` HTTP/1.1\r\n${H}\r\n`)]), 400],
    ['a target of 100,000 characters', get('/' + 'a'.repeat(100_000)), (s) => s === 414 || s === 431],
    ['a target of 9,000 characters', get('/' + 'a'.repeat(9_000)), 414],
    ['an unknown HTTP version', `GET / HTTP/9.9\r\n${H}\r\n`, is4xx],
    ['a request line without a version (HTTP/0.9)', `GET /\r\n${H}\r\n`, (s) => s > 0 && s < 500],
    ['a request line of one word', `GET\r\n\r\n`, is4xx],
    ['a method of 5,000 letters', `${'G'.repeat(5000)} / HTTP/1.1\r\n${H}\r\n`, is4xx],
    ['a header without a colon', `GET / HTTP/1.1\r\n${H}no colon here\r\n\r\n`, is4xx],
    ['a NUL in a header value', Buffer.from(`GET / HTTP/1.1\r\n${H}x-a: b\x00c\r\n\r\n`, 'latin1'), is4xx],
    ['a negative content-length', `POST /api/app.info HTTP/1.1\r\n${H}${T}content-length: -1\r\n\r\n`, is4xx],
    ['a content-length that is not a number', `POST /api/app.info HTTP/1.1\r\n${H}${T}content-length: abc\r\n\r\n`, is4xx],
    ['two different content-lengths', `POST /api/app.info HTTP/1.1\r\n${H}${T}content-length: 2\r\ncontent-length: 3\r\n\r\n{}`, is4xx],
    ['content-length and chunked together (request smuggling)', `POST /api/app.info HTTP/1.1\r\n${H}${T}content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n`, is4xx],
    ['a broken chunk size', `POST /api/app.info HTTP/1.1\r\n${H}${T}transfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, is4xx],
    ['200 headers', `GET / HTTP/1.1\r\n${H}${Array.from({ length: 200 }, (_, i) => `x-h${i}: ${i}\r\n`).join('')}\r\n`, (s) => s === 404 || s === 200],
    ['headers of 40,000 bytes', `GET / HTTP/1.1\r\n${H}x-big: ${'b'.repeat(40_000)}\r\n\r\n`, 431],
    ['random bytes', Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 256)), is4xx],
    ['a TLS ClientHello', Buffer.from('16030100a5010000a10303' + '00'.repeat(160), 'hex'), is4xx],
    ['an empty line only', '\r\n\r\n', (s) => s === 0 || is4xx(s)],
  ];
}

/** A well-formed call from our own page: the server still works. */
async function answersItsPage(port: number, token: string): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${port}/api/app.info`, {
    method: 'POST',
    headers: { 'x-powermap-token': token, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(r.status).toBe(200);
  expect(await r.json()).toMatchObject({ ok: true, value: { host: 'web' } });
}

describe('request targets are parsed without trusting them (server/http)', () => {
  it('accepts plain paths and decodes them', () => {
    const r = parseTarget('/api/map.get?x=%zz');
    expect(r).toMatchObject({ ok: true, target: { rawPath: '/api/map.get', path: '/api/map.get', segments: ['api', 'map.get'] } });
    expect(parseTarget('/a%2Fb/%E5%BC%A0')).toMatchObject({ ok: true, target: { path: '/a/b/张', segments: ['a/b', '张'] } });
  });
  it.each([[undefined], [''], ['*'], ['http://[/'], ['http://127.0.0.1/'], ['/%00'], ['/%'], ['/%E0%A4%A'], ['/%C0%AF'], ['/ a'], ['/\u00e9'], ['/%7f'], ['/%c2%9b']])(
    'refuses %j with 400',
    (t) => {
      expect(parseTarget(t)).toMatchObject({ ok: false, status: 400 });
    },
  );
  it('refuses an over-long target with 414', () => {
    expect(parseTarget('/' + 'a'.repeat(9000))).toMatchObject({ ok: false, status: 414 });
  });
});

describe('the browser build server as a process survives a corpus of malformed requests', () => {
  let child: Child | null = null;
  let port = 0;
  let token = '';
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'powermap-hostile-'));
    const script = await bundle('server/web/main.ts');
    child = run(script, [], { POWERMAP_CONFIG_DIR: path.join(dir, 'config'), POWERMAP_DOCUMENTS: path.join(dir, 'docs'), LANG: 'en-US' });
    const line = await child.waitFor(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const m = /:(\d+)\/#token=(.+)$/.exec(line)!;
    port = Number(m[1]);
    token = m[2]!;
  }, 60_000);
  afterAll(async () => {
    if (child && child.proc.exitCode === null) {
      child.proc.kill('SIGTERM');
      await child.exited;
    }
  });

  it('answers each with a 4xx and keeps answering its own page', async () => {
    const cases = corpus(port, token);
    const seen: string[] = [];
    for (const [what, bytes, expected] of cases) {
      const t0 = Date.now();
      const answer = await raw(port, bytes);
      const status = statusOf(answer);
      seen.push(`${status} ${what} (${Date.now() - t0} ms)`);
      if (typeof expected === 'number') expect(status, `${what}: ${answer.slice(0, 200)}`).toBe(expected);
      else expect(expected(status), `${what}: got ${status}: ${answer.slice(0, 200)}`).toBe(true);
      expect(child!.proc.exitCode, `the server exited after: ${what}\n${child!.stderr().slice(-1000)}`).toBeNull();
      await answersItsPage(port, token);
    }
    expect(child!.stderr()).not.toMatch(/TypeError|URIError|uncaught/i);
    console.log(`[trust] ${cases.length} malformed requests answered 4xx by the server process, which still answers:\n  ${seen.join('\n  ')}`);
  });
});

describe('the browser build server in-process', () => {
  let web: WebServer | null = null;
  afterEach(async () => {
    await web?.close();
    web = null;
  });

  async function started(limits?: { maxBody: number }) {
    const dir = tmp();
    const session = webSession(dir);
    const file = path.join(dir, 'big.powermap');
    expect((await dispatch(session, 'map.create', { path: file })).ok).toBe(true);
    web = await startWebServer({ session, staticDir: path.join(dir, 'static'), limits });
    return { web, dir };
  }

  it('survives the same corpus', async () => {
    const { web } = await started();
    for (const [what, bytes, expected] of corpus(web.port, web.token)) {
      const status = statusOf(await raw(web.port, bytes));
      if (typeof expected === 'number') expect(status, what).toBe(expected);
      else expect(expected(status), `${what}: got ${status}`).toBe(true);
    }
    await answersItsPage(web.port, web.token);
  });

  /** Posts `size` bytes with http.request (which keeps writing whatever the server says). */
  function post(port: number, token: string, size: number, opts: { chunked?: boolean; expectContinue?: boolean } = {}) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: Record<string, string> = { 'x-powermap-token': token, 'content-type': 'application/json' };
      if (!opts.chunked) headers['content-length'] = String(size);
      if (opts.expectContinue) headers.expect = '100-continue';
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/exchange.writeImage', headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const send = () => {
        // A JSON string of `size` bytes, written in 1 MB pieces.
        const piece = Buffer.alloc(1024 * 1024, 0x61);
        let left = size;
        const head = Buffer.from('{"path":"/tmp/x.png","format":"png","data":"');
        req.write(head);
        left -= head.length + 2;
        const pump = () => {
          while (left > 0) {
            const n = Math.min(left, piece.length);
            left -= n;
            if (!req.write(piece.subarray(0, n))) return void req.once('drain', pump);
          }
          req.end('"}');
        };
        pump();
      };
      if (opts.expectContinue) {
        req.on('continue', send);
        req.on('response', () => undefined);
      } else send();
    });
  }

  it('answers a 70 MB body with 413 the client can read, and goes on answering', async () => {
    const { web } = await started();
    const size = 70 * 1024 * 1024;
    const r = await post(web.port, web.token, size);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/too large/i) } });
    const chunked = await post(web.port, web.token, size, { chunked: true });
    expect(chunked.status).toBe(413);
    await answersItsPage(web.port, web.token);
  });

  it('refuses an announced large body before it is sent (Expect: 100-continue)', async () => {
    const { web } = await started();
    const r = await post(web.port, web.token, 70 * 1024 * 1024, { expectContinue: true });
    expect(r.status).toBe(413);
    await answersItsPage(web.port, web.token);
  });

  it('still takes a body just under the limit', async () => {
    const { web } = await started({ maxBody: 2 * 1024 * 1024 });
    // Valid JSON padded with white space to just under the limit.
    const json = JSON.stringify({ account: 'Harbour Power Bureau' });
    const body = json.slice(0, -1) + ' '.repeat(2 * 1024 * 1024 - json.length) + '}';
    expect(body.length).toBe(2 * 1024 * 1024);
    const r = await fetch(`http://127.0.0.1:${web.port}/api/map.updateMeta`, {
      method: 'POST',
      headers: { 'x-powermap-token': web.token, 'content-type': 'application/json' },
      body,
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, value: { meta: { account: 'Harbour Power Bureau' } } });
    const over = await post(web.port, web.token, 2 * 1024 * 1024 + 1);
    expect(over.status).toBe(413);
  });
});
