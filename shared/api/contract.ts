/**
 * Helpers to declare API methods: an input schema (validated on the main side) and an output
 * type (the main side is trusted to produce it; tests check it).
 */
import type { z } from 'zod';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** Phantom: carries the output type only. */
  output: O;
  /** Edits change the map file; the fuzz tests assert refused edits leave it unchanged. */
  mutates: boolean;
}

/** A method that reads: `query(schema).returns<Output>()`. */
export const query = <I extends z.ZodType>(input: I) => ({
  returns: <O>(): MethodSpec<I, O> => ({ input, output: undefined as O, mutates: false }),
});
/** A method that changes the map file: `edit(schema).returns<Output>()`. */
export const edit = <I extends z.ZodType>(input: I) => ({
  returns: <O>(): MethodSpec<I, O> => ({ input, output: undefined as O, mutates: true }),
});

export type InputOf<S extends MethodSpec> = z.input<S['input']>;
export type ParsedInputOf<S extends MethodSpec> = z.output<S['input']>;
export type OutputOf<S extends MethodSpec> = S['output'];
