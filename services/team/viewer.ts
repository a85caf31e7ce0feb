/**
 * What a viewer of a team map may receive. Personal profiles and trips (whereabouts, which PIPL
 * counts as sensitive) reach only the owner and editors: for a viewer the store itself reads as if
 * those tables were empty, so no handler, export or history can hand their bytes out by mistake —
 * the rule is enforced where the data comes from, not in each presenter. Writes are refused.
 */
import { ApiError } from '../../shared/api/errors';
import type { Row, RowChange, TableName } from '../../storage/rows';
import type { MapStore, RowSource, UndoStep } from '../../storage/types';

/** Tables a viewer never receives. */
export const SENSITIVE_TABLES: ReadonlySet<string> = new Set(['profile', 'trip']);

const refuse = (): never => {
  throw new ApiError('FORBIDDEN', 'Viewers of this map cannot change it', { reason: 'viewer' });
};

const redactSource = <S extends RowSource>(src: S): RowSource => ({
  row: async (t: TableName, key: Row) => (SENSITIVE_TABLES.has(t) ? null : src.row(t, key)),
  rows: async (t: TableName, where?: Row) => (SENSITIVE_TABLES.has(t) ? [] : src.rows(t, where)),
  positions: (l) => src.positions(l),
  rev: () => src.rev(),
  history: () => src.history(),
});

/** The edit-log images a viewer may see: none of a sensitive table. */
export const viewerChanges = (changes: readonly RowChange[]): RowChange[] => changes.filter((c) => !SENSITIVE_TABLES.has(c.t));

/** `store` as a viewer sees it: sensitive tables empty, every write refused. */
export function viewerStore(store: MapStore): MapStore {
  const src = redactSource(store);
  return {
    kind: store.kind,
    location: store.location,
    get isOpen() {
      return store.isOpen;
    },
    close: () => store.close(),
    ...src,
    read: (fn) => store.read((inner) => fn(redactSource(inner))),
    edit: async () => refuse(),
    undo: async () => refuse(),
    redo: async () => refuse(),
    setPositions: async () => refuse(),
    clearPositions: async () => refuse(),
    load: async () => refuse(),
    settings: () => store.settings(),
    putSettings: async () => refuse(),
    snapshots: {
      list: () => store.snapshots.list(),
      info: (id) => store.snapshots.info(id),
      body: (id) => store.snapshots.body(id),
      add: async () => refuse(),
      rename: async () => refuse(),
      remove: async () => refuse(),
    },
    byteSize: () => store.byteSize(),
    undoSteps: async (): Promise<UndoStep[]> =>
      (await store.undoSteps()).map((e) => ({ ...e, changes: viewerChanges(e.changes) })).filter((e) => e.changes.length > 0),
    erase: async () => refuse(),
  };
}
