/**
 * The browser build's transport: a small HTTP server on 127.0.0.1 that serves the built renderer
 * and carries the API (POST /api/<method>) to the same dispatcher the Electron IPC uses.
 *
 * Guards: listens on loopback only; every API call needs the per-run random token (header
 * X-PowerMap-Token); the Host header must name this server (DNS-rebinding guard) and a
 * cross-site Origin is refused. Static files carry the same strict CSP as the Electron window.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dispatch } from '../../services/handlers';
import { CSP, STATIC_HEADERS, mimeType } from '../http/static-policy';
import type { Session } from '../../services/session';

export const TOKEN_HEADER = 'x-powermap-token';
export const MAX_BODY = 64 * 1024 * 1024;
export { CSP };

export interface WebServer {
  server: http.Server;
  port: number;
  token: string;
  /** The URL to open: the token travels in the fragment, never in a request line or log. */
  url: string;
  close(): Promise<void>;
}

export interface WebServerOptions {
  session: Session;
  /** Built renderer (dist/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
}

const sendJson = (res: http.ServerResponse, status: number, body: unknown) => {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(data);
};

const refuse = (res: http.ServerResponse, status: number, message: string) =>
  sendJson(res, status, { ok: false, error: { code: 'BAD_REQUEST', message } });

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

export function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const staticDir = path.resolve(opts.staticDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  // One API call at a time: SQLite is synchronous anyway, and ordering stays the caller's order.
  let queue: Promise<unknown> = Promise.resolve();

  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return refuse(res, 403, 'Forbidden host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, '')))
      return refuse(res, 403, 'Forbidden origin');
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST');
      const given = req.headers[TOKEN_HEADER];
      if (typeof given !== 'string' || !safeEqual(given, token)) return refuse(res, 401, 'Missing or wrong token');
      const method = decodeURIComponent(url.pathname.slice(5));
      const chunks: Buffer[] = [];
      let size = 0;
      let tooBig = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          tooBig = true;
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('error', () => undefined);
      req.on('end', () => {
        if (tooBig) return;
        let payload: unknown;
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          payload = text.length ? JSON.parse(text) : undefined;
        } catch (e) {
          return sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: `Body is not JSON: ${(e as Error).message}` } });
        }
        const run = queue.then(() => dispatch(opts.session, method, payload));
        queue = run.catch(() => undefined);
        run.then(
          (result) => sendJson(res, 200, result),
          (e) => sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: String(e) } }),
        );
      });
      req.on('close', () => {
        if (tooBig && !res.headersSent) refuse(res, 413, 'Request too large');
      });
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    serveStatic(staticDir, url.pathname, res);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolve({
        server,
        port,
        token,
        url: `http://127.0.0.1:${port}/#token=${token}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return refuse(res, 400, 'Bad path');
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const file = path.resolve(root, '.' + rel);
  if (!file.startsWith(root + path.sep)) return refuse(res, 403, 'Forbidden path');
  fs.readFile(file, (err, data) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('Not found');
    }
    res.writeHead(200, { ...STATIC_HEADERS, 'content-type': mimeType(path.extname(file)) });
    res.end(data);
  });
}
