/**
 * The team server's map methods: the maps a user may see, sharing them, their edit history. Like
 * the account methods they exist on the team server only, carried as POST /api/<method>.
 *
 * Every other method of the contract (shared/api) works on a team map too: the page names the map
 * in the X-PowerMap-Map header, and may add X-PowerMap-Op (an id per call, so a call retried after
 * a dropped connection is not applied twice) and X-PowerMap-Rev (the revision it has seen, so a
 * write over a value someone else changed after it tells that someone). Live changes of the open
 * map: GET /api/live?map=<id>&since=<rev> (server-sent events).
 */
import { z } from 'zod';
import { MapMetaSchema, type Change, type EditNotice, type MapDocument } from '../domain';
import { edit, query } from './contract';
import { teamSyncMethods } from './team-sync';

export const MAP_HEADER = 'x-powermap-map';
export const OP_HEADER = 'x-powermap-op';
export const REV_HEADER = 'x-powermap-rev';

export type MapRole = 'owner' | 'editor' | 'viewer';

export interface TeamMapInfo {
  id: string;
  name: string;
  role: MapRole;
  owner: { id: string; name: string; email: string };
  rev: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: { id: string; name: string } | null;
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string;
  role: MapRole;
}

/** One step of a map's edit history, as the History view lists it. */
export interface HistoryEntry {
  seq: number;
  at: string;
  by: { id: string; name: string } | null;
  /** The stored label (shared/i18n/history.ts decodes it). */
  label: string;
  undone: boolean;
  /** Before and after of every row the step changed (a viewer never gets profile or trip rows). */
  changes: { t: string; b: Record<string, string | number | null> | null; a: Record<string, string | number | null> | null }[];
}

/** What a live client is sent (GET /api/live, one JSON object per event). */
export type LiveEvent =
  | { type: 'hello'; rev: number; role: MapRole }
  | { type: 'change'; rev: number; by: string | null; change: Omit<Change, 'history'> }
  | { type: 'reload'; rev: number }
  | { type: 'presence'; users: { id: string; name: string }[] }
  | { type: 'notice'; notice: EditNotice & { byName: string } }
  | { type: 'unavailable' };

const MapId = z.uuid();
const MapName = z.string().trim().min(1).max(200);

export const teamMethods = {
  /** The maps the user may see (their own and those shared with them), most recently edited first. */
  'maps.list': query(z.object({}).strict()).returns<TeamMapInfo[]>(),
  /** A new, empty map owned by the caller. */
  'maps.create': edit(z.object({ name: MapName, meta: MapMetaSchema.partial().optional() }).strict()).returns<TeamMapInfo>(),
  /** Opens a map: what it is, the caller's role, and the document. */
  'maps.open': query(z.object({ id: MapId }).strict()).returns<{ map: TeamMapInfo; document: MapDocument }>(),
  'maps.rename': edit(z.object({ id: MapId, name: MapName }).strict()).returns<TeamMapInfo>(),
  /** Deletes a map and everything in it (owner only). */
  'maps.delete': edit(z.object({ id: MapId }).strict()).returns<null>(),
  /** The owner and everyone the map is shared with. */
  'maps.members': query(z.object({ id: MapId }).strict()).returns<TeamMember[]>(),
  /** Shares the map with a teammate of the organization, or changes their role (owner only). */
  'maps.share': edit(z.object({ id: MapId, email: z.string().trim().min(3).max(320), role: z.enum(['editor', 'viewer']) }).strict()).returns<TeamMember[]>(),
  /** Takes a share back (owner only). */
  'maps.unshare': edit(z.object({ id: MapId, userId: z.uuid() }).strict()).returns<TeamMember[]>(),
  /** Who changed what: the edit history, newest first. */
  'maps.history': query(
    z.object({ id: MapId, before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
  ).returns<HistoryEntry[]>(),
  /** Publish, fetch, send (the offline merge) and the portfolio: shared/api/team-sync.ts (issue 19). */
  ...teamSyncMethods,
};

export type TeamMethod = keyof typeof teamMethods;
export const isTeamMethod = (m: unknown): m is TeamMethod => typeof m === 'string' && Object.hasOwn(teamMethods, m);
