/**
 * Records the text of every query node-postgres sends (every Client, pooled or not) while `fn`
 * runs (`fn` may read them as they come), for tests that count an edit's round trips to PostgreSQL and read what each carried.
 */
import pg from 'pg';

export async function queriesSent(fn: (sofar: readonly string[]) => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  (pg.Client.prototype as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0];
    sent.push(typeof q === 'string' ? q : String((q as { text?: string }).text));
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  };
  try {
    await fn(sent);
  } finally {
    (pg.Client.prototype as { query: unknown }).query = query;
  }
  return sent;
}
