/**
 * Sentences of the buying-step analysis (issue 21): stage-aware red flags and next steps, in
 * en-US and zh-CN. Plain template functions, like messages.ts.
 */
import type { Attitude, Stage } from '../domain';
import type { Lang } from '../i18n/errors';
import type { StageRole } from './weights';

const noteOf = (note: string): string => note.trim().replace(/[.。!！;；]+$/u, '');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const count = (x: number) => (Number.isFinite(x) && x < 1e15 ? String(Math.round(x)) : x.toExponential(2));

export const STEP_NAME: Record<Lang, Record<Stage, string>> = {
  'en-US': {
    need: 'need',
    feasibility: 'feasibility study',
    approval: 'project approval',
    specification: 'specification',
    tender: 'tender',
    evaluation: 'bid evaluation',
    contract: 'contract review',
    delivery: 'signing and delivery',
  },
  'zh-CN': {
    need: '发现问题',
    feasibility: '可行性研究',
    approval: '立项',
    specification: '确定采购技术标准',
    tender: '招标',
    evaluation: '评标',
    contract: '合同审核',
    delivery: '签订协议/交付实施',
  },
};

export const STAGE_ROLE_NAME: Record<Lang, Record<StageRole, string>> = {
  'en-US': {
    'decision-maker': 'decision maker',
    user: 'user buyer',
    technical: 'technical buyer',
    procurement: 'procurement / finance',
    coach: 'coach',
    other: 'no buyer role',
  },
  'zh-CN': {
    'decision-maker': '决策者',
    user: '使用者',
    technical: '技术把关者',
    procurement: '采购/财务',
    coach: '教练',
    other: '无采购角色',
  },
};

/** How the introducer stands to the person we want to meet. */
export type LinkKind = 'sways' | 'ally' | 'report' | 'boss';

export interface Cover {
  member: string;
  strength: 1 | 2 | 3;
}

export interface StepMessages {
  // stage-aware red flags
  stageRoleMissing(stage: Stage, role: StageRole): string;
  stageKeyAgainst(stage: Stage, role: StageRole, name: string, attitude: Attitude | null, favours: string): string;
  stageKeyUncovered(stage: Stage, role: StageRole, name: string, weak: boolean): string;
  // next steps
  findCoach(candidate: string | null, reasons: string[]): string;
  fillRole(stage: Stage, role: StageRole): string;
  winBack(stage: Stage, role: StageRole, name: string, attitude: Attitude | null, favours: string, cover: Cover | null): string;
  routeAround(name: string, through: number, total: number, target: string): string;
  meet(target: string, intro: string, link: LinkKind, attitude: Attitude, cover: Cover | null, chain: string[] | null, source: string): string;
  findWay(target: string, coach: string | null): string;
  separate(a: string, b: string, note: string): string;
  secondContact(name: string, member: string): string;
}

const STRENGTH_EN = { 1: 'weak', 2: 'good', 3: 'strong' } as const;
const STRENGTH_ZH = { 1: '弱', 2: '中', 3: '强' } as const;
const ATT_EN: Record<Attitude, string> = {
  champion: 'champions us',
  supporter: 'supports us',
  neutral: 'neutral',
  opponent: 'an opponent',
  'strong-opponent': 'a strong opponent',
};
const ATT_ZH: Record<Attitude, string> = {
  champion: '坚定支持我们',
  supporter: '支持我们',
  neutral: '态度中立',
  opponent: '反对我们',
  'strong-opponent': '坚决反对我们',
};
const LINK_EN: Record<LinkKind, string> = { sways: 'has their ear', ally: 'an ally', report: 'a direct report', boss: 'their boss' };
const LINK_ZH: Record<LinkKind, string> = { sways: '能影响对方', ally: '对方的同盟', report: '对方的直接下属', boss: '对方的上级' };

const coverEn = (c: Cover | null) => (c ? `covered by ${c.member}, ${STRENGTH_EN[c.strength]}` : 'nobody of ours covers them yet');
const coverZh = (c: Cover | null) => (c ? `由 ${c.member} 覆盖，关系${STRENGTH_ZH[c.strength]}` : '我方尚无人覆盖');

