/**
 * The request target (the path and query of the request line), parsed without trusting it.
 * Any page the user visits can make the browser send a request to a loopback server (an <img>
 * needs no token), and a raw socket can send anything, so nothing here throws: a target that is
 * not a plain origin-form path with valid percent-escapes is answered 400, one that is too long
 * 414, before any handler sees it.
 */

/** Longest request target accepted (Node's parser itself allows up to the header limit). */
export const MAX_TARGET = 8 * 1024;

export interface Target {
  /** The path as sent, still percent-encoded (always starts with '/'). */
  rawPath: string;
  /** The whole path percent-decoded: valid UTF-8, no control characters. */
  path: string;
  /** The path's segments, each decoded on its own (an encoded '/' stays inside its segment). */
  segments: string[];
  query: URLSearchParams;
}

export type TargetResult = { ok: true; target: Target } | { ok: false; status: 400 | 414; reason: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** What RFC 9112 allows in an origin-form target, after Node's parser: visible ASCII only. */
const VISIBLE_ASCII = /^[\x21-\x7e]*$/;

const bad = (reason: string): TargetResult => ({ ok: false, status: 400, reason });

/** Percent-decodes one piece; null for a bad escape, invalid UTF-8 or a control character. */
function decode(s: string): string | null {
  let d: string;
  try {
    d = decodeURIComponent(s);
  } catch {
    return null;
  }
  return CONTROL.test(d) ? null : d;
}

/**
 * Parses `req.url`. Only the origin form ("/path?query") is accepted: the absolute form
 * ("http://host/path") is what proxies receive, and accepting it would mean checking its
 * authority instead of the Host header; "*" and "host:port" belong to OPTIONS and CONNECT.
 */
export function parseTarget(raw: string | undefined, maxLength = MAX_TARGET): TargetResult {
  if (typeof raw !== 'string' || raw === '') return bad('empty request target');
  if (raw.length > maxLength) return { ok: false, status: 414, reason: `request target longer than ${maxLength} characters` };
  if (!VISIBLE_ASCII.test(raw)) return bad('request target with spaces, control or non-ASCII characters');
  if (raw[0] !== '/') return bad('only an origin-form request target ("/path") is accepted');
  const hash = raw.indexOf('#');
  const noFragment = hash >= 0 ? raw.slice(0, hash) : raw;
  const q = noFragment.indexOf('?');
  const rawPath = q >= 0 ? noFragment.slice(0, q) : noFragment;
  const path = decode(rawPath);
  if (path === null) return bad('bad percent-escape, invalid UTF-8 or a control character in the path');
  const segments: string[] = [];
  for (const s of rawPath.split('/').slice(1)) {
    const d = decode(s);
    if (d === null) return bad('bad percent-escape in the path');
    segments.push(d);
  }
  // URLSearchParams never throws: bad escapes in the query are kept as they are.
  const query = new URLSearchParams(q >= 0 ? noFragment.slice(q + 1) : '');
  return { ok: true, target: { rawPath, path, segments, query } };
}
