/**
 * The team server's PostgreSQL storage (the desktop's map file is storage/sqlite/):
 *   pool.ts        createPool (error listeners on the pool and every client), withTransaction,
 *                  isUnavailable / toApiError (a lost database → ApiError UNAVAILABLE), URL checks
 *   migrate.ts     migrate (one transaction under an advisory lock), readSchemaVersion
 *   migrations/    one file per migration, NNNN-name.ts
 *   accounts.ts    organizations, users, sessions, access tokens, sign-in attempt counters
 *   audit.ts       the audit log
 */
export * from './pool';
export * from './migrate';
export * from './accounts';
export * from './audit';
