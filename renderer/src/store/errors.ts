/**
 * One translated line in the store for anything thrown (ApiError or a bug). Apart from the actions
 * so the team actions can report errors without importing the actions that import them.
 */
import { ApiError, isApiErrorShape, type ApiErrorShape } from '../../../shared/api';
import { describeError } from '../../../shared/i18n/errors';
import { useStore } from './index';

const get = () => useStore.getState();

/** Shows an error from anything thrown (ApiError or a bug) in the UI language. */
export function reportError(e: unknown): void {
  const lang = get().lang;
  if (e instanceof ApiError || isApiErrorShape(e)) {
    const shape: ApiErrorShape = { code: e.code, message: e.message, params: e.params, details: e.details };
    get().setError({ ...describeError(shape, lang), details: e.details, shape });
  } else {
    const shape: ApiErrorShape = { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
    get().setError({ ...describeError(shape, lang), shape });
  }
}

