/**
 * The admin's account operations, as `powermap user …` runs them against the database directly
 * (no server needs to be running). Each change is one transaction with its audit entry
 * (via 'cli').
 */
import type { Pool } from '../../storage/postgres/pool';
import { ApiError } from '../../shared/api/errors';
import {
  defaultOrganization,
  deleteUserSessions,
  findUserByEmail,
  insertUser,
  listUsers,
  normalizeEmail,
  revokeUserAccessTokens,
  setPasswordHash,
  setUserDisabled,
  type UserListRow,
  type UserRow,
} from '../../storage/postgres/accounts';
import { audit } from '../../storage/postgres/audit';
import { toApiError, withTransaction } from '../../storage/postgres/pool';
import { hashPassword } from './passwords';

// A pragmatic check: one @, something on each side, a dot in the domain, no spaces.
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkEmail(email: string): string {
  const e = normalizeEmail(email);
  if (!EMAIL_RE.test(e) || e.length > 320) throw new ApiError('BAD_REQUEST', `“${email.slice(0, 80)}” is not an email address`);
  return e;
}

export function checkName(name: string): string {
  const n = name.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!n || [...n].length > 200) throw new ApiError('BAD_REQUEST', 'the name must have 1 to 200 characters');
  return n;
}

const noSuchUser = (email: string) => new ApiError('NOT_FOUND', `there is no user ${normalizeEmail(email)}`, { email: normalizeEmail(email) });

async function run<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}

export function addUser(pool: Pool, u: { email: string; name: string; password: string }): Promise<UserRow> {
  return run(async () => {
    const email = checkEmail(u.email);
    const name = checkName(u.name);
    const passwordHash = await hashPassword(u.password);
    const org = await defaultOrganization(pool);
    return withTransaction(pool, async (c) => {
      const user = await insertUser(c, { orgId: org.orgId, email, name, passwordHash });
      await audit(c, { orgId: org.orgId, userId: null, via: 'cli', kind: 'user.add', payload: { userId: user.userId, email } });
      return user;
    });
  });
}

export function listAllUsers(pool: Pool): Promise<UserListRow[]> {
  return run(async () => listUsers(pool, (await defaultOrganization(pool)).orgId));
}

/** Disables (ending every session; tokens stop working while disabled) or enables again. */
export function setDisabled(pool: Pool, email: string, disabled: boolean): Promise<UserRow> {
  return run(async () => {
    const org = await defaultOrganization(pool);
    return withTransaction(pool, async (c) => {
      const user = await setUserDisabled(c, org.orgId, email, disabled);
      if (!user) throw noSuchUser(email);
      await audit(c, { orgId: org.orgId, userId: null, via: 'cli', kind: disabled ? 'user.disable' : 'user.enable', payload: { userId: user.userId, email: user.email } });
      return user;
    });
  });
}

/**
 * Sets a new password, ends every session and revokes every access token of the user: after a
 * reset, only someone who knows the new password gets in.
 */
export function resetPassword(pool: Pool, email: string, password: string): Promise<{ user: UserRow; sessions: number; tokens: number }> {
  return run(async () => {
    const org = await defaultOrganization(pool);
    if (!(await findUserByEmail(pool, org.orgId, email))) throw noSuchUser(email);
    const passwordHash = await hashPassword(password);
    return withTransaction(pool, async (c) => {
      const user = await setPasswordHash(c, org.orgId, email, passwordHash);
      if (!user) throw noSuchUser(email);
      const sessions = await deleteUserSessions(c, org.orgId, user.userId);
      const tokens = await revokeUserAccessTokens(c, org.orgId, user.userId);
      await audit(c, { orgId: org.orgId, userId: null, via: 'cli', kind: 'user.reset_password', payload: { userId: user.userId, email: user.email, sessions, tokens } });
      return { user, sessions, tokens };
    });
  });
}
