/**
 * API methods of the privacy area: erasing one person completely, and removing the personal
 * details of a whole map before it is shared. See docs/TRUST.md.
 *
 * Both are deliberate, irreversible acts: they are NOT undoable edits (an undo step would have to
 * keep exactly what the user asked to erase), and they scrub the undo log, the snapshots and the
 * -wal file as well as the rows.
 */
import { z } from 'zod';
import { Id, type Change } from '../domain';
import { edit, query } from './contract';
import { AbsolutePath } from './exchange';

/** Where free text written by the user still names an erased person (not rewritten automatically). */
export interface Mention {
  where: 'person' | 'relation' | 'member' | 'map' | 'interaction' | 'trip' | 'snapshot' | 'undo';
  /** The id of the record (the snapshot id, the undo step's number, '1' for the map). */
  id: string;
  field: string;
}

export interface PurgeResult {
  person: { id: string; name: string };
  removed: {
    relations: number;
    coverage: number;
    profile: boolean;
    /** Rows of the person in other tables: interaction log entries, trips. */
    owned: number;
    positions: number;
    /** Undo steps dropped because every row they touched was the person's. */
    undoSteps: number;
    /** Row images taken out of undo steps that also touched others. */
    undoImages: number;
    snapshots: number;
  };
  /** Free text elsewhere that still names the person: shown so the user can edit it. */
  mentions: Mention[];
  /** Copies made before an upgrade (`<map>.v1.bak`) that still hold the person. */
  backups: string[];
  change: Change;
}

/** Someone a purge can erase: on the map, or deleted from it but still in its history or snapshots. */
export interface ErasablePerson {
  id: string;
  name: string;
  onMap: boolean;
  inHistory: boolean;
  /** How many snapshots hold them. */
  snapshots: number;
}

export interface StripResult {
  /** The file stripped: the open map, or the copy written to `copyTo`. */
  path: string;
  profiles: number;
  trips: number;
  undoSteps: number;
  undoImages: number;
  backups: string[];
  /** Changes to the open map (none when a copy was written). */
  change: Change | null;
}

export const privacyMethods = {
  /**
   * Erases a person from the open map: their row, profile, relations, coverage, interaction log
   * and trips, layout positions, every undo step's image of them, every snapshot's copy of them,
   * and the old pages in the -wal file (secure_delete, then a TRUNCATE checkpoint).
   */
  'person.purge': edit(z.object({ id: Id }).strict()).returns<PurgeResult>(),
  /** Everyone a purge can erase, deleted people still in the history or snapshots included. */
  'privacy.erasable': query(z.object({}).strict()).returns<ErasablePerson[]>(),
  /**
   * Removes the personal details (every profile and, unless `keepItineraries`, every trip) from
   * the open map — or, with `copyTo`, writes a stripped copy there and leaves the open map as it is.
   */
  'map.stripPersonal': edit(
    z.object({ keepItineraries: z.boolean().optional(), copyTo: AbsolutePath.optional() }).strict(),
  ).returns<StripResult>(),
};
