/**
 * Typed errors that cross the API boundary. A code, parameters for the message, and an English
 * fallback message; the renderer translates the code into the UI language (shared/i18n).
 */
export const ERROR_CODES = [
  'BAD_REQUEST', // the payload failed validation, or the method does not exist
  'NO_MAP_OPEN', // a map call with no map open
  'NOT_FOUND', // an entity id that does not exist
  'FILE_NOT_FOUND', // the path does not exist (or vanished)
  'FILE_EXISTS', // create/export refused to overwrite
  'NOT_A_POWERMAP', // empty, random bytes, or a foreign SQLite database
  'CORRUPT', // a PowerMap file that fails its integrity check
  'UNTRUSTED', // a map file carrying database objects (triggers, views, tables) PowerMap did not make, or a journal that is a link
  'NEWER_VERSION', // written by a newer PowerMap
  'READ_ONLY', // the file or its folder cannot be written
  'LOCKED', // another PowerMap window or program has the file open
  'INVALID_EDIT', // the edit breaks a rule of the map (e.g. two reports-to lines, self-loop)
  'IMPORT_FAILED', // an import file has problems (details list them)
  'UNSUPPORTED', // not available on this host (e.g. native dialogs in the browser build)
  'IO', // another file-system error
  'UNAVAILABLE', // the team server cannot reach its database (nothing was changed; retry)
  'UNAUTHENTICATED', // the team server: no session or token, or one that ended
  'BAD_CREDENTIALS', // sign-in: the same for an unknown email, a wrong password, a disabled user
  'FORBIDDEN', // the team server refused the call (CSRF or Origin check, not allowed)
  'RATE_LIMITED', // too many attempts (params.minutes: when to try again)
  'INTERNAL', // a bug: logged on the main side
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  params?: Record<string, string | number>;
  /** One line per problem (validation issues, import rows). */
  details?: string[];
}

export class ApiError extends Error implements ApiErrorShape {
  readonly code: ErrorCode;
  readonly params?: Record<string, string | number>;
  readonly details?: string[];
  constructor(code: ErrorCode, message: string, params?: Record<string, string | number>, details?: string[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.params = params;
    this.details = details;
  }
  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message, params: this.params, details: this.details };
  }
  static from(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.params, shape.details);
  }
}

export const isApiErrorShape = (v: unknown): v is ApiErrorShape =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ApiErrorShape).code === 'string' &&
  (ERROR_CODES as readonly string[]).includes((v as ApiErrorShape).code) &&
  typeof (v as ApiErrorShape).message === 'string';

/** What every transport carries back: a value or a typed error, never a thrown exception. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };
