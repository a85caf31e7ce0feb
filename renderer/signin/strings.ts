/** The sign-in page's words in both languages (error messages come from shared/i18n/errors.ts). */
import type { Lang } from '../../shared/i18n/errors';

export interface SignInStrings {
  title: string;
  heading: string;
  sub: string;
  email: string;
  password: string;
  submit: string;
  busy: string;
  missing: string;
  offline: string;
  hint: string;
  /** The label of the button that switches to the other language, in that language. */
  other: string;
}

export const STRINGS: Record<Lang, SignInStrings> = {
  'en-US': {
    title: 'Sign in · PowerMap',
    heading: 'Sign in to PowerMap',
    sub: "Your account team's power maps, shared on this server.",
    email: 'Email',
    password: 'Password',
    submit: 'Sign in',
    busy: 'Signing in…',
    missing: 'Enter your email and your password.',
    offline: 'The server did not answer. Check your connection and try again.',
    hint: 'Forgot your password? Ask your PowerMap administrator to reset it.',
    other: '中文',
  },
  'zh-CN': {
    title: '登录 · PowerMap',
    heading: '登录 PowerMap',
    sub: '客户团队共享的权力地图，保存在此服务器上。',
    email: '邮箱',
    password: '密码',
    submit: '登录',
    busy: '正在登录…',
    missing: '请输入邮箱和密码。',
    offline: '服务器没有响应，请检查网络后重试。',
    hint: '忘记密码？请联系 PowerMap 管理员重置。',
    other: 'English',
  },
};
