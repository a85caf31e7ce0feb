/**
 * What the page does on the team server: the signed-in user, the maps they can see, opening one
 * (its document, the caller's role, the live stream), renaming, deleting, sharing, signing out.
 * The map itself is then edited through the same actions as a map file (store/actions.ts); the
 * API client adds the team headers to every call.
 */
import type { TeamMapInfo, TeamMember } from '../../../shared/api/team';
import type { MapDocument } from '../../../shared/domain';
import type { RemoteStatus } from '../../../shared/api/remote';
import { loadSession, remoteApi, team, teamApi } from '../api/client';
import { loadFonts, mapText } from '../fonts';
import { reportError } from '../store/errors';
import { useStore } from '../store';
import { setDatabase, startLive, stopLive } from './live';
import { useTeam } from './state';

declare global {
  interface Window {
    /** End-to-end tests: the team state and what the API client knows (revision seen, retries). */
    __powermapTeam?: { state: typeof useTeam; client: typeof team };
  }
}

/** Runs a team call; on error shows it and resolves to undefined. */
async function attempt<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    const v = await p;
    useStore.getState().setError(null);
    return v;
  } catch (e) {
    reportError(e);
    return undefined;
  }
}

/** At start on the team server: the session (or off to the sign-in page). */
export async function startTeam(): Promise<boolean> {
  team.onDatabase = setDatabase;
  useTeam.getState().set({ on: true });
  window.__powermapTeam = { state: useTeam, client: team };
  const session = await loadSession();
  if (!session) {
    team.onSignedOut();
    return false;
  }
  useTeam.getState().set({ user: session.user });
  return true;
}

export const listMaps = (): Promise<TeamMapInfo[] | undefined> => attempt(teamApi.call('maps.list', {}));

async function show(map: TeamMapInfo, document: MapDocument): Promise<void> {
  await loadFonts(mapText(document));
  team.mapId = map.id;
  team.seenRev = document.rev;
  useTeam.getState().set({ map, role: map.role });
  useStore.getState().loadDoc(document);
  useStore.getState().setError(null);
}

export async function openTeamMap(id: string): Promise<boolean> {
  const r = await attempt(teamApi.call('maps.open', { id }));
  if (!r) return false;
  await show(r.map, r.document);
  startLive(id, reloadTeamMap);
  return true;
}

/** The whole map again (the live stream said 'reload', or a panel asked). */
export async function reloadTeamMap(): Promise<void> {
  const id = team.mapId;
  if (!id) return;
  const r = await attempt(teamApi.call('maps.open', { id }));
  if (!r) return;
  const view = useStore.getState();
  const { layout, sideTab } = view;
  await show(r.map, r.document);
  useStore.setState({ layout, sideTab });
}

export function closeTeamMap(): void {
  stopLive();
  team.mapId = null;
  team.seenRev = 0;
  useTeam.getState().set({ map: null, role: null, shareOpen: false });
  useStore.getState().closeDoc();
}

export async function createTeamMap(name: string): Promise<boolean> {
  const m = await attempt(teamApi.call('maps.create', { name }));
  return m ? openTeamMap(m.id) : false;
}

export const renameTeamMap = async (id: string, name: string): Promise<TeamMapInfo | undefined> => {
  const m = await attempt(teamApi.call('maps.rename', { id, name }));
  const open = useTeam.getState().map;
  if (m && open?.id === id) useTeam.getState().set({ map: { ...open, name: m.name } });
  return m;
};

export const deleteTeamMap = async (id: string): Promise<boolean> => (await attempt(teamApi.call('maps.delete', { id }))) !== undefined;

export const mapMembers = (id: string): Promise<TeamMember[] | undefined> => attempt(teamApi.call('maps.members', { id }));
export const shareTeamMap = (id: string, email: string, role: 'editor' | 'viewer'): Promise<TeamMember[] | undefined> =>
  attempt(teamApi.call('maps.share', { id, email, role }));
export const unshareTeamMap = (id: string, userId: string): Promise<TeamMember[] | undefined> => attempt(teamApi.call('maps.unshare', { id, userId }));

export const teamHistory = (id: string, before?: number) => attempt(teamApi.call('maps.history', { id, before, limit: 100 }));

export async function signOut(everywhere: boolean): Promise<void> {
  if (window.powermap) {
    // The desktop app: the main process revokes its access and forgets it.
    if (everywhere && (await attempt(teamApi.call('account.signOutEverywhere', {}))) === undefined) return;
    stopLive();
    if (team.mapId) closeTeamMap();
    const s = await attempt(remoteApi.call('remote.signOut', { forget: false }));
    if (s) applyStatus(s);
    return;
  }
  const r = await attempt(everywhere ? teamApi.call('account.signOutEverywhere', {}) : teamApi.call('account.signOut', {}));
  if (r === undefined) return;
  stopLive();
  window.location.assign('./signin');
}

// ---------------------------------------------------------------------------------------------
// The desktop app's link to a team server (the main process keeps the sign-in)
// ---------------------------------------------------------------------------------------------

function applyStatus(s: RemoteStatus): void {
  useTeam.getState().set({ server: s.server, user: s.user, on: s.user !== null });
}

/** Where the sign-in dialog's answer goes (several calls may wait on one dialog). */
let waiting: Promise<boolean> | null = null;
let answer: ((ok: boolean) => void) | null = null;

/** At start in the desktop app: which server, who is signed in; the expired-session hook. */
export async function startDesktopTeam(): Promise<void> {
  window.__powermapTeam = { state: useTeam, client: team };
  team.onDatabase = setDatabase;
  team.onSignedOut = () => useTeam.getState().set({ user: null });
  team.signInAgain = () => {
    if (!waiting) {
      useTeam.getState().set({ signInNeeded: true });
      waiting = new Promise<boolean>((resolve) => (answer = resolve));
    }
    return waiting;
  };
  try {
    applyStatus(await remoteApi.call('remote.status', {}));
  } catch {
    /* an older shell without the link: no team card */
  }
}

/** The sign-in dialog closed: signed in again (true) or given up. */
export function signInAnswered(ok: boolean): void {
  useTeam.getState().set({ signInNeeded: false });
  const a = answer;
  waiting = null;
  answer = null;
  a?.(ok);
}

/** Connect to a team server (its address); throws the refusal for the form to show. */
export async function connectServer(url: string): Promise<RemoteStatus> {
  const s = await remoteApi.call('remote.connect', { url });
  applyStatus(s);
  return s;
}

/** Sign in to the connected server; throws the refusal for the form to show. */
export async function signInRemote(email: string, password: string): Promise<RemoteStatus> {
  const s = await remoteApi.call('remote.signIn', { email, password });
  applyStatus(s);
  return s;
}

/** Forget the server (and any sign-in). */
export async function forgetServer(): Promise<void> {
  const s = await attempt(remoteApi.call('remote.signOut', { forget: true }));
  if (s) applyStatus(s);
}
