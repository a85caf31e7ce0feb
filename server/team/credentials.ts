/**
 * The secrets the team server hands out, and what it keeps of them.
 *
 *   session cookie   <org>.<secret>          org: the organization's uuid as 32 hex digits
 *   access token     pmat_<org>_<secret>     secret: 32 random bytes, base64url (43 characters)
 *
 * Only SHA-256 of the secret (with a purpose prefix) is stored, so the database never holds a
 * usable credential; a 256-bit random secret needs no slow hash. The organization rides along
 * so every lookup is keyed by organization (ready to be sharded by it). The CSRF token of a
 * session is derived from its secret (another prefix), so it needs no storage and no server
 * state: every instance computes the same one, and the stored hash does not reveal it.
 */
import crypto from 'node:crypto';

const SECRET = '[A-Za-z0-9_-]{43}';
const ORG = '[0-9a-f]{32}';
const SESSION_RE = new RegExp(`^(${ORG})\\.(${SECRET})$`);
const TOKEN_RE = new RegExp(`^pmat_(${ORG})_(${SECRET})$`);

export const newSecret = (): string => crypto.randomBytes(32).toString('base64url');

const orgHex = (orgId: string) => orgId.replace(/-/g, '').toLowerCase();
const orgUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

const digest = (purpose: string, secret: string) => crypto.createHash('sha256').update(`powermap:${purpose}:${secret}`).digest();

export interface ParsedCredential {
  orgId: string;
  secret: string;
}

export const formatSessionCookie = (orgId: string, secret: string): string => `${orgHex(orgId)}.${secret}`;
export const formatAccessToken = (orgId: string, secret: string): string => `pmat_${orgHex(orgId)}_${secret}`;

export function parseSessionCookie(value: string | undefined): ParsedCredential | null {
  const m = value ? SESSION_RE.exec(value) : null;
  return m ? { orgId: orgUuid(m[1]!), secret: m[2]! } : null;
}

export function parseAccessToken(value: string | undefined): ParsedCredential | null {
  const m = value ? TOKEN_RE.exec(value) : null;
  return m ? { orgId: orgUuid(m[1]!), secret: m[2]! } : null;
}

/** What the sessions table keeps of a session secret. */
export const sessionHash = (secret: string): Buffer => digest('session', secret);
/** What the access_tokens table keeps of a token secret. */
export const tokenHash = (secret: string): Buffer => digest('token', secret);
/** The session's CSRF token: the page sends it back in X-PowerMap-CSRF. */
export const csrfToken = (secret: string): string => digest('csrf', secret).toString('base64url');

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
