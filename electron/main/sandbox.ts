/**
 * PowerMap runs only with Chromium's sandbox on. It is the wall between a page that renders maps
 * colleagues send each other and the user's files; app.enableSandbox() asks for it, but a
 * `--no-sandbox` on the command line turns the OS-level sandbox off for every process anyway.
 *
 * Who adds it: electron-builder 26's AppImage launcher (AppRun) appends --no-sandbox by itself when
 * `unshare -Ur true` fails — Ubuntu 23.10 and later block unprivileged user namespaces — and its
 * legacy AppImage desktop entry carries it too (electron-builder.yml sets appImage.executableArgs
 * to [] for that). Instead of running unprotected, PowerMap says what to do and quits: install the
 * .deb (its postinst loads an AppArmor profile that allows the namespaces), or give the AppImage
 * such a profile (README → Troubleshooting).
 */
import type { Lang } from '../../shared/i18n/errors';

/** The Chromium switch that turns the sandbox off. */
const NO_SANDBOX = 'no-sandbox';

export const isUnsandboxed = (commandLine: { hasSwitch(name: string): boolean }): boolean => commandLine.hasSwitch(NO_SANDBOX);

const TEXT: Record<Lang, { title: string; message: string }> = {
  'en-US': {
    title: 'PowerMap cannot start without its sandbox',
    message:
      'PowerMap was started with --no-sandbox, which turns off the protection between the map window and your files, so it will not run.\n\n' +
      'On Ubuntu 23.10 and later: install the PowerMap .deb package (it sets up the AppArmor profile the sandbox needs) instead of the AppImage, ' +
      'or give the AppImage an AppArmor profile as the README\'s "Troubleshooting" section shows.\n\n' +
      'Elsewhere: start PowerMap without --no-sandbox.',
  },
  'zh-CN': {
    title: 'PowerMap 无法在沙箱关闭时启动',
    message:
      'PowerMap 启动时带有 --no-sandbox，这会关闭地图窗口与您的文件之间的保护，因此 PowerMap 不会运行。\n\n' +
      'Ubuntu 23.10 及更高版本：请安装 PowerMap 的 .deb 安装包（它会配置沙箱所需的 AppArmor 配置文件）代替 AppImage，' +
      '或按 README“故障排除”一节为 AppImage 添加 AppArmor 配置文件。\n\n' +
      '其他系统：请不带 --no-sandbox 启动 PowerMap。',
  },
};

export const unsandboxedText = (lang: Lang) => TEXT[lang];
