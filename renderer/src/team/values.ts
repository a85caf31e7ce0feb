/**
 * A stored value of a team map's row as a reader says it (the history's diffs, the "replaced your
 * value" notice): domain words in the UI language, yes/no, a list of roles.
 */
import { ATTITUDE_LABEL, INFLUENCE_LABEL, LEVEL_LABEL, RELATION_LABEL, ROLE_LABEL, STAGE_LABEL } from '../../../shared/i18n/domain';
import type { Lang } from '../../../shared/i18n/errors';

const VALUE_LABELS: Record<string, Record<string, Record<Lang, string>>> = {
  attitude: ATTITUDE_LABEL,
  influence: INFLUENCE_LABEL,
  level: LEVEL_LABEL,
  kind: RELATION_LABEL,
  stage: STAGE_LABEL,
};
const YES_NO = new Set(['serves_org', 'personal_bond', 'pinned']);

export function saidValue(field: string, v: string, lang: Lang, yes: string, no: string): string {
  if (v === '') return v;
  if (YES_NO.has(field)) return v === '1' ? yes : no;
  const words = VALUE_LABELS[field]?.[v];
  if (words) return words[lang];
  if (field === 'roles') {
    try {
      const roles = JSON.parse(v) as unknown;
      if (Array.isArray(roles)) return roles.map((r) => ROLE_LABEL[String(r)]?.[lang] ?? String(r)).join(lang === 'zh-CN' ? '、' : ', ');
    } catch {
      /* shown as stored */
    }
  }
  return v;
}
