/**
 * The analysis speaks the UI language: red-flag messages, coach reasons and advice, in en-US and
 * zh-CN. Plain template functions (no i18n runtime) so the CLI, the main side and the renderer
 * produce the same sentences.
 */
import type { Attitude, Influence, Level, Relationship } from '../domain';
import type { Lang } from '../i18n/errors';

/** A note embedded in a sentence: without its closing full stop. */
const noteOf = (note: string): string => note.trim().replace(/[.。!！;；]+$/u, '');

const list = (lang: Lang, xs: readonly string[]): string => {
  if (lang === 'zh-CN') return xs.join('、');
  if (xs.length <= 2) return xs.join(' and ');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
};
/** At most `max` names, then "and N more". */
const some = (lang: Lang, xs: readonly string[], max = 4): string =>
  xs.length <= max
    ? list(lang, xs)
    : lang === 'zh-CN'
      ? `${xs.slice(0, max).join('、')}等 ${xs.length} 人`
      : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;

export const ATTITUDE_LABEL: Record<Lang, Record<Attitude, string>> = {
  'en-US': { champion: 'champion', supporter: 'supporter', neutral: 'neutral', opponent: 'opponent', 'strong-opponent': 'strong opponent' },
  'zh-CN': { champion: '坚定支持', supporter: '支持', neutral: '中立', opponent: '反对', 'strong-opponent': '坚决反对' },
};
export const INFLUENCE_LABEL: Record<Lang, Record<Influence, string>> = {
  'en-US': { high: 'high', medium: 'medium', low: 'low' },
  'zh-CN': { high: '高', medium: '中', low: '低' },
};
export const LEVEL_LABEL: Record<Lang, Record<Level, string>> = {
  'en-US': { decision: 'decision level', management: 'management level', operations: 'operations level' },
  'zh-CN': { decision: '决策层', management: '管理层', operations: '操作层' },
};
export const RELATIONSHIP_LABEL: Record<Lang, Record<Relationship, string>> = {
  'en-US': { outsider: 'outsider', friend: 'friend', supplier: 'supplier', partner: 'partner' },
  'zh-CN': { outsider: '局外人', friend: '朋友', supplier: '供应商', partner: '伙伴' },
};

export interface Messages {
  // red flags
  noCoach(best: string | null): string;
  coachNotSupporter(name: string, attitude: Attitude): string;
  noDecisionMaker(): string;
  dmAgainst(name: string, attitude: Attitude): string;
  dmNeutral(name: string): string;
  dmUncovered(name: string): string;
  dmWeakCoverage(name: string, members: string[]): string;
  dmFavours(name: string, competitor: string): string;
  dmNoPath(name: string): string;
  meetingConflict(a: string, b: string, note: string): string;
  keyConflict(a: string, b: string, note: string): string;
  coverageGap(name: string, weak: boolean): string;
  singleThreaded(name: string, member: string, what: string): string;
  memberLeaves(member: string, names: string[]): string;
  hiddenPowerUncovered(name: string, ranksWith: Level): string;
  keyOutsiders(outsiders: number, key: number): string;
  /** Evidence (issue 20): days since last verified, null when never; the map's threshold. */
  dmAttitudeUnverified(name: string, days: number | null, threshold: number): string;
  coachUnconfirmed(name: string, days: number | null, threshold: number): string;
  conflictGuess(a: string, b: string): string;
  /** What a person is, for single-threaded messages. */
  whatDecisionMaker: string;
  whatCoach: string;
  whatHighInfluence: string;
  // coach reasons
  reasonAttitude(a: Attitude): string;
  reasonBond(members: string[]): string;
  reasonRole(roles: string[]): string;
  reasonDepartment(dept: string): string;
  reasonSways(name: string): string;
  reasonSwayedBy(name: string): string;
  reasonAllied(name: string): string;
  reasonReportsDirect(name: string): string;
  reasonReportsTwo(name: string): string;
  reasonCredibility(i: Influence): string;
  reasonConflict(name: string): string;
  reasonFavours(competitor: string): string;
  reasonUncovered(): string;
  // advice
  adviceBond(names: string[]): string;
  adviceAccess(names: string[]): string;
  adviceNobody(): string;
  roleLabel(role: string): string;
}

const ROLE_EN: Record<string, string> = {
  user: 'user department: will live with the purchase',
  technical: 'technical buyer: judges the specification',
  procurement: 'procurement: runs the tender',
};
const ROLE_ZH: Record<string, string> = {
  user: '使用部门：日后要用这套系统',
  technical: '技术把关者：评判技术规格',
  procurement: '采购/财务：组织招标',
};

