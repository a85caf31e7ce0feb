// electron-builder's afterPack hook (electron-builder.yml): refuses a package whose better-sqlite3
// is not built for the Electron it ships with (it would open and fail on every map).
import { checkPackagedNative } from './native.mjs';

export default async function afterPack(context) {
  const files = await checkPackagedNative({ appOutDir: context.appOutDir, electronVersion: context.packager.info.framework.version });
  console.log(`  • better-sqlite3 matches Electron ${context.packager.info.framework.version}  files=${files.length}`);
}
