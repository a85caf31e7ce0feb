/**
 * Defences every PowerMap HTTP server shares, whatever routes it (a plain Node handler in the
 * browser build's loopback server; fastify in a team server, through `serverFactory`):
 *
 * - limits on headers, request target and body, and time limits that close slow connections;
 * - requests Node's parser refuses (malformed request lines, bad headers, header overflow) are
 *   answered 400/431/408 with one JSON line and the connection closed;
 * - a request that announces a body over the limit (`Expect: 100-continue`) is answered 413
 *   before the client sends it;
 * - `guard(handler)`: a handler that throws answers 500 instead of taking the process down (a
 *   throw in a request listener is an uncaught exception, which ends a Node process).
 *
 * Request targets are parsed by ./target.ts, bodies read by ./body.ts.
 */
import type http from 'node:http';
import type net from 'node:net';
import { declaredLength } from './body';
import { MAX_TARGET } from './target';

export interface HttpLimits {
  /** Largest request body, bytes. */
  maxBody: number;
  /** Longest request target (path and query), characters. */
  maxTarget: number;
  /** Largest request head (request line and headers), bytes. */
  maxHeaderSize: number;
  maxHeadersCount: number;
  /** Time to receive the request head, and the whole request. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  maxBody: 64 * 1024 * 1024,
  maxTarget: MAX_TARGET,
  maxHeaderSize: 16 * 1024,
  maxHeadersCount: 100,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
};

/** Options for `http.createServer(options, handler)`: strict parsing and the header limit. */
export function serverOptions(limits: HttpLimits = DEFAULT_LIMITS): http.ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderSize,
    insecureHTTPParser: false,
    requireHostHeader: true,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  };
}

/** One JSON answer in the API's shape: `{ ok: false, error: { code, message } }`. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.end();
    return;
  }
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': String(Buffer.byteLength(data)),
    ...headers,
  });
  res.end(data);
}

/** Refuses a request. `close`: the connection is not reused (the rest of the request is not trusted). */
export function refuse(res: http.ServerResponse, status: number, message: string, opts: { close?: boolean; code?: string } = {}): void {
  sendJson(res, status, { ok: false, error: { code: opts.code ?? 'BAD_REQUEST', message } }, opts.close ? { connection: 'close' } : {});
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 413: 'Content Too Large', 431: 'Request Header Fields Too Large' };

/** Writes a whole response on a raw socket (for requests Node's parser refused) and closes it. */
function rawAnswer(socket: net.Socket, status: number, message: string): void {
  if (!socket.writable || (socket as net.Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ ok: false, error: { code: 'BAD_REQUEST', message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Bad Request'}\r\n` +
      'content-type: application/json; charset=utf-8\r\ncache-control: no-store\r\nx-content-type-options: nosniff\r\n' +
      `connection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroySoon?.();
}

/** What Node's parser refused, as a status and a message that names no internals. */
function clientErrorStatus(err: NodeJS.ErrnoException): [number, string] {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'request headers too large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'the request took too long'];
    case 'HPE_INVALID_URL':
      return [400, 'malformed request target'];
    case 'HPE_INVALID_METHOD':
      return [400, 'unknown request method'];
    default:
      return [400, 'malformed request'];
  }
}

/**
 * Applies the limits and the refusals above to a server (call before `listen`). Returns the
 * server, so `serverFactory: (h) => hardenServer(http.createServer(serverOptions(), h))` works.
 */
export function hardenServer<S extends http.Server>(server: S, limits: HttpLimits = DEFAULT_LIMITS): S {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxHeadersCount = limits.maxHeadersCount;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: net.Socket) => {
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE') {
      socket.destroy();
      return;
    }
    const [status, message] = clientErrorStatus(err);
    rawAnswer(socket, status, message);
  });
  // Without a listener Node closes a CONNECT's socket without a word: answer it like any refusal.
  server.on('connect', (_req: http.IncomingMessage, socket: net.Socket) => rawAnswer(socket, 405, 'CONNECT is not supported'));
  // With a listener here Node no longer sends "100 Continue" by itself: only bodies we will read get it.
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const n = declaredLength(req);
    if (n !== null && n > limits.maxBody) return refuse(res, 413, `the request body is larger than ${limits.maxBody} bytes`, { close: true });
    res.writeContinue();
    server.emit('request', req, res);
  });
  return server;
}

/**
 * Wraps a request handler so that nothing it throws (synchronously or as a rejected promise)
 * leaves the request unanswered or ends the process: the client gets a 500 and the error is logged.
 */
export function guard(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>,
  log: (e: unknown) => void = (e) => console.error('[powermap] request failed:', e),
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  const fail = (res: http.ServerResponse, e: unknown) => {
    log(e);
    try {
      refuse(res, 500, 'internal error', { close: true, code: 'INTERNAL' });
    } catch {
      res.destroy();
    }
  };
  return (req, res) => {
    try {
      const r = handler(req, res);
      if (r && typeof (r as Promise<void>).catch === 'function') (r as Promise<void>).catch((e) => fail(res, e));
    } catch (e) {
      fail(res, e);
    }
  };
}
