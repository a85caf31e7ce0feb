import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/api/errors';
import type { mapMethods } from '../../shared/api/map';
import { adopt, createMapFile, openMapFile, withMapExtension } from '../map/files';
import { documentOf } from '../map/read';
import * as rules from '../map/rules';
import { sessionLang } from '../lang';
import { SAMPLE_MAP_NAME, createFromJson, readSample } from '../sample';
import type { HandlersFor } from './types';

export const mapHandlers: HandlersFor<typeof mapMethods> = {
  'app.info': (_i, s) => ({
    version: s.version,
    host: s.host.kind,
    locale: s.host.locale,
    documentsDir: s.paths.documentsDir,
    initialMap: s.initialMap,
    language: s.settings.get().language,
  }),
  'recent.list': (_i, s) => s.settings.recent(),
  'app.setLanguage': (i, s) => {
    s.settings.update({ language: i.language });
    return null;
  },
  'host.pickOpenPath': (_i, s) => s.host.pickOpenPath(),
  'host.pickSavePath': (i, s) => s.host.pickSavePath(i.suggestedName),

  'map.create': async (i, s) => {
    const file = path.resolve(withMapExtension(i.path));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return adopt(s, await createMapFile(file, i.meta ?? {}));
  },
  'map.open': async (i, s) => {
    const file = path.resolve(i.path);
    if (s.store?.isOpen && s.store.location.path === file) return documentOf(s.store);
    return adopt(s, await openMapFile(file));
  },
  'map.openSample': async (i, s) => {
    // The sample in the UI language: its words and its file name.
    const lang = i.lang ?? sessionLang(s);
    const data = readSample(s.paths.resourcesDir, lang);
    fs.mkdirSync(s.paths.documentsDir, { recursive: true });
    const file = path.join(s.paths.documentsDir, SAMPLE_MAP_NAME[lang]);
    if (s.store?.isOpen && s.store.location.path === file) return documentOf(s.store);
    let store;
    try {
      store = await openMapFile(file);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 'FILE_NOT_FOUND') throw e;
      store = await createFromJson(file, data);
    }
    return adopt(s, store);
  },
  'map.get': (_i, s) => documentOf(s.requireStore()),
  'map.close': async (_i, s) => {
    await s.close();
    return null;
  },
  'map.updateMeta': (i, s) => rules.updateMeta(s.requireStore(), i),
  'steps.tick': (i, s) => rules.tickStep(s.requireStore(), i.id, i.done),

  'person.create': (i, s) => {
    const { at, evidenceSource, ...fields } = i;
    return rules.createPerson(s.requireStore(), fields, at, { by: s.actor(), source: evidenceSource });
  },
  'person.update': (i, s) => rules.updatePerson(s.requireStore(), i.id, i.patch, { by: s.actor(), source: i.evidenceSource }),
  'person.delete': (i, s) => rules.deletePerson(s.requireStore(), i.id),
  'profile.get': (i, s) => rules.getProfile(s.requireStore(), i.personId),
  'profile.update': (i, s) => rules.updateProfile(s.requireStore(), i.personId, i.patch),

  'relation.create': (i, s) => {
    const { evidenceSource, ...fields } = i;
    return rules.createRelation(s.requireStore(), fields, { by: s.actor(), source: evidenceSource });
  },
  'relation.update': (i, s) => rules.updateRelation(s.requireStore(), i.id, i.patch, { by: s.actor(), source: i.evidenceSource }),
  'evidence.confirm': (i, s) => rules.confirmFacts(s.requireStore(), i.facts, { by: s.actor(), source: i.evidenceSource }),
  'relation.delete': (i, s) => rules.deleteRelation(s.requireStore(), i.id),

  'team.create': (i, s) => rules.createMember(s.requireStore(), i),
  'team.update': (i, s) => rules.updateMember(s.requireStore(), i.id, i.patch),
  'team.delete': (i, s) => rules.deleteMember(s.requireStore(), i.id),
  'coverage.set': (i, s) => rules.setCoverage(s.requireStore(), i.memberId, i.personId, i.strength),

  'history.undo': (_i, s) => s.requireStore().undo(),
  'history.redo': (_i, s) => s.requireStore().redo(),

  'positions.set': async (i, s) => {
    await s.requireStore().setPositions(i.layout, i.positions);
    return null;
  },
  'positions.move': (i, s) => rules.movePositions(s.requireStore(), i.layout, i.positions),
  'positions.clear': async (i, s) => {
    await s.requireStore().clearPositions(i.layout);
    return null;
  },
};
