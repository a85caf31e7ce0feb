/**
 * Reading a request body with a size limit, so that a body over the limit is answered 413 (and
 * the client reads that answer) instead of the connection being reset.
 *
 * Why not just destroy the socket at the limit: the client is still writing, the kernel answers
 * its next bytes with a reset, and a reset makes the client drop whatever it had not read yet —
 * our answer included. So past the limit the rest of the body is read and thrown away (nothing
 * more is kept in memory), and the caller answers once it has arrived; only a body that goes on
 * far past the limit (`drainBytes`) or for too long (`drainMs`) is cut off.
 */
import type http from 'node:http';

export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  limit: number;
  /** Past the limit, how many more bytes are read and discarded before hanging up (default 4 × limit). */
  drainBytes?: number;
  /** Past the limit, how long the rest may take to arrive before hanging up (default 30 s). */
  drainMs?: number;
}

export type BodyResult =
  | { ok: true; body: Buffer }
  /** 413: too large; 400: the client went away or the stream failed. `close`: answer with Connection: close. */
  | { ok: false; status: 400 | 413; reason: string; close: boolean };

/** The Content-Length a request declares, or null (chunked, absent). Node's parser has checked its syntax. */
export function declaredLength(req: http.IncomingMessage): number | null {
  const v = req.headers['content-length'];
  if (v === undefined) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export function readBody(req: http.IncomingMessage, limits: BodyLimits): Promise<BodyResult> {
  const { limit } = limits;
  const drainBytes = limits.drainBytes ?? limit * 4;
  const drainMs = limits.drainMs ?? 30_000;
  return new Promise<BodyResult>((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const tooLarge = (): BodyResult => ({ ok: false, status: 413, reason: `the request body is larger than ${limit} bytes`, close: true });
    const finish = (r: BodyResult) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      req.off('data', onData);
      resolve(r);
    };
    const startDraining = () => {
      over = true;
      chunks.length = 0;
      timer = setTimeout(() => finish(tooLarge()), drainMs);
      timer.unref?.();
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (over) {
        if (size > limit + drainBytes) {
          // Far past the limit: stop reading; the caller answers and hangs up.
          req.pause();
          finish(tooLarge());
        }
        return;
      }
      if (size > limit) {
        startDraining();
        return;
      }
      chunks.push(c);
    };
    const declared = declaredLength(req);
    if (declared !== null && declared > limit) {
      if (declared > limit + drainBytes) {
        finish(tooLarge());
        return;
      }
      startDraining();
    }
    req.on('data', onData);
    req.on('end', () => finish(over ? tooLarge() : { ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', () => finish({ ok: false, status: 400, reason: 'the request was aborted', close: true }));
    req.on('close', () => {
      if (!req.complete) finish({ ok: false, status: 400, reason: 'the request was aborted', close: true });
    });
  });
}