const EN: Messages = {
  noCoach: (best) =>
    best ? `No coach: nobody inside guides us. Best candidate: ${best}.` : 'No coach: nobody inside guides us, and no one is a candidate yet.',
  coachNotSupporter: (n, a) => `Coach ${n} is ${ATTITUDE_LABEL['en-US'][a]}, not a supporter: check what they tell us.`,
  noDecisionMaker: () => 'No decision maker is marked: we do not know who has the final say.',
  dmAgainst: (n, a) => `Decision maker ${n} is ${ATTITUDE_LABEL['en-US'][a]}.`,
  dmNeutral: (n) => `Decision maker ${n} is neutral: not yet won.`,
  dmUncovered: (n) => `Decision maker ${n} is covered by nobody of ours.`,
  dmWeakCoverage: (n, ms) => `Decision maker ${n} is covered only weakly (${list('en-US', ms)}).`,
  dmFavours: (n, c) => `Decision maker ${n} favours ${c}.`,
  dmNoPath: (n) => `No chain of influence leads from our supporters to decision maker ${n}.`,
  meetingConflict: (a, b, note) => `${a} and ${b} are in conflict: do not put them in the same meeting${noteOf(note) ? ` (${noteOf(note)})` : ''}.`,
  keyConflict: (a, b, note) => `Conflict between ${a} and ${b}${noteOf(note) ? ` (${noteOf(note)})` : ''}: siding with one may cost us the other.`,
  coverageGap: (n, weak) => (weak ? `${n} has high influence and is covered only weakly.` : `${n} has high influence and nobody of ours covers them.`),
  singleThreaded: (n, m, what) => `Our access to ${n} (${what}) hangs on ${m} alone.`,
  memberLeaves: (m, ns) => `If ${m} leaves, we lose our only contact with ${some('en-US', ns)}.`,
  hiddenPowerUncovered: (n, lvl) => `${n} ranks with the ${LEVEL_LABEL['en-US'][lvl]} in real influence, but nobody of ours covers them.`,
  keyOutsiders: (o, k) => `${o} of ${k} key people are outsiders to us: no personal bond and no service to their organization.`,
  dmAttitudeUnverified: (n, d, t) =>
    d === null
      ? `Decision maker ${n}'s attitude is unverified: nobody has confirmed it.`
      : `Decision maker ${n}'s attitude was last verified ${d} days ago (more than ${t}).`,
  coachUnconfirmed: (n, d, t) =>
    d === null
      ? `Coach ${n} has not been confirmed for more than ${t} days: are they still our coach?`
      : `Coach ${n} was last confirmed ${d} days ago (more than ${t}): are they still our coach?`,
  conflictGuess: (a, b) => `The conflict between ${a} and ${b} is known only by guess: confirm it before planning around it.`,
  whatDecisionMaker: 'decision maker',
  whatCoach: 'coach',
  whatHighInfluence: 'high influence',
  reasonAttitude: (a) => (a === 'champion' ? 'champions us' : 'supports us'),
  reasonBond: (ms) => (ms.length ? `personal bond with ${list('en-US', ms)}` : 'personal bond with our team'),
  reasonRole: (rs) => rs.map((r) => ROLE_EN[r] ?? r).join('; '),
  reasonDepartment: (d) => `${d} drafts or runs the buying`,
  reasonSways: (n) => `sways ${n}`,
  reasonSwayedBy: (n) => `listens to ${n}`,
  reasonAllied: (n) => `allied with ${n}`,
  reasonReportsDirect: (n) => `reports directly to ${n}`,
  reasonReportsTwo: (n) => `two steps below ${n}`,
  reasonCredibility: (i) => (i === 'high' ? 'high influence on the decision' : 'some influence on the decision'),
  reasonConflict: (n) => `in conflict with ${n}`,
  reasonFavours: (c) => `favours ${c}`,
  reasonUncovered: () => 'nobody of ours covers them yet',
  adviceBond: (ns) => `Build a personal bond with ${some('en-US', ns)}: they support us but nobody is close to them yet.`,
  adviceAccess: (ns) => `Win the support of ${some('en-US', ns)}: they have access to the decision.`,
  adviceNobody: () => 'Nobody supports us yet: start with the department that raised the need, and find who drafts the solution.',
  roleLabel: (r) => ROLE_EN[r] ?? r,
};

