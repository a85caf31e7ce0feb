import { analyze } from '../../shared/analysis';
import type { analysisMethods } from '../../shared/api/analysis';
import { ApiError } from '../../shared/api/errors';
import { langFromLocale } from '../../shared/i18n/errors';
import type { HandlersFor } from './types';

export const analysisHandlers: HandlersFor<typeof analysisMethods> = {
  'analysis.run': (i, s) => {
    const store = s.requireStore();
    const people = store.people();
    if (i.attendees) {
      const ids = new Set(people.map((p) => p.id));
      const missing = i.attendees.filter((id) => !ids.has(id));
      if (missing.length)
        throw new ApiError('NOT_FOUND', `No person with id ${missing.slice(0, 5).join(', ')} in this map`, { id: missing[0]! });
    }
    return analyze(
      { people, relations: store.relations(), team: store.team(), coverage: store.coverage(), meta: store.meta() },
      { attendees: i.attendees, lang: i.lang ?? langFromLocale(s.host.locale) },
    );
  },
};
