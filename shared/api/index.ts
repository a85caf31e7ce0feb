/**
 * The one API contract between the renderer and the main side. Both transports (the Electron
 * preload bridge and the browser build's loopback HTTP server) carry exactly these methods to
 * the same main-side handlers (services/handlers).
 */
import type { InputOf, OutputOf } from './contract';
import { ApiError, type ApiResult } from './errors';
import { analysisMethods } from './analysis';
import { exchangeMethods } from './exchange';
import { mapMethods } from './map';
import { privacyMethods } from './privacy';
import { timeMethods } from './time';

export const apiSpecs = {
  ...mapMethods,
  ...analysisMethods,
  ...exchangeMethods,
  ...timeMethods,
  ...privacyMethods,
};

export type ApiSpecs = typeof apiSpecs;
export type Method = keyof ApiSpecs;
export type Input<M extends Method> = InputOf<ApiSpecs[M]>;
export type Output<M extends Method> = OutputOf<ApiSpecs[M]>;
export const METHODS = Object.keys(apiSpecs) as Method[];
export const isMethod = (m: unknown): m is Method => typeof m === 'string' && Object.hasOwn(apiSpecs, m);

/** A transport sends one call and returns its result; it never throws for API errors. */
export type Transport = (method: string, payload: unknown) => Promise<ApiResult<unknown>>;

/** The typed client the renderer (and tests) use: resolves with the output or rejects with ApiError. */
export interface ApiClient {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
}

export const createClient = (transport: Transport): ApiClient => ({
  async call(method, input) {
    const result = await transport(method, input);
    if (result.ok) return result.value as never;
    throw ApiError.from(result.error);
  },
});

export * from './errors';
export type { RecentEntry, AppInfo } from './map';
