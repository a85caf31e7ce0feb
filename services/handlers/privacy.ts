import type { privacyMethods } from '../../shared/api/privacy';
import { erasablePeople, purgePerson, stripPersonal } from '../privacy/purge';
import type { HandlersFor } from './types';

export const privacyHandlers: HandlersFor<typeof privacyMethods> = {
  'person.purge': (i, s) => purgePerson(s.requireStore(), i.id),
  'privacy.erasable': (_i, s) => erasablePeople(s.requireStore()),
  'map.stripPersonal': (i, s) => stripPersonal(s.requireStore(), i),
};
