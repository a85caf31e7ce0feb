import { analyze } from '../../shared/analysis';
import type { analysisMethods } from '../../shared/api/analysis';
import { ApiError } from '../../shared/api/errors';
import { sessionLang } from '../lang';
import { coverage, meta, people, relations, team } from '../map/read';
import type { HandlersFor } from './types';

export const analysisHandlers: HandlersFor<typeof analysisMethods> = {
  'analysis.run': async (i, s) => {
    const data = await s.requireStore().read(async (src) => ({
      people: await people(src),
      relations: await relations(src),
      team: await team(src),
      coverage: await coverage(src),
      meta: await meta(src),
    }));
    if (i.attendees) {
      const ids = new Set(data.people.map((p) => p.id));
      const missing = i.attendees.filter((id) => !ids.has(id));
      if (missing.length) throw new ApiError('NOT_FOUND', `No person with id ${missing.slice(0, 5).join(', ')} in this map`, { id: missing[0]! });
    }
    return analyze(data, { attendees: i.attendees, lang: i.lang ?? sessionLang(s), stage: i.stage });
  },
};
