/**
 * The main-side services behind the API, and the one dispatcher both transports call: it checks
 * the method name, validates the payload with the contract's zod schema, runs the handler and
 * turns every failure into a typed error. Nothing a renderer sends can throw past it.
 */
import { z } from 'zod';
import { apiSpecs, isMethod, type ApiSpecs } from '../../shared/api';
import { ApiError, type ApiResult } from '../../shared/api/errors';
import type { Session } from '../session';
import { analysisHandlers } from './analysis';
import { exchangeHandlers } from './exchange';
import { mapHandlers } from './map';
import { privacyHandlers } from './privacy';
import { timeHandlers } from './time';
import type { HandlersFor } from './types';

const handlers: HandlersFor<ApiSpecs> = {
  ...mapHandlers,
  ...analysisHandlers,
  ...exchangeHandlers,
  ...timeHandlers,
  ...privacyHandlers,
};

const MAX_ISSUES = 20;

export async function dispatch(session: Session, method: unknown, payload: unknown): Promise<ApiResult<unknown>> {
  if (!isMethod(method)) {
    const name = typeof method === 'string' ? method.slice(0, 80) : typeof method;
    return { ok: false, error: { code: 'BAD_REQUEST', message: `Unknown API method: ${name}`, params: { method: name } } };
  }
  try {
    const parsed = apiSpecs[method].input.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      const details = parsed.error.issues
        .slice(0, MAX_ISSUES)
        .map((i) => `${i.path.length ? i.path.join('.') : '(payload)'}: ${i.message}`);
      return {
        ok: false,
        error: { code: 'BAD_REQUEST', message: `Invalid input for ${method}: ${details[0] ?? 'invalid'}`, params: { method }, details },
      };
    }
    const handler = handlers[method] as (input: unknown, s: Session) => unknown;
    const value = await handler(parsed.data, session);
    return { ok: true, value: value === undefined ? null : value };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: e.toJSON() };
    if (e instanceof z.ZodError)
      return { ok: false, error: { code: 'BAD_REQUEST', message: e.issues[0]?.message ?? 'invalid input' } };
    if (e instanceof RangeError)
      return { ok: false, error: { code: 'BAD_REQUEST', message: `Input too large or too deep: ${e.message}` } };
    console.error(`[powermap] ${method} failed:`, e);
    return { ok: false, error: { code: 'INTERNAL', message: `Internal error in ${method}: ${(e as Error)?.message ?? String(e)}` } };
  }
}
