/** Handlers of the time area: snapshots and compare, interactions, trips, the upcoming view. */
import type { timeMethods } from '../../shared/api/time';
import {
  createInteraction,
  createTrip,
  deleteInteraction,
  deleteTrip,
  getTimeSettings,
  listInteractions,
  listTrips,
  setTimeSettings,
  upcomingOf,
  updateInteraction,
  updateTrip,
} from '../time/log';
import {
  compareRefs,
  createSnapshot,
  deleteSnapshot,
  listSnapshots,
  renameSnapshot,
  restoreSnapshot,
  snapshotDocument,
} from '../time/snapshots';
import type { HandlersFor } from './types';

export const timeHandlers: HandlersFor<typeof timeMethods> = {
  'snapshot.create': (i, s) => createSnapshot(s.requireStore(), i.name),
  'snapshot.list': (_i, s) => listSnapshots(s.requireStore()),
  'snapshot.get': (i, s) => snapshotDocument(s.requireStore(), i.id),
  'snapshot.rename': (i, s) => renameSnapshot(s.requireStore(), i.id, i.name),
  'snapshot.restore': (i, s) => restoreSnapshot(s.requireStore(), i.id),
  'snapshot.delete': async (i, s) => {
    await deleteSnapshot(s.requireStore(), i.id);
    return null;
  },
  'snapshot.compare': (i, s) => compareRefs(s.requireStore(), i.a, i.b),

  'interaction.list': (i, s) => listInteractions(s.requireStore(), i.personId),
  'interaction.create': (i, s) => createInteraction(s.requireStore(), i),
  'interaction.update': (i, s) => updateInteraction(s.requireStore(), i.id, i.patch),
  'interaction.delete': (i, s) => deleteInteraction(s.requireStore(), i.id),

  'trip.list': (i, s) => listTrips(s.requireStore(), i.personId),
  'trip.create': (i, s) => createTrip(s.requireStore(), i),
  'trip.update': (i, s) => updateTrip(s.requireStore(), i.id, i.patch),
  'trip.delete': (i, s) => deleteTrip(s.requireStore(), i.id),

  'time.upcoming': (i, s) => upcomingOf(s.requireStore(), i),
  'time.getSettings': (_i, s) => getTimeSettings(s.requireStore()),
  'time.setSettings': (i, s) => setTimeSettings(s.requireStore(), i),
};
