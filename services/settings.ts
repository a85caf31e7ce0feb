/**
 * Small per-user settings (recent maps, UI language, window bounds) in one JSON file, written
 * aside and renamed so a crash never leaves half a file. A damaged file is set aside, not fatal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecentEntry } from '../shared/api';

const SettingsSchema = z.object({
  recent: z
    .array(z.object({ path: z.string(), name: z.string(), openedAt: z.string() }))
    .default([]),
  language: z.enum(['en-US', 'zh-CN']).nullable().default(null),
  /** The local user's name, for "verified by" on facts (issue 20); empty: "me". */
  userName: z.string().max(200).default(''),
  /**
   * The team server the desktop app connects to (issue 19): its origin, and the access token only
   * as sealed by the OS keychain (Electron safeStorage), else null. Never a password.
   */
  teamServer: z.object({ url: z.string().max(2000), token: z.string().max(4000).nullable().default(null) }).nullable().default(null),
  window: z
    .object({ x: z.number().optional(), y: z.number().optional(), width: z.number(), height: z.number(), maximized: z.boolean().optional() })
    .nullable()
    .default(null),
});
export type SettingsData = z.infer<typeof SettingsSchema>;

const RECENT_LIMIT = 10;

export class Settings {
  readonly file: string;
  private data: SettingsData;

  /** Settings kept in `dir`; with null, in memory only (never written: the CLI, a team server's calls). */
  constructor(dir: string | null) {
    this.file = dir === null ? '' : path.join(dir, 'settings.json');
    this.data = dir === null ? SettingsSchema.parse({}) : this.read();
  }

  private read(): SettingsData {
    try {
      const parsed = SettingsSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      if (parsed.success) return parsed.data;
      fs.renameSync(this.file, `${this.file}.damaged`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        try {
          fs.renameSync(this.file, `${this.file}.damaged`);
        } catch {
          /* nothing to set aside */
        }
      }
    }
    return SettingsSchema.parse({});
  }

  get(): SettingsData {
    return this.data;
  }

  update(patch: Partial<SettingsData>): void {
    this.data = { ...this.data, ...patch };
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2));
    fs.renameSync(tmp, this.file);
  }

  recent(): RecentEntry[] {
    return this.data.recent.filter((r) => fs.existsSync(r.path));
  }

  addRecent(file: string, name: string): void {
    const entry = { path: file, name, openedAt: new Date().toISOString() };
    this.update({ recent: [entry, ...this.data.recent.filter((r) => r.path !== file)].slice(0, RECENT_LIMIT) });
  }
}
