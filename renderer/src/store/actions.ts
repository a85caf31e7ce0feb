/**
 * Actions that talk to the main side: each edit goes through the API, and the Change it returns
 * patches the store (no reload). Errors become one translated message in the store (shown by
 * the error banner), never an exception that blanks the screen.
 */
import type { Input, Method, Output } from '../../../shared/api';
import type { AppInfo } from '../../../shared/api/map';
import { LAYOUTS, type Change, type LayoutName, type MapDocument, type PersonFields, type Position, type RelationKind } from '../../../shared/domain';
import { langFromLocale, type Lang } from '../../../shared/i18n/errors';
import type { FactKind } from '../../../shared/evidence';
import { api, team } from '../api/client';
import { namesakes } from '../components/people';
import { loadFonts, mapText } from '../fonts';
import { applyLang, savedLang, saveLang } from '../i18n';
import { closeTeamMap } from '../team/actions';
import { isReadOnly } from '../team/state';
import { useStore } from './index';
export { parseQuickAdd } from './parse';
export { reportError } from './errors';
import { reportError } from './errors';

const get = () => useStore.getState();

/** Calls the API; on error reports it and resolves to undefined. */
export async function call<M extends Method>(method: M, input: Input<M>): Promise<Output<M> | undefined> {
  try {
    const out = await api.call(method, input);
    return out;
  } catch (e) {
    reportError(e);
    return undefined;
  }
}

/** Calls an editing method and patches the store with its Change. */
export async function edit<M extends Method>(method: M, input: Input<M>): Promise<Change | undefined> {
  const change = (await call(method, input)) as Change | undefined;
  if (change && typeof change === 'object' && 'rev' in change) {
    // New names are drawn on the canvas, which does not wait for fonts: load their letters first.
    if (change.people?.length || change.team?.length) await loadFonts(mapText({ people: change.people ?? [], team: change.team ?? [] }));
    get().applyChange(change);
    get().setError(null);
  }
  return change;
}

/**
 * The UI language at start: the one the main side keeps (app.info's `language`, the one source
 * for CSV preview errors, analysis messages and the PDF too), else a choice this window saved
 * before the main side kept it (handed to the main side now, so both agree), else the OS's.
 */
export async function startLanguage(info: AppInfo): Promise<Lang> {
  const saved = savedLang();
  // The team server's locale is its own, not the reader's: there the browser's language decides.
  const locale = info.host === 'team' ? navigator.language : info.locale || navigator.language;
  const lang = info.language ?? saved ?? langFromLocale(locale);
  get().setLang(lang);
  applyLang(lang);
  if (info.language) saveLang(info.language);
  else if (saved) await call('app.setLanguage', { language: saved });
  return lang;
}

/**
 * The user picks a language: the UI switches at once, the main side keeps it, and localStorage
 * keeps a copy for the team server's sign-in page, which runs before any API call can.
 */
export async function chooseLanguage(lang: Lang): Promise<void> {
  get().setLang(lang);
  applyLang(lang);
  saveLang(lang);
  await call('app.setLanguage', { language: lang });
}

async function openDoc(load: Promise<MapDocument | undefined>): Promise<boolean> {
  const doc = await load;
  if (!doc) return false;
  await loadFonts(mapText(doc));
  if (team.mapId) team.seenRev = doc.rev; // a team map read again: everything up to its revision is here
  get().loadDoc(doc);
  get().setError(null);
  return true;
}

export const openMap = (path: string) => openDoc(call('map.open', { path }));
/** The sample, in the UI language (its names, titles and file name). */
export const openSample = () => openDoc(call('map.openSample', { lang: get().lang }));
export const createMap = (path: string, account: string, deal: string) =>
  openDoc(call('map.create', { path, meta: { account, deal } }));
export async function reloadMap(): Promise<void> {
  await openDoc(call('map.get', {}));
}
export async function closeMap(): Promise<void> {
  if (team.mapId) return closeTeamMap();
  await call('map.close', {});
  get().closeDoc();
}

export async function createPerson(
  fields: Partial<PersonFields> & { name: string },
  at?: { x: number; y: number },
): Promise<string | undefined> {
  const change = await edit('person.create', at ? { ...fields, at } : fields);
  const id = change?.people?.[0]?.id;
  if (id) warnSameName(id, fields.name);
  if (id && at) {
    // The main side stored this position for every layout; keep our copy in step.
    for (const layout of LAYOUTS) get().mergePositions(layout, [{ id, ...at, pinned: false }]);
  }
  return id;
}

