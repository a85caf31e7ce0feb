/**
 * One line of text per difference, in English or Chinese: used by the Time panel, the CLI
 * (`powermap diff`) and the deal-review PDF ("changes since <snapshot>").
 */
import { FACT_LABEL, FRESHNESS_LABEL, sourceName } from '../i18n/evidence';
import type { EvidenceSide } from './compare';
import {
  ATTITUDE_LABEL,
  INFLUENCE_LABEL,
  LEVEL_LABEL,
  POSTURE_LABEL,
  RELATIONSHIP_LABEL,
  ROLE_LABEL,
  STAGE_LABEL,
  type Labels,
} from '../i18n/domain';
import type { Lang } from '../i18n/errors';
import { sectionOf, type Difference, type MapDiff, type Ref, type Section } from './compare';

type Dict = Record<string, string>;

/** Words of our own (relation kinds as nouns, yes/no); the domain vocabulary comes from shared/i18n/domain. */
const VOCAB: Record<Lang, Dict> = {
  'en-US': { influence: 'influence', alliance: 'alliance', conflict: 'conflict', true: 'yes', false: 'no' },
  'zh-CN': { influence: '影响', alliance: '同盟', conflict: '矛盾', true: '是', false: '否' },
};
const DOMAIN: Record<string, Labels> = {
  ...ATTITUDE_LABEL,
  ...INFLUENCE_LABEL,
  ...ROLE_LABEL,
  ...RELATIONSHIP_LABEL,
  ...LEVEL_LABEL,
  ...STAGE_LABEL,
  ...POSTURE_LABEL,
};

const FIELD: Record<Lang, Dict> = {
  'en-US': {
    title: 'title',
    department: 'department',
    level: 'level',
    account: 'client',
    deal: 'project',
    stage: 'stage',
    posture: 'our posture',
    incumbent: 're-bid (incumbent)',
    competitors: 'competitors',
    budget: 'budget',
    timeline: 'timeline',
  },
  'zh-CN': {
    title: '职务',
    department: '部门',
    level: '层级',
    account: '客户',
    deal: '项目',
    stage: '阶段',
    posture: '进入姿态',
    incumbent: '再投标',
    competitors: '竞争对手',
    budget: '预算',
    timeline: '时间表',
  },
};

export const SECTION_TITLES: Record<Lang, Record<Section, string>> = {
  'en-US': {
    people: 'People: joined, left, moved',
    stance: 'Attitude, influence, relationship',
    relations: 'Relations (new conflicts first)',
    coverage: 'Coverage by our team',
    team: 'Our team',
    deal: 'The deal',
  },
  'zh-CN': {
    people: '人员：加入、离开、调动',
    stance: '态度、影响力、关系',
    relations: '关系线（新矛盾优先）',
    coverage: '我方覆盖',
    team: '我方团队',
    deal: '项目信息',
  },
};

/** The word for a vocabulary value (attitude, role, stage…) in `lang`, as used inside a sentence; unknown values come back as they are. */
export function vocab(lang: Lang, v: string): string {
  const own = VOCAB[lang][v];
  if (own !== undefined) return own;
  const word = Object.hasOwn(DOMAIN, v) ? DOMAIN[v]![lang] : undefined;
  if (word === undefined) return v;
  return lang === 'en-US' && /^[A-Z][a-z]/.test(word) ? word[0]!.toLowerCase() + word.slice(1) : word;
}
const v = vocab;
const field = (lang: Lang, f: string): string => FIELD[lang][f] ?? f;
const cap = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const none = (lang: Lang) => (lang === 'zh-CN' ? '（无）' : '(none)');
const q = (lang: Lang, s: string) => (s ? (lang === 'zh-CN' ? `“${s}”` : `“${s}”`) : none(lang));
const nm = (r: Ref | null, lang: Lang) => (r ? r.name : none(lang));
const list = (lang: Lang, xs: string[]) => xs.map((x) => v(lang, x)).join(lang === 'zh-CN' ? '、' : ', ');
const strength = (lang: Lang, s: number) => (lang === 'zh-CN' ? `强度 ${s}` : `strength ${s}`);

