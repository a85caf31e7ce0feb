import type { MethodSpec, OutputOf, ParsedInputOf } from '../../shared/api/contract';
import type { Session } from '../session';

/** The main-side implementation of a group of API methods. */
export type HandlersFor<S extends Record<string, MethodSpec>> = {
  [M in keyof S]: (input: ParsedInputOf<S[M]>, session: Session) => OutputOf<S[M]> | Promise<OutputOf<S[M]>>;
};
