/**
 * Names of the domain vocabulary in both UI languages (roles, attitudes, stages, …), shared by the
 * screen, the report and the CLI so a word reads the same everywhere.
 */
import type {
  Attitude,
  Influence,
  Level,
  PersonFunction,
  Posture,
  ProfileField,
  RelationKind,
  Relationship,
  Stage,
} from '../domain';
import type { Lang } from './errors';

export type Labels = Record<Lang, string>;
const L = (en: string, zh: string): Labels => ({ 'en-US': en, 'zh-CN': zh });

export const ATTITUDE_LABEL: Record<Attitude, Labels> = {
  champion: L('Champion', '坚定支持'),
  supporter: L('Supporter', '支持'),
  neutral: L('Neutral', '中立'),
  opponent: L('Opponent', '反对'),
  'strong-opponent': L('Strong opponent', '坚决反对'),
};

export const INFLUENCE_LABEL: Record<Influence, Labels> = {
  high: L('High', '高'),
  medium: L('Medium', '中'),
  low: L('Low', '低'),
};

export const ROLE_LABEL: Record<string, Labels> = {
  'decision-maker': L('Decision maker', '决策者'),
  user: L('User buyer', '使用者'),
  technical: L('Technical buyer', '技术把关者'),
  procurement: L('Procurement / finance', '采购/财务'),
  coach: L('Coach', '教练'),
};
/** A role's name: built-in roles are translated, user-defined ones shown as typed. */
export const roleName = (role: string, lang: Lang): string => ROLE_LABEL[role]?.[lang] ?? role;

export const RELATION_LABEL: Record<RelationKind, Labels> = {
  reports_to: L('Reports to', '汇报'),
  influence: L('Influences', '影响'),
  alliance: L('Alliance', '同盟'),
  conflict: L('Conflict', '矛盾'),
};

export const RELATIONSHIP_LABEL: Record<Relationship, Labels> = {
  outsider: L('Outsider', '局外人'),
  friend: L('Friend', '朋友'),
  supplier: L('Supplier', '供应商'),
  partner: L('Partner', '伙伴'),
};

export const LEVEL_LABEL: Record<Level, Labels> = {
  decision: L('Decision level', '决策层'),
  management: L('Management level', '管理层'),
  operations: L('Operations level', '操作层'),
};

export const FUNCTION_LABEL: Record<PersonFunction, Labels> = {
  user: L('User (使用)', '使用'),
  technical: L('Technical (技术)', '技术'),
  procurement: L('Procurement (采购)', '采购'),
  other: L('Other', '其他'),
};

export const STAGE_LABEL: Record<Stage, Labels> = {
  need: L('1 Need raised', '1 发现问题'),
  feasibility: L('2 Feasibility study', '2 可行性研究'),
  approval: L('3 Project approved', '3 立项'),
  specification: L('4 Technical specification', '4 确定采购技术标准'),
  tender: L('5 Tender', '5 招标'),
  evaluation: L('6 Bid evaluation', '6 评标'),
  contract: L('7 Contract review', '7 合同审核'),
  delivery: L('8 Signing and delivery', '8 签订协议/交付实施'),
};

export const POSTURE_LABEL: Record<Posture, Labels> = {
  preferred: L('Preferred', '首选者'),
  comparator: L('Comparator', '比对者'),
  filler: L('Filler', '陪衬者'),
  unknown: L('Unknown', '未知'),
};

export const PROFILE_FIELD_LABEL: Record<ProfileField, Labels> = {
  family: L('Family', '家庭'),
  children: L('Children', '子女'),
  car: L('Car', '座驾'),
  residence: L('Where they live', '居住地'),
  hometown: L('Hometown', '籍贯'),
  education: L('University and major', '毕业院校与专业'),
  sports: L('Sports', '运动'),
  food: L('Favourite restaurants and food', '喜爱的餐厅与饮食'),
  pets: L('Pets', '宠物'),
  reading: L('Reading', '阅读'),
  holidays: L('Last and next holiday', '上次与下次假期'),
  associations: L('Other business associations', '其他商业关系'),
  itinerary: L('Itinerary (trips, conferences)', '行程（出差、会议）'),
  colleagues: L('Relationships with colleagues', '与同事的关系'),
  interests: L('Shared interests', '共同兴趣'),
  other: L('Other', '其他'),
};
