/**
 * Passwords: argon2id through @node-rs/argon2 (a Rust implementation, prebuilt per platform, run
 * off the main thread). Parameters are OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane
 * (about 25 ms per hash here). A password is never stored, logged or echoed: only the PHC string
 * ($argon2id$v=19$m=…) goes into the database, and the database refuses anything else.
 */
import { hash, verify, type Options } from '@node-rs/argon2';
import { ApiError } from '../../shared/api/errors';

// Algorithm is a const enum in the typings (not usable under isolatedModules): 2 = Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;
export const ARGON2: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;

/** Refuses passwords that are too short or too long (BAD_REQUEST, in words a person can act on). */
export function checkPasswordRules(password: string): void {
  const n = [...password].length;
  if (n < PASSWORD_MIN) throw new ApiError('BAD_REQUEST', `the password must have at least ${PASSWORD_MIN} characters`, { min: PASSWORD_MIN });
  if (password.length > PASSWORD_MAX) throw new ApiError('BAD_REQUEST', `the password must have at most ${PASSWORD_MAX} characters`);
  if (password.trim() === '') throw new ApiError('BAD_REQUEST', 'the password must not be only spaces');
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordRules(password);
  return hash(password.normalize('NFC'), ARGON2);
}

/** True when `password` matches the stored hash; false (never a throw) for a malformed hash. */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password.normalize('NFC'));
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/**
 * Spends the same time as checking a real password, for an email nobody has: the answer to an
 * unknown user and to a wrong password then takes as long.
 */
export async function verifyNobody(password: string): Promise<false> {
  dummy ??= hash('not a password anyone has: ' + Math.random(), ARGON2);
  await verifyPassword(await dummy, password);
  return false;
}
