/**
 * Hostile payloads for the API fuzz test (tests/unit/trust-fuzz.test.ts), from a seeded PRNG so a
 * failure can be replayed: random values of every kind, objects built from a method's own field
 * names with wrong or nasty values, exotic values the Electron IPC can carry (BigInt, Map, Date,
 * typed arrays), deeply nested values, huge strings, control characters, mixed scripts.
 */
import type { z } from 'zod';
import { prng } from '../../bench/lib/generate';

export type Rnd = () => number;
export { prng };

export const pick = <T>(r: Rnd, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Strings that have broken programs before. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u0008\u001b[31mred\u001b[0m',
  'line\nbreak',
  'tab\tand\rreturn',
  '\u007f',
  '\ud800',
  'lone \udfff low',
  '\ufeffBOM',
  '\u202eevil\u202c',
  '\u200b\u200c\u200d',
  '👩‍👩‍👧‍👦',
  '王建国 Иван Ελένη محمد 🧑🏽‍💼',
  'e\u0301 vs \u00e9',
  "'); DROP TABLE person; --",
  '" OR 1=1 --',
  '../../../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows\\System32',
  '\\\\server\\share\\x.powermap',
  'file:///etc/passwd',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{name}}',
  '%s%s%n%x',
  '${process.exit()}',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  'null',
  '-1',
  '1e309',
  '2026-02-30',
  '9999-99-99',
  'p_',
  'x'.repeat(65),
  'ÿ'.repeat(300),
  '😀'.repeat(201),
];

export function hugeString(r: Rnd): string {
  const n = r() < 0.03 ? 1_000_000 : pick(r, [201, 1_000, 5_001, 20_001, 100_000]);
  return pick(r, ['a', '王', '😀', '\u0000', ' ']).repeat(n);
}

/** A value nested `depth` deep (built iteratively: no recursion limit in the generator). */
export function deep(depth: number, kind: 'array' | 'object', leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

export interface GenOptions {
  /** Values only the in-process dispatcher and structured clone carry (BigInt, Map, NaN…). */
  exotic: boolean;
}

export function randomNumber(r: Rnd, o: GenOptions): number {
  const xs = [0, -0, 1, -1, 2, 3, 4, 1.5, -7, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 1e7 + 1, Number.MIN_VALUE];
  if (o.exotic) xs.push(NaN, Infinity, -Infinity);
  return pick(r, xs);
}

/** Any value, up to `depth` levels of containers. */
export function randomValue(r: Rnd, o: GenOptions, depth = 3): unknown {
  const k = Math.floor(r() * (o.exotic ? 16 : 11));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r() < 0.5;
    case 2:
      return randomNumber(r, o);
    case 3:
    case 4:
      return pick(r, NASTY_STRINGS);
    case 5:
      return r() < 0.1 ? hugeString(r) : pick(r, NASTY_STRINGS) + pick(r, NASTY_STRINGS);
    case 6:
      return depth > 0 ? Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, o, depth - 1)) : [];
    case 7:
    case 8:
      return depth > 0 ? randomObject(r, o, [], depth - 1) : {};
    case 9:
      return deep(pick(r, [50, 1_000, r() < 0.2 ? 10_000 : 2_000]), r() < 0.5 ? 'array' : 'object');
    case 10:
      return Array.from({ length: r() < 0.1 ? 100_001 : 1_000 }, () => 0);
    case 11:
      return BigInt(Math.floor(r() * 1e6)) * 10n ** 20n;
    case 12:
      return new Date(r() < 0.5 ? NaN : r() * 4e12);
    case 13:
      return new Map([['name', 'Ada']]);
    case 14:
      return new Set([1, 'a']);
    default:
      return new Uint8Array([1, 2, 3]);
  }
}

/** An object with some of `keys` (a method's own field names) and random others. */
export function randomObject(r: Rnd, o: GenOptions, keys: readonly string[], depth = 2): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const key = keys.length && r() < 0.8 ? pick(r, keys) : pick(r, ['x', 'id', 'name', 'path', 'constructor', 'patch', '', '__proto__']);
    const value = randomValue(r, o, depth);
    // An own "__proto__" key, as JSON.parse makes it: never a prototype change.
    Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
  }
  return out;
}

/** The field names of an object schema (zod 4), or [] when it is not an object. */
export function shapeKeys(schema: z.ZodType): string[] {
  const def = (schema as unknown as { _zod?: { def?: { type?: string; shape?: Record<string, unknown> } } })._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** A payload for a method: mostly its own fields with hostile values, sometimes anything at all. */
export function payloadFor(r: Rnd, o: GenOptions, keys: readonly string[]): unknown {
  const x = r();
  if (x < 0.65) return randomObject(r, o, keys);
  if (x < 0.8) {
    // One field nested somewhere deep.
    const obj = randomObject(r, o, keys, 1);
    obj[keys.length ? pick(r, keys) : 'x'] = deep(r() < 0.1 ? 50_000 : pick(r, [100, 2_000]), r() < 0.5 ? 'array' : 'object', pick(r, NASTY_STRINGS));
    return obj;
  }
  return randomValue(r, o);
}
