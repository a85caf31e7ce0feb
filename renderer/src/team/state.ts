/**
 * The team side of the page (only on the team server): who is signed in, the open team map and
 * the caller's role on it, who else has it open, and whether the live stream and the server's
 * database are there. Kept apart from the map store, which stays the same for every host.
 */
import { create } from 'zustand';
import type { AccountUser } from '../../../shared/api/account';
import type { MapRole, TeamMapInfo } from '../../../shared/api/team';

export type LiveState = 'off' | 'connecting' | 'live' | 'reconnecting';

export interface TeamState {
  /** True when the page was served by the team server, or the desktop app is signed in to one. */
  on: boolean;
  /** The desktop app's link (shared/api/remote.ts): the server it connects to; null elsewhere. */
  server: string | null;
  /** The desktop app: the session ended mid-call; the sign-in dialog is open. */
  signInNeeded: boolean;
  /** The portfolio page is shown (instead of the map list). */
  portfolio: boolean;
  user: AccountUser | null;
  map: TeamMapInfo | null;
  role: MapRole | null;
  /** Everyone with the map open now (this user included), as the server last said. */
  presence: { id: string; name: string }[];
  live: LiveState;
  /** The server said it cannot reach its database; edits are refused until it is back. */
  dbDown: boolean;
  shareOpen: boolean;
  set(p: Partial<Omit<TeamState, 'set'>>): void;
}

export const useTeam = create<TeamState>()((set) => ({
  on: false,
  server: null,
  signInNeeded: false,
  portfolio: false,
  user: null,
  map: null,
  role: null,
  presence: [],
  live: 'off',
  dbDown: false,
  shareOpen: false,
  set: (p) => set(p),
}));

/** Editing is shut where the server would refuse it anyway: a viewer's map. */
export const selectReadOnly = (s: TeamState): boolean => s.on && s.map !== null && s.role === 'viewer';
export const isReadOnly = (): boolean => selectReadOnly(useTeam.getState());

/** Initials for an avatar: the first letters of the first two words, or the first character of a CJK name. */
export function initials(name: string): string {
  const n = name.trim();
  if (!n) return '?';
  if (/^[\u3400-\u9fff]/.test(n)) return n.length > 2 ? n.slice(-2) : n;
  const words = n.split(/\s+/).filter(Boolean);
  return words
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
}
