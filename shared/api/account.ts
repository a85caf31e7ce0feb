/**
 * The team server's account methods: who is signed in, signing out, personal access tokens.
 * They exist on the team server only (the desktop app and the browser build have no accounts),
 * so they are a contract of their own, carried like every other method: POST /api/<method>
 * with a JSON body, answered with an ApiResult. Signing in is not a method: it is
 * POST /auth/signin (there is no session yet to carry a CSRF token), see signInInput.
 *
 * From a browser page, every /api call sends the session's CSRF token in the
 * X-PowerMap-CSRF header (GET /auth/session returns it); a command line sends
 * `Authorization: Bearer pmat_…` instead and needs no CSRF token.
 */
import { z } from 'zod';
import { edit, query } from './contract';

/** The header that carries the per-session CSRF token on /api calls from the page. */
export const CSRF_HEADER = 'x-powermap-csrf';

export interface AccountUser {
  id: string;
  email: string;
  name: string;
}

/** GET /auth/session: the signed-in user and the CSRF token for this session. */
export interface SessionInfo {
  user: AccountUser;
  csrf: string;
  /** When the session ends at the latest (ISO 8601). */
  expiresAt: string;
}

/** A personal access token as listed: never its secret (shown once, at creation). */
export interface AccessTokenInfo {
  id: string;
  name: string;
  /** The token's last characters, to tell tokens apart. */
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** POST /auth/signin */
export const signInInput = z
  .object({
    email: z.string().trim().min(3).max(320),
    password: z.string().min(1).max(1024),
  })
  .strict();
export type SignInInput = z.infer<typeof signInInput>;

const Empty = z.object({}).strict();

export const accountMethods = {
  /** Who is calling (a session or a token). */
  'account.me': query(Empty).returns<{ user: AccountUser; via: 'session' | 'token' }>(),
  /** Ends this browser's session (clears its cookie). */
  'account.signOut': edit(Empty).returns<null>(),
  /** Ends every session of the user, this one included; tokens stay (revoke them one by one). */
  'account.signOutEverywhere': edit(Empty).returns<{ sessions: number }>(),
  /** Creates a token; its secret is in the answer and nowhere else, ever. Sessions only. */
  'tokens.create': edit(
    z
      .object({
        name: z.string().trim().min(1).max(100),
        /** Days until it stops working; omitted or null: until revoked. */
        expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
      })
      .strict(),
  ).returns<{ token: string; info: AccessTokenInfo }>(),
  /** The user's tokens, newest first, revoked ones included. */
  'tokens.list': query(Empty).returns<AccessTokenInfo[]>(),
  /** Revokes one of the user's tokens at once, on every server instance. */
  'tokens.revoke': edit(z.object({ id: z.uuid() }).strict()).returns<AccessTokenInfo>(),
};

export type AccountMethod = keyof typeof accountMethods;
export const isAccountMethod = (m: unknown): m is AccountMethod => typeof m === 'string' && Object.hasOwn(accountMethods, m);
