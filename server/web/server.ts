/**
 * The browser build's transport: a small HTTP server on 127.0.0.1 that serves the built renderer
 * and carries the API (POST /api/<method>) to the same dispatcher the Electron IPC uses.
 *
 * Guards: listens on loopback only; every API call needs the per-run random token (header
 * X-PowerMap-Token); the Host header must name this server (DNS-rebinding guard) and a
 * cross-site Origin is refused. Static files carry the same strict CSP as the Electron window.
 * Every request is parsed defensively by ../http (request target, body limit, parser errors,
 * throws in the handler): a malformed request gets a 4xx, never ends the process.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dispatch } from '../../services/handlers';
import { DEFAULT_LIMITS, guard, hardenServer, parseTarget, readBody, refuse, sendJson, serverOptions, type HttpLimits } from '../http';
import { CSP, STATIC_HEADERS, mimeType } from '../http/static-policy';
import type { Session } from '../../services/session';

const TOKEN_HEADER = 'x-powermap-token';
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
  /** Request limits (tests lower them); DEFAULT_LIMITS otherwise. */
  limits?: Partial<HttpLimits>;
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

export function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const staticDir = path.resolve(opts.staticDir);
  const limits: HttpLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  // One API call at a time: SQLite is synchronous anyway, and ordering stays the caller's order.
  let queue: Promise<unknown> = Promise.resolve();

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const host = req.headers.host ?? '';
    if (!allowedHosts().has(host)) return refuse(res, 403, 'Forbidden host');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, '')))
      return refuse(res, 403, 'Forbidden origin');
    const parsed = parseTarget(req.url, limits.maxTarget);
    if (!parsed.ok) return refuse(res, parsed.status, `Bad request: ${parsed.reason}`, { close: true });
    const { segments, path: pathname } = parsed.target;

    if (segments[0] === 'api') {
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST');
      const given = req.headers[TOKEN_HEADER];
      if (typeof given !== 'string' || !safeEqual(given, token)) return refuse(res, 401, 'Missing or wrong token');
      if (segments.length !== 2) return refuse(res, 404, 'No such API path');
      const method = segments[1]!;
      const body = await readBody(req, { limit: limits.maxBody });
      if (!body.ok)
        return refuse(res, body.status, body.status === 413 ? `Request too large: ${body.reason}` : body.reason, { close: body.close });
      let payload: unknown;
      try {
        const text = body.body.toString('utf8');
        payload = text.length ? JSON.parse(text) : undefined;
      } catch (e) {
        return refuse(res, 400, `Body is not JSON: ${(e as Error).message}`);
      }
      const run = queue.then(() => dispatch(opts.session, method, payload));
      queue = run.catch(() => undefined);
      try {
        sendJson(res, 200, await run);
      } catch (e) {
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: String(e) } });
      }
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    serveStatic(staticDir, pathname, res);
  };
  const server = hardenServer(http.createServer(serverOptions(limits), guard(handle)), limits);

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

/** `pathname` is decoded and checked by parseTarget (no bad escapes, no control characters). */
function serveStatic(root: string, pathname: string, res: http.ServerResponse): void {
  let rel = pathname;
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