const ZH: Messages = {
  noCoach: (best) => (best ? `没有教练：内部没有人为我们引路。最佳人选：${best}。` : '没有教练：内部没有人为我们引路，目前也没有合适人选。'),
  coachNotSupporter: (n, a) => `教练 ${n} 的态度是“${ATTITUDE_LABEL['zh-CN'][a]}”，并不支持我们：对其提供的信息要多加核实。`,
  noDecisionMaker: () => '没有标出决策者：我们不知道谁拍板。',
  dmAgainst: (n, a) => `决策者 ${n} 态度为“${ATTITUDE_LABEL['zh-CN'][a]}”。`,
  dmNeutral: (n) => `决策者 ${n} 保持中立：尚未争取到。`,
  dmUncovered: (n) => `决策者 ${n} 没有我方人员覆盖。`,
  dmWeakCoverage: (n, ms) => `决策者 ${n} 仅被弱覆盖（${list('zh-CN', ms)}）。`,
  dmFavours: (n, c) => `决策者 ${n} 倾向于 ${c}。`,
  dmNoPath: (n) => `从我们的支持者到决策者 ${n} 没有任何影响链。`,
  meetingConflict: (a, b, note) => `${a} 与 ${b} 存在矛盾：不要安排在同一场活动${noteOf(note) ? `（${noteOf(note)}）` : ''}。`,
  keyConflict: (a, b, note) => `${a} 与 ${b} 之间存在矛盾${noteOf(note) ? `（${noteOf(note)}）` : ''}：站在一方可能失去另一方。`,
  coverageGap: (n, weak) => (weak ? `${n} 影响力高，但我方覆盖薄弱。` : `${n} 影响力高，但我方无人覆盖。`),
  singleThreaded: (n, m, what) => `我们与 ${n}（${what}）的联系只靠 ${m} 一人。`,
  memberLeaves: (m, ns) => `如果 ${m} 离开，我们将失去与 ${some('zh-CN', ns)} 的唯一联系。`,
  hiddenPowerUncovered: (n, lvl) => `${n} 的实际影响力可比${LEVEL_LABEL['zh-CN'][lvl]}，但我方无人覆盖。`,
  keyOutsiders: (o, k) => `${k} 位关键人物中有 ${o} 位与我们是局外人关系：既无私人关系，也未服务其机构。`,
  dmAttitudeUnverified: (n, d, t) => (d === null ? `决策者 ${n} 的态度未经核实：没有人确认过。` : `决策者 ${n} 的态度已 ${d} 天未核实（超过 ${t} 天）。`),
  coachUnconfirmed: (n, d, t) =>
    d === null ? `教练 ${n} 超过 ${t} 天未经确认：是否仍是我们的教练？` : `教练 ${n} 已 ${d} 天未确认（超过 ${t} 天）：是否仍是我们的教练？`,
  conflictGuess: (a, b) => `${a} 与 ${b} 之间的矛盾仅是推测：据此安排之前先核实。`,
  whatDecisionMaker: '决策者',
  whatCoach: '教练',
  whatHighInfluence: '高影响力',
  reasonAttitude: (a) => (a === 'champion' ? '坚定支持我们' : '支持我们'),
  reasonBond: (ms) => (ms.length ? `与 ${list('zh-CN', ms)} 有私人关系` : '与我方有私人关系'),
  reasonRole: (rs) => rs.map((r) => ROLE_ZH[r] ?? r).join('；'),
  reasonDepartment: (d) => `${d}参与起草或组织采购`,
  reasonSways: (n) => `能影响 ${n}`,
  reasonSwayedBy: (n) => `听取 ${n} 的意见`,
  reasonAllied: (n) => `与 ${n} 是同盟`,
  reasonReportsDirect: (n) => `直接向 ${n} 汇报`,
  reasonReportsTwo: (n) => `在 ${n} 之下两级`,
  reasonCredibility: (i) => (i === 'high' ? '对决策影响力高' : '对决策有一定影响力'),
  reasonConflict: (n) => `与 ${n} 有矛盾`,
  reasonFavours: (c) => `倾向于 ${c}`,
  reasonUncovered: () => '我方尚无人覆盖',
  adviceBond: (ns) => `与 ${some('zh-CN', ns)} 建立私人关系：他们支持我们，但还没有人与其走近。`,
  adviceAccess: (ns) => `争取 ${some('zh-CN', ns)} 的支持：他们能接触到决策。`,
  adviceNobody: () => '目前还没有人支持我们：从提出需求的部门入手，找到起草方案的人。',
  roleLabel: (r) => ROLE_ZH[r] ?? r,
};

export const MESSAGES: Record<Lang, Messages> = { 'en-US': EN, 'zh-CN': ZH };
