/**
 * The .powermap files a command line names: `PowerMap map.powermap`, `electron . map.powermap`,
 * a Linux desktop file's file:// URI, a Windows association's quoted path. Switches (Chromium
 * adds some) and anything that is not a .powermap are ignored; relative paths are resolved
 * against the directory the command ran in.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAP_EXTENSION = '.powermap';

export function mapFilesFromArgv(argv: readonly unknown[], cwd: string): string[] {
  const out: string[] = [];
  for (const arg of argv.slice(1)) {
    if (typeof arg !== 'string' || arg.length === 0 || arg.length > 4096 || arg.startsWith('-') || arg.includes('\0')) continue;
    let file = arg;
    if (/^file:\/\//i.test(file)) {
      try {
        file = fileURLToPath(file);
      } catch {
        continue;
      }
    }
    if (!file.toLowerCase().endsWith(MAP_EXTENSION)) continue;
    const abs = path.resolve(cwd, file);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

/** The files a second instance sent in its additionalData ({ files: string[] }), if well formed. */
export function filesFromAdditionalData(data: unknown): string[] | null {
  const files = (data as { files?: unknown } | null)?.files;
  if (!Array.isArray(files) || files.length > 100) return null;
  const ok = files.filter(
    (f): f is string => typeof f === 'string' && path.isAbsolute(f) && f.toLowerCase().endsWith(MAP_EXTENSION) && !f.includes('\0'),
  );
  return ok.length === files.length ? ok : null;
}
