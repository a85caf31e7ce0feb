/**
 * The privacy part's words in both UI languages: the "Erase completely" dialog and the
 * Import/export panel's Privacy section. What a purge or a strip did is said by
 * shared/i18n/privacy.ts (the command line says it the same way).
 */
import type { Lang } from '../../../shared/i18n/errors';

const en = {
  eraseButton: 'Erase completely…',
  eraseTitle: 'Erase {{name}} completely?',
  eraseIntro:
    'Erasing is not deleting: it removes every trace PowerMap keeps of this person — for a request to erase their data (GDPR, PIPL), or when you must not keep it.',
  eraseRemoves: 'This removes:',
  eraseItems: [
    'the person, their lines and our coverage of them',
    'their personal profile, contact log and trips',
    'every step about them in the undo history',
    'their copies in every snapshot',
    'the old copies in the map file’s journal',
  ],
  notOnMap: 'No longer on the map, but still in {{where}}.',
  inHistory: 'the undo history',
  inSnapshots: '{{n}} snapshots',
  inSnapshotsOne: '1 snapshot',
  and: ' and ',
  cannotUndo: 'This cannot be undone: Undo will not bring them back.',
  ownWords: 'Your own words elsewhere that name them (another person’s notes, a snapshot’s name) are not changed; you will see where they are.',
  eraseConfirm: 'Erase {{name}}',
  cancel: 'Cancel',
  close: 'Close',
  erasing: 'Erasing…',
  erased: 'Erased',
  failed: 'Nothing was erased.',
  mentions: 'Still named in your own words:',

  section: 'Privacy',
  strip: 'Remove personal details',
  stripHint:
    'Removes every personal profile and trip (whereabouts) from the map and from its undo history. Do it before you share the map, or write a copy to share and keep yours as it is.',
  inPlace: 'In this map',
  intoCopy: 'Into a copy to share',
  copyTarget: 'Copy',
  choose: 'Choose…',
  typePath: 'Type a path; a bare name goes to the PowerMap documents folder.',
  keepTrips: 'Keep trips',
  stripButton: 'Remove personal details…',
  stripAsk: 'Remove every personal profile and trip from this map? This cannot be undone: the undo history loses them too.',
  stripAskKeepTrips: 'Remove every personal profile from this map (trips stay)? This cannot be undone: the undo history loses them too.',
  stripAskCopy: 'Write a copy without personal details to {{path}}? This map stays as it is.',
  stripConfirm: 'Remove them',
  stripConfirmCopy: 'Write the copy',
  working: 'Working…',
  deletedTitle: 'Erase someone deleted',
  deletedHint: 'People deleted from the map live on in the undo history and in snapshots, so Undo can bring them back. Erase them from there for good.',
  deletedNone: 'Nobody deleted is kept in the undo history or in snapshots.',
  eraseOne: 'Erase…',
  stillIn: 'still in {{where}}',
};

type Strings = typeof en;
type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : T[K] extends string[] ? string[] : DeepStrings<T[K]> };

const zh: DeepStrings<Strings> = {
  eraseButton: '彻底抹除…',
  eraseTitle: '彻底抹除 {{name}}？',
  eraseIntro: '抹除不同于删除：它会清除 PowerMap 保存的此人的全部痕迹——用于删除个人信息的请求（个人信息保护法、欧盟数据保护条例），或您不得再保留这些信息时。',
  eraseRemoves: '将清除：',
  eraseItems: ['此人、与其相连的关系线和我方对其的覆盖', '个人资料、接触记录和行程', '撤销记录中与此人有关的每一步', '每个快照中此人的副本', '地图文件日志中的旧内容'],
  notOnMap: '已不在地图上，但仍保留在{{where}}中。',
  inHistory: '撤销记录',
  inSnapshots: '{{n}} 个快照',
  inSnapshotsOne: '1 个快照',
  and: '和',
  cannotUndo: '此操作无法撤销：撤销也无法找回此人。',
  ownWords: '您在别处写下的提到此人的文字（例如他人的备注、快照名称）不会被修改；完成后会列出位置。',
  eraseConfirm: '抹除 {{name}}',
  cancel: '取消',
  close: '关闭',
  erasing: '正在抹除…',
  erased: '已抹除',
  failed: '没有抹除任何内容。',
  mentions: '您自己写的文字中仍提到此人：',

  section: '隐私',
  strip: '删除个人资料',
  stripHint: '从地图及其撤销记录中删除所有个人资料和行程（行踪）。分享地图之前请先这样做，或者写出一份副本用于分享，自己的地图保持不变。',
  inPlace: '在此地图中',
  intoCopy: '写入一份用于分享的副本',
  copyTarget: '副本',
  choose: '选择…',
  typePath: '请输入路径；只写文件名时保存到 PowerMap 文档文件夹。',
  keepTrips: '保留行程',
  stripButton: '删除个人资料…',
  stripAsk: '从此地图中删除所有个人资料和行程？此操作无法撤销：撤销记录中的也会一并删除。',
  stripAskKeepTrips: '从此地图中删除所有个人资料（保留行程）？此操作无法撤销：撤销记录中的也会一并删除。',
  stripAskCopy: '把不含个人资料的副本写到 {{path}}？此地图保持不变。',
  stripConfirm: '删除',
  stripConfirmCopy: '写出副本',
  working: '处理中…',
  deletedTitle: '抹除已删除的人员',
  deletedHint: '从地图上删除的人员仍保留在撤销记录和快照中，撤销可以找回他们。在此将其彻底抹除。',
  deletedNone: '撤销记录和快照中没有保留已删除的人员。',
  eraseOne: '抹除…',
  stillIn: '仍在{{where}}中',
};

export type PrivacyStrings = DeepStrings<Strings>;
export const PRIVACY_STRINGS: Record<Lang, PrivacyStrings> = { 'en-US': en, 'zh-CN': zh };
