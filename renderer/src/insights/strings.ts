/** The Insights panel's own words, in both UI languages (the analysis brings its own sentences). */
import type { Lang } from '../../../shared/i18n/errors';
import type { Severity } from '../../../shared/analysis';

export interface InsightsStrings {
  title: string;
  updating: string;
  redFlags: string;
  noRedFlags: string;
  severity: Record<Severity, string>;
  meeting: string;
  meetingHint: string;
  meetingSearch: string;
  meetingNoMatch: string;
  meetingClear: string;
  meetingNone: string;
  meetingClean: string;
  meetingAllies: string;
  meetingPick: string;
  meetingOurs: string;
  meetingUncovered: string;
  coach: string;
  confirmedCoaches: string;
  noCoach: string;
  candidates: string;
  noCandidates: string;
  markCoach: string;
  marking: string;
  marked(name: string): string;
  undo: string;
  nextSteps: string;
  points(n: number): string;
  decisionMakers: string;
  noDecisionMakers: string;
  coveredBy: string;
  nobody: string;
  paths: string;
  noPath: string;
  strength: string;
  ranking: string;
  hiddenPower: string;
  hiddenPowerTip(level: string): string;
  showAll(n: number): string;
  showFewer: string;
  conflicts: string;
  noConflicts: string;
  coverage: string;
  gaps: string;
  noGaps: string;
  weakly: string;
  singleThreaded: string;
  ifLeaves: string;
  uncovers: string;
  nothingLost: string;
  mix: string;
  mixHint: string;
  influence: string;
  more(n: number): string;
  step: string;
  stepWhatIf: string;
  stepOwn(step: string): string;
  stepShow: string;
  stepNow: string;
  stepWeights: string;
  weightsEdit: string;
  weightsDefault: (v: string) => string;
  weightsReset: string;
  weightsHint: string;
  plan: string;
  noPlan: string;
  stepTick: string;
  stepReopen: string;
  chokepoints: string;
  noChokepoints: string;
  cuts(x: number, y: number, to: string): string;
  roleTable: string;
  roleGap: string;
  cover: Record<'strong' | 'weak' | 'none' | 'empty', string>;
}

const EN: InsightsStrings = {
  title: 'Insights',
  updating: 'Updating…',
  redFlags: 'Red flags',
  noRedFlags: 'Nothing to flag.',
  severity: { high: 'High', medium: 'Medium', low: 'Low' },
  meeting: 'Meeting planner',
  meetingHint: 'Tick who you plan to meet together: conflicts and alliances show at once.',
  meetingSearch: 'Find a person to invite: name, title, pinyin…',
  meetingNoMatch: 'Nobody matches.',
  meetingClear: 'Clear',
  meetingNone: 'Nobody ticked yet.',
  meetingClean: 'No conflict among these people.',
  meetingAllies: 'Allies in the room',
  meetingPick: 'Invite',
  meetingOurs: 'our team',
  meetingUncovered: 'Nobody of ours in this meeting covers:',
  coach: 'Coach',
  confirmedCoaches: 'Confirmed coaches',
  noCoach: 'No coach marked.',
  candidates: 'Coach candidates',
  noCandidates: 'No candidate yet.',
  markCoach: 'Mark as coach',
  marking: 'Marking…',
  marked: (n) => `${n} is now marked as coach.`,
  undo: 'Undo',
  nextSteps: 'What to do next',
  points: (n) => (n > 0 ? `+${n}` : String(n)),
  decisionMakers: 'Decision makers',
  noDecisionMakers: 'No decision maker marked.',
  coveredBy: 'covered by',
  nobody: 'nobody',
  paths: 'Paths to decision makers',
  noPath: 'No chain of influence from our supporters.',
  strength: 'strength',
  ranking: 'Influence ranking',
  hiddenPower: 'hidden power',
  hiddenPowerTip: (l) => `Ranks with the ${l} though their title is lower`,
  showAll: (n) => `Show all ${n}`,
  showFewer: 'Show fewer',
  conflicts: 'Conflicts',
  noConflicts: 'No conflict recorded.',
  coverage: 'Coverage',
  gaps: 'Gaps: high influence, covered by nobody or weakly',
  noGaps: 'No gap.',
  weakly: 'weakly',
  singleThreaded: 'Hangs on one of ours',
  ifLeaves: 'If one of ours leaves',
  uncovers: 'uncovers',
  nothingLost: 'nothing',
  mix: 'Relationship mix',
  mixHint: 'among key people',
  influence: 'influence',
  more: (n) => `… and ${n} more`,
  step: 'This buying step',
  stepWhatIf: 'What if the deal were at',
  stepOwn: (s) => `the map's own step (${s})`,
  stepShow: 'Show on the map',
  stepNow: 'Matter most now',
  stepWeights: 'Role weights at this step',
  weightsEdit: 'Edit this map’s weights',
  weightsDefault: (v) => `default ${v}`,
  weightsReset: 'Reset to defaults',
  weightsHint: 'Each role’s weight at this step, 0 to 1. Saved in the map; undo with Ctrl+Z. The defaults are in docs/ANALYSIS.md.',
  plan: 'Next steps',
  noPlan: 'Nothing to do that the map can tell.',
  stepTick: 'Done: tick it off',
  stepReopen: 'Not done after all: open it again',
  chokepoints: 'Chokepoints',
  noChokepoints: 'No opponent or neutral sits across the paths from our supporters to the decision makers.',
  cuts: (x, y, to) => `${x} of ${y} shortest paths to ${to}`,
  roleTable: 'Coverage by role',
  roleGap: 'gap',
  cover: { strong: 'covered', weak: 'weakly', none: 'nobody', empty: '' },
};