const EN: StepMessages = {
  stageRoleMissing: (s, r) => `${cap(STEP_NAME['en-US'][s])} step: nobody holds the ${STAGE_ROLE_NAME['en-US'][r]} role, and it weighs most now.`,
  stageKeyAgainst: (s, r, n, a, f) => {
    const parts = [a ? `is ${ATT_EN[a]}` : '', f ? `leans to ${f}` : ''].filter(Boolean);
    return `${cap(STEP_NAME['en-US'][s])} step: the ${STAGE_ROLE_NAME['en-US'][r]} ${n} ${parts.join(' and ')}.`;
  },
  stageKeyUncovered: (s, r, n, weak) =>
    `${cap(STEP_NAME['en-US'][s])} step: ${STAGE_ROLE_NAME['en-US'][r]} ${n} is ${weak ? 'covered only weakly' : 'covered by nobody of ours'}.`,
  findCoach: (c, rs) =>
    c
      ? `Develop ${c} as our coach${rs.length ? ` (${rs.join('; ')})` : ''}.`
      : 'Find a coach: someone inside who explains the process and tells us where the competitors stand.',
  fillRole: (s, r) =>
    `Find out who the ${STAGE_ROLE_NAME['en-US'][r]} is: nobody on the map holds that role, and it weighs most at the ${STEP_NAME['en-US'][s]} step.`,
  winBack: (s, r, n, a, f, c) => {
    const parts = [a ? ATT_EN[a] : '', f ? `leans to ${f}` : ''].filter(Boolean);
    return `Win back ${n} before the ${STEP_NAME['en-US'][s]} step closes (${STAGE_ROLE_NAME['en-US'][r]}, ${parts.join(', ')}; ${coverEn(c)}).`;
  },
  routeAround: (n, x, y, t) => `Win over ${n} or route around: ${n} sits on ${count(x)} of ${count(y)} shortest paths from our supporters to ${t}.`,
  meet: (t, i, link, a, c, chain, src) =>
    chain
      ? `Meet ${t} through ${i} (${LINK_EN[link]}), reached from ${src} (${chain.join(' → ')}; ${src} ${ATT_EN[a]}, ${coverEn(c)}).`
      : `Meet ${t} through ${i} (${LINK_EN[link]}, ${ATT_EN[a]}; ${coverEn(c)}).`,
  findWay: (t, coach) =>
    coach
      ? `Find a way to ${t}: none of our supporters leads there; ask ${coach} who could introduce us.`
      : `Find a way to ${t}: none of our supporters leads there; find out whom ${t} listens to.`,
  separate: (a, b, note) => `Invite ${a} and ${b} separately: they are in conflict${noteOf(note) ? ` (${noteOf(note)})` : ''}.`,
  secondContact: (n, m) => `Add a second contact for ${n}: only ${m} covers them.`,
};

const ZH: StepMessages = {
  stageRoleMissing: (s, r) => `“${STEP_NAME['zh-CN'][s]}”阶段：没有人担任${STAGE_ROLE_NAME['zh-CN'][r]}，而此时这一角色最关键。`,
  stageKeyAgainst: (s, r, n, a, f) => {
    const parts = [a ? ATT_ZH[a] : '', f ? `倾向于 ${f}` : ''].filter(Boolean);
    return `“${STEP_NAME['zh-CN'][s]}”阶段：${STAGE_ROLE_NAME['zh-CN'][r]} ${n} ${parts.join('，且')}。`;
  },
  stageKeyUncovered: (s, r, n, weak) =>
    `“${STEP_NAME['zh-CN'][s]}”阶段：${STAGE_ROLE_NAME['zh-CN'][r]} ${n} ${weak ? '仅被弱覆盖' : '没有我方人员覆盖'}。`,
  findCoach: (c, rs) => (c ? `把 ${c} 发展为我们的教练${rs.length ? `（${rs.join('；')}）` : ''}。` : '寻找教练：找到能讲清采购流程、告诉我们竞争对手动向的内部人士。'),
  fillRole: (s, r) => `弄清谁是${STAGE_ROLE_NAME['zh-CN'][r]}：地图上没有人担任这一角色，而在“${STEP_NAME['zh-CN'][s]}”阶段它最关键。`,
  winBack: (s, r, n, a, f, c) => {
    const parts = [a ? ATT_ZH[a] : '', f ? `倾向于 ${f}` : ''].filter(Boolean);
    return `在“${STEP_NAME['zh-CN'][s]}”阶段结束前争取 ${n}（${STAGE_ROLE_NAME['zh-CN'][r]}，${parts.join('，')}；${coverZh(c)}）。`;
  },
  routeAround: (n, x, y, t) => `争取 ${n} 或绕开此人：我们的支持者通往 ${t} 的 ${count(y)} 条最短路径中，有 ${count(x)} 条经过 ${n}。`,
  meet: (t, i, link, a, c, chain, src) =>
    chain
      ? `通过 ${i}（${LINK_ZH[link]}）约见 ${t}，由 ${src} 牵线（${chain.join(' → ')}；${src}${ATT_ZH[a]}，${coverZh(c)}）。`
      : `通过 ${i} 约见 ${t}（${LINK_ZH[link]}，${ATT_ZH[a]}；${coverZh(c)}）。`,
  findWay: (t, coach) =>
    coach
      ? `寻找接近 ${t} 的途径：我们的支持者中没有人能引荐；请 ${coach} 指点谁能引荐。`
      : `寻找接近 ${t} 的途径：我们的支持者中没有人能引荐；先弄清此人听谁的意见。`,
  separate: (a, b, note) => `分别邀请 ${a} 和 ${b}：二人有矛盾${noteOf(note) ? `（${noteOf(note)}）` : ''}。`,
  secondContact: (n, m) => `为 ${n} 增加第二条联系：目前只有 ${m} 一人覆盖。`,
};

export const STEP_MESSAGES: Record<Lang, StepMessages> = { 'en-US': EN, 'zh-CN': ZH };
