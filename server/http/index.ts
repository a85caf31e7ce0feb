/**
 * Request parsing and limits shared by PowerMap's HTTP servers (server/web, and any other server
 * that answers on a socket). See docs/TRUST.md, "Malformed requests".
 */
export { parseTarget, MAX_TARGET, type Target, type TargetResult } from './target';
export { readBody, declaredLength, type BodyLimits, type BodyResult } from './body';
export { DEFAULT_LIMITS, guard, hardenServer, refuse, sendJson, serverOptions, type HttpLimits } from './harden';