const ZH: InsightsStrings = {
  title: '洞察',
  updating: '更新中…',
  redFlags: '风险提示',
  noRedFlags: '没有需要提示的风险。',
  severity: { high: '高', medium: '中', low: '低' },
  meeting: '会面规划',
  meetingHint: '勾选计划一起会面的人：矛盾与同盟即时显示。',
  meetingSearch: '查找要邀请的人：姓名、职务、拼音…',
  meetingNoMatch: '没有匹配的人。',
  meetingClear: '清空',
  meetingNone: '尚未勾选任何人。',
  meetingClean: '这些人之间没有矛盾。',
  meetingAllies: '在场的同盟',
  meetingPick: '邀请',
  meetingOurs: '我方',
  meetingUncovered: '与会的我方人员都不覆盖：',
  coach: '教练',
  confirmedCoaches: '已确认的教练',
  noCoach: '尚未标出教练。',
  candidates: '教练人选',
  noCandidates: '暂无人选。',
  markCoach: '标为教练',
  marking: '标记中…',
  marked: (n) => `已将 ${n} 标为教练。`,
  undo: '撤销',
  nextSteps: '下一步',
  points: (n) => (n > 0 ? `+${n}` : String(n)),
  decisionMakers: '决策者',
  noDecisionMakers: '尚未标出决策者。',
  coveredBy: '覆盖人',
  nobody: '无人',
  paths: '通往决策者的影响链',
  noPath: '我们的支持者没有通往此人的影响链。',
  strength: '强度',
  ranking: '影响力排名',
  hiddenPower: '隐性权力',
  hiddenPowerTip: (l) => `职位不高，实际影响力可比${l}`,
  showAll: (n) => `显示全部（${n}）`,
  showFewer: '收起',
  conflicts: '矛盾',
  noConflicts: '没有记录矛盾。',
  coverage: '覆盖',
  gaps: '缺口：高影响力但无人覆盖或覆盖薄弱',
  noGaps: '没有缺口。',
  weakly: '薄弱',
  singleThreaded: '只靠我方一人联系',
  ifLeaves: '如果我方有人离开',
  uncovers: '将失去',
  nothingLost: '无',
  mix: '关系构成',
  mixHint: '关键人物中',
  influence: '影响力',
  more: (n) => `… 另有 ${n} 项`,
  step: '当前采购阶段',
  stepWhatIf: '假如项目处于',
  stepOwn: (s) => `地图所记阶段（${s}）`,
  stepShow: '在地图上显示',
  stepNow: '此时最关键',
  stepWeights: '此阶段各角色权重',
  weightsEdit: '编辑本地图的权重',
  weightsDefault: (v) => `默认 ${v}`,
  weightsReset: '恢复默认值',
  weightsHint: '此阶段各角色的权重，0 到 1。保存在地图中，可按 Ctrl+Z 撤销。默认值见分析说明文档。',
  plan: '下一步行动',
  noPlan: '从地图上看不出需要做的事。',
  stepTick: '已完成：勾掉',
  stepReopen: '尚未完成：重新打开',
  chokepoints: '卡点',
  noChokepoints: '我们的支持者通往决策者的路径上没有反对者或中立者把守。',
  cuts: (x, y, to) => `通往 ${to} 的 ${y} 条最短路径中占 ${x} 条`,
  roleTable: '按角色的覆盖',
  roleGap: '缺口',
  cover: { strong: '已覆盖', weak: '薄弱', none: '无人', empty: '' },
};

export const INSIGHTS_STRINGS: Record<Lang, InsightsStrings> = { 'en-US': EN, 'zh-CN': ZH };