/** One line describing a difference. */
export function describeDifference(d: Difference, lang: Lang): string {
  const zh = lang === 'zh-CN';
  switch (d.kind) {
    case 'person-joined': {
      const role = [d.title, d.department].filter(Boolean).join(zh ? '，' : ', ');
      const boss = d.reportsTo ? (zh ? `，向 ${d.reportsTo.name} 汇报` : `, reports to ${d.reportsTo.name}`) : '';
      return zh ? `新加入：${d.person.name}${role ? `（${role}）` : ''}${boss}` : `Joined: ${d.person.name}${role ? ` (${role})` : ''}${boss}`;
    }
    case 'person-left': {
      const role = [d.title, d.department].filter(Boolean).join(zh ? '，' : ', ');
      const cov = d.coveredBy.length
        ? zh
          ? `；曾由 ${d.coveredBy.map((m) => m.name).join('、')} 覆盖`
          : `; was covered by ${d.coveredBy.map((m) => m.name).join(', ')}`
        : '';
      return zh ? `已离开：${d.person.name}${role ? `（${role}）` : ''}${cov}` : `Left: ${d.person.name}${role ? ` (${role})` : ''}${cov}`;
    }
    case 'reports-to':
      return zh
        ? `${d.person.name} 的汇报对象：${nm(d.before, lang)} → ${nm(d.after, lang)}`
        : `${d.person.name} now reports to ${nm(d.after, lang)} (was ${nm(d.before, lang)})`;
    case 'person-moved': {
      const show = (s: string) => (d.field === 'level' ? (s ? v(lang, s) : none(lang)) : q(lang, s));
      return zh
        ? `${d.person.name} 的${field(lang, d.field)}：${show(d.before)} → ${show(d.after)}`
        : `${d.person.name}: ${field(lang, d.field)} ${show(d.before)} → ${show(d.after)}`;
    }
    case 'person-renamed':
      return zh ? `更名：${d.before} → ${d.after}` : `Renamed: ${d.before} → ${d.after}`;
    case 'attitude': {
      const arrow = d.direction === 'better' ? '↑' : '↓';
      return zh
        ? `${arrow} ${d.person.name} 的态度：${v(lang, d.before)} → ${v(lang, d.after)}（${d.direction === 'better' ? '转好' : '转差'}）`
        : `${arrow} ${d.person.name}: attitude ${v(lang, d.before)} → ${v(lang, d.after)} (${d.direction === 'better' ? 'warmer' : 'cooler'})`;
    }
    case 'influence': {
      const arrow = d.direction === 'up' ? '↑' : '↓';
      return zh
        ? `${arrow} ${d.person.name} 的影响力：${v(lang, d.before)} → ${v(lang, d.after)}`
        : `${arrow} ${d.person.name}: influence ${v(lang, d.before)} → ${v(lang, d.after)}`;
    }
    case 'relationship': {
      const dir = zh ? { closer: '更近', further: '更远', mixed: '变化' }[d.direction] : { closer: 'closer', further: 'further', mixed: 'changed' }[d.direction];
      return zh
        ? `${d.person.name} 与我们的关系：${v(lang, d.before)} → ${v(lang, d.after)}（${dir}）`
        : `${d.person.name}: our relationship ${v(lang, d.before)} → ${v(lang, d.after)} (${dir})`;
    }
    case 'roles': {
      const parts: string[] = [];
      if (d.added.length) parts.push(zh ? `新增角色 ${list(lang, d.added)}` : `now ${list(lang, d.added)}`);
      if (d.removed.length) parts.push(zh ? `不再是 ${list(lang, d.removed)}` : `no longer ${list(lang, d.removed)}`);
      return `${d.person.name}: ${parts.join(zh ? '；' : '; ')}`;
    }
    case 'favours':
      return zh
        ? `${d.person.name} 倾向的竞争对手：${q(lang, d.before)} → ${q(lang, d.after)}`
        : `${d.person.name}: favours ${q(lang, d.before)} → ${q(lang, d.after)}`;
    case 'evidence': {
      const side = (e: EvidenceSide) =>
        `${sourceName(e.source, lang)}${zh ? '，' : ', '}${e.verifiedOn ? (zh ? `${e.verifiedOn} 核实` : `verified ${e.verifiedOn}`) : FRESHNESS_LABEL.unverified[lang]}`;
      return zh
        ? `${d.person.name} 的${FACT_LABEL[d.fact][lang]}依据：${side(d.before)} → ${side(d.after)}`
        : `${d.person.name}: how we know the ${FACT_LABEL[d.fact][lang].toLowerCase()}: ${side(d.before)} → ${side(d.after)}`;
    }
    case 'relation-added':
      return zh
        ? `${d.relation === 'conflict' ? '⚠ 新矛盾' : `新${v(lang, d.relation)}关系`}：${d.source.name} — ${d.target.name}`
        : `${d.relation === 'conflict' ? '⚠ New conflict' : `New ${v(lang, d.relation)}`}: ${d.source.name} ${d.relation === 'influence' ? '→' : '—'} ${d.target.name}`;
    case 'relation-removed':
      return zh
        ? `${v(lang, d.relation)}关系已消失：${d.source.name} — ${d.target.name}`
        : `${d.relation === 'conflict' ? 'Conflict' : d.relation === 'alliance' ? 'Alliance' : 'Influence'} gone: ${d.source.name} ${d.relation === 'influence' ? '→' : '—'} ${d.target.name}`;
    case 'relation-strength':
      return zh
        ? `${v(lang, d.relation)}：${d.source.name} — ${d.target.name}，${strength(lang, d.before)} → ${d.after}`
        : `${d.relation === 'conflict' ? 'Conflict' : d.relation === 'alliance' ? 'Alliance' : 'Influence'} ${d.source.name} ${d.relation === 'influence' ? '→' : '—'} ${d.target.name}: ${strength(lang, d.before)} → ${d.after}`;
    case 'coverage-gained':
      return zh ? `+ ${d.member.name} 开始覆盖 ${d.person.name}（${strength(lang, d.strength)}）` : `+ ${d.member.name} now covers ${d.person.name} (${strength(lang, d.strength)})`;
    case 'coverage-lost':
      return zh ? `− ${d.member.name} 不再覆盖 ${d.person.name}` : `− ${d.member.name} no longer covers ${d.person.name}`;
    case 'coverage-strength':
      return zh
        ? `${d.member.name} 对 ${d.person.name} 的覆盖：${strength(lang, d.before)} → ${d.after}`
        : `${d.member.name} covers ${d.person.name}: ${strength(lang, d.before)} → ${d.after}`;
    case 'member-joined':
      return zh ? `我方新成员：${d.member.name}${d.role ? `（${d.role}）` : ''}` : `Joined our team: ${d.member.name}${d.role ? ` (${d.role})` : ''}`;
    case 'member-left': {
      const cov = d.covered.length ? (zh ? `；覆盖随之失去：${d.covered.map((p) => p.name).join('、')}` : `; coverage lost: ${d.covered.map((p) => p.name).join(', ')}`) : '';
      return zh ? `离开我方团队：${d.member.name}${cov}` : `Left our team: ${d.member.name}${cov}`;
    }
    case 'deal': {
      const show = (s: string) => (d.field === 'stage' || d.field === 'posture' || d.field === 'incumbent' ? v(lang, s) : q(lang, s));
      return zh ? `${field(lang, d.field)}：${show(d.before)} → ${show(d.after)}` : `${cap(field(lang, d.field))}: ${show(d.before)} → ${show(d.after)}`;
    }
  }
}

/** The differences grouped by section, in list order, each with its title and lines. */
export function describeDiff(diff: MapDiff, lang: Lang): { section: Section; title: string; lines: string[] }[] {
  const groups = new Map<Section, string[]>();
  for (const d of diff.differences) {
    const s = sectionOf(d);
    (groups.get(s) ?? groups.set(s, []).get(s)!).push(describeDifference(d, lang));
  }
  return [...groups].map(([section, lines]) => ({ section, title: SECTION_TITLES[lang][section], lines }));
}
