import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import type { mapMethods } from '../../../shared/api/map';
import { langFromLocale } from '../../../shared/i18n/errors';
import { SAMPLE_MAP_NAME, createFromJson, readSample } from '../sample';
import { MapStore } from '../store/map-store';
import type { HandlersFor } from './types';

const withExtension = (file: string) => (file.toLowerCase().endsWith('.powermap') ? file : `${file}.powermap`);

export const mapHandlers: HandlersFor<typeof mapMethods> = {
  'app.info': (_i, s) => ({
    version: s.version,
    host: s.host.kind,
    locale: s.host.locale,
    documentsDir: s.paths.documentsDir,
    initialMap: s.initialMap,
  }),
  'recent.list': (_i, s) => s.settings.recent(),
  'host.pickOpenPath': (_i, s) => s.host.pickOpenPath(),
  'host.pickSavePath': (i, s) => s.host.pickSavePath(i.suggestedName),

  'map.create': (i, s) => {
    const file = path.resolve(withExtension(i.path));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const store = MapStore.create(file, i.meta ?? {});
    s.setStore(store);
    return store.document();
  },
  'map.open': (i, s) => {
    const file = path.resolve(i.path);
    if (s.store?.isOpen && s.store.file === file) return s.store.document();
    const store = MapStore.open(file);
    s.setStore(store);
    return store.document();
  },
  'map.openSample': (i, s) => {
    // The sample in the UI language: its words and its file name.
    const lang = i.lang ?? langFromLocale(s.host.locale);
    const data = readSample(s.paths.resourcesDir, lang);
    fs.mkdirSync(s.paths.documentsDir, { recursive: true });
    const file = path.join(s.paths.documentsDir, SAMPLE_MAP_NAME[lang]);
    if (s.store?.isOpen && s.store.file === file) return s.store.document();
    let store: MapStore;
    try {
      store = MapStore.open(file);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'FILE_NOT_FOUND') throw e;
      store = createFromJson(file, data);
    }
    s.setStore(store);
    return store.document();
  },
  'map.get': (_i, s) => s.requireStore().document(),
  'map.close': (_i, s) => {
    s.close();
    return null;
  },
  'map.updateMeta': (i, s) => s.requireStore().updateMeta(i),

  'person.create': (i, s) => {
    const { at, ...fields } = i;
    const store = s.requireStore();
    const change = store.createPerson(fields);
    const id = change.people?.[0]?.id;
    if (at && id) for (const layout of ['force', 'org', 'grid'] as const) store.setPositions(layout, [{ id, ...at, pinned: false }]);
    return change;
  },
  'person.update': (i, s) => s.requireStore().updatePerson(i.id, i.patch),
  'person.delete': (i, s) => s.requireStore().deletePerson(i.id),
  'profile.get': (i, s) => s.requireStore().profile(i.personId),
  'profile.update': (i, s) => s.requireStore().updateProfile(i.personId, i.patch),

  'relation.create': (i, s) => s.requireStore().createRelation(i),
  'relation.update': (i, s) => s.requireStore().updateRelation(i.id, i.patch),
  'relation.delete': (i, s) => s.requireStore().deleteRelation(i.id),

  'team.create': (i, s) => s.requireStore().createMember(i),
  'team.update': (i, s) => s.requireStore().updateMember(i.id, i.patch),
  'team.delete': (i, s) => s.requireStore().deleteMember(i.id),
  'coverage.set': (i, s) => s.requireStore().setCoverage(i.memberId, i.personId, i.strength),

  'history.undo': (_i, s) => s.requireStore().undo(),
  'history.redo': (_i, s) => s.requireStore().redo(),

  'positions.set': (i, s) => {
    s.requireStore().setPositions(i.layout, i.positions);
    return null;
  },
  'positions.move': (i, s) => s.requireStore().movePositions(i.layout, i.positions),
  'positions.clear': (i, s) => {
    s.requireStore().clearPositions(i.layout);
    return null;
  },
};