/** The source of what the user sets: the one they last chose (issue 20), else the fact keeps its own. */
const stampSource = () => {
  const s = get().lastSource;
  return s === null ? {} : { evidenceSource: s };
};

export async function updatePerson(id: string, patch: Partial<PersonFields>): Promise<Change | undefined> {
  const change = await edit('person.update', { id, patch, ...stampSource() });
  if (change && patch.name !== undefined) warnSameName(id, patch.name);
  return change;
}
export const deletePerson = (id: string) => edit('person.delete', { id });

/** "Still true" (or confirmed from `source`): the facts verified now by this user, values untouched. */
export const confirmFacts = (facts: { kind: FactKind; id: string }[], source?: string | null) =>
  edit('evidence.confirm', source === undefined ? { facts } : { facts, evidenceSource: source });

export async function createRelation(kind: RelationKind, source: string, target: string, strength: 1 | 2 | 3 = 2) {
  const change = await edit('relation.create', { kind, source, target, strength, ...stampSource() });
  return change?.relations?.[0]?.id;
}

/** Sets whom a person reports to (creates, retargets or removes the one reports-to line). */
export async function setReportsTo(personId: string, bossId: string | null): Promise<void> {
  const doc = get().doc;
  if (!doc) return;
  const line = doc.relations.find((r) => r.kind === 'reports_to' && r.source === personId);
  if (!bossId) {
    if (line) await edit('relation.delete', { id: line.id });
  } else if (!line) await edit('relation.create', { kind: 'reports_to', source: personId, target: bossId });
  else if (line.target !== bossId) await edit('relation.update', { id: line.id, patch: { target: bossId } });
}

export const setCoverage = (memberId: string, personId: string, strength: 1 | 2 | 3 | null) =>
  edit('coverage.set', { memberId, personId, strength });

/**
 * Undo and redo say what they did ("Undone: Move 赵丽"): a step the user did not have in mind is
 * never taken back silently.
 */
export async function undo(): Promise<Change | undefined> {
  const label = get().doc?.history.undoLabel ?? null;
  const change = await edit('history.undo', {});
  if (change && !keptNotice(change) && label) get().setNotice({ key: 'notice.undone', label });
  return change;
}
export async function redo(): Promise<Change | undefined> {
  const label = get().doc?.history.redoLabel ?? null;
  const change = await edit('history.redo', {});
  if (change && !keptNotice(change) && label) get().setNotice({ key: 'notice.redone', label });
  return change;
}

/** On a team map, undo leaves values someone else changed since: say which (true when said). */
function keptNotice(change: Change): boolean {
  const kept = change.notices?.find((n) => n.kind === 'kept');
  if (!kept) return false;
  get().setNotice({ key: 'team.kept', params: { name: kept.name, field: kept.field, entity: kept.entity }, tone: 'warning' });
  return true;
}

/** Someone else on the map already has this name: warn (two people may share a name). */
function warnSameName(id: string, name: string): void {
  const other = namesakes(get().doc?.people ?? [], { id, name })[0];
  if (other)
    get().setNotice(
      other.title
        ? { key: 'notice.sameName', params: { name: other.name, other: other.title }, tone: 'warning' }
        : { key: 'notice.sameNameUntitled', params: { name: other.name }, tone: 'warning' },
    );
}

/**
 * People moved by hand: shown where they were dropped at once, stored (pinned) as one undoable
 * edit. `from` is where each was when the drag began.
 */
export async function moveNodes(layout: LayoutName, moves: (Position & { from?: { x: number; y: number } })[]): Promise<void> {
  if (!moves.length) return;
  get().mergePositions(layout, moves.map(({ id, x, y, pinned }) => ({ id, x, y, pinned })));
  await edit('positions.move', { layout, positions: moves });
}

/** Stores computed positions of one layout (not undoable) and keeps the store in step. */
export async function savePositions(layout: LayoutName, positions: Position[]): Promise<void> {
  if (!positions.length) return;
  get().mergePositions(layout, positions);
  if (isReadOnly()) return; // a viewer's layout is theirs alone
  await call('positions.set', { layout, positions });
}

/** Deletes whatever is selected. */
export async function deleteSelection(): Promise<void> {
  const sel = get().selection;
  if (!sel) return;
  if (sel.type === 'person') await deletePerson(sel.id);
  else if (sel.type === 'relation') await edit('relation.delete', { id: sel.id });
  else if (sel.type === 'member') await edit('team.delete', { id: sel.id });
  else if (sel.type === 'coverage') {
    const [memberId = '', personId = ''] = sel.id.split(':');
    await setCoverage(memberId, personId, null);
  }
  get().select(null);
}
