/**
 * Snapshots read back from a map file are input like any other: the file may have come from a
 * colleague, and its rows may have been written by something other than PowerMap. Before a
 * snapshot is shown, compared, exported or restored, its content passes the same zod schemas the
 * API applies to every edit (shared/domain.ts, through the JSON format's MapJsonSchema), and the
 * same checks between records as a JSON import (ids used twice, lines to nobody, two bosses,
 * reporting loops). A snapshot that fails is refused as damaged, with one line per problem; the
 * map itself stays as it is.
 *
 * Unpacking stops at an output limit derived from the map's size (./codec.ts), so a small body
 * that would unpack to gigabytes is refused quickly.
 */
import { ApiError } from '../../shared/api/errors';
import { JSON_FORMAT, JSON_VERSION, checkMapJson } from '../../shared/exchange/json-format';
import type { SnapshotContent } from '../../shared/time/types';
import { decodeSnapshot, displayName, snapshotOutputLimit } from './codec';

/** A snapshot row as stored (the columns decoding needs). */
export interface StoredSnapshot {
  name: string;
  codec: string;
  body: Buffer;
}

/**
 * Checks decoded content with the API's schemas and the import's reference checks. Returns the
 * content as the API would hold it (labels trimmed, roles without repeats); throws CORRUPT.
 */
function validateSnapshot(content: SnapshotContent, rawName: string): SnapshotContent {
  const checked = checkMapJson({
    format: JSON_FORMAT,
    version: JSON_VERSION,
    meta: content.meta,
    people: content.people,
    relations: content.relations,
    team: content.team,
    coverage: content.coverage,
    positions: content.positions,
  });
  if (checked.ok) {
    const d = checked.data;
    return { meta: d.meta, people: d.people, relations: d.relations, team: d.team, coverage: d.coverage, positions: d.positions ?? {} };
  }
  const name = displayName(rawName);
  throw new ApiError(
    'CORRUPT',
    `The snapshot “${name}” holds data PowerMap does not accept (${checked.problems[0]}), so it was not opened`,
    { name, reason: 'snapshot_invalid', problem: checked.problems[0] ?? 'invalid' },
    checked.problems.map((p) => `${name}: ${p}`),
  );
}

/**
 * Unpacks a stored snapshot within the output limit of a map of `mapBytes` (the store's
 * byteSize()); the content is not validated (purge uses this).
 */
export function unpackStoredSnapshot(row: StoredSnapshot, mapBytes: number): SnapshotContent {
  return decodeSnapshot(row.codec, row.body, row.name, snapshotOutputLimit(mapBytes));
}

/** Unpacks and validates a stored snapshot: what may be shown, compared, exported or restored. */
export function openStoredSnapshot(row: StoredSnapshot, mapBytes: number): SnapshotContent {
  return validateSnapshot(unpackStoredSnapshot(row, mapBytes), row.name);
}
