/**
 * The team server from a terminal, as `gh` does it (issue 19 item 5):
 *
 *   powermap login --server URL --email E      password from POWERMAP_PASSWORD or standard input
 *   powermap logout
 *   powermap publish <map.powermap> [--name N] [--include-personal] [--new | --update [ID]]
 *   powermap fetch <map name or id> -o <file> [--include-personal] [--force]
 *   powermap sync <file> [--theirs | --mine]   conflicts printed; on a terminal asked one by one
 *   powermap portfolio [--json] [--csv FILE]
 *
 * The token login gets is kept in the user's config folder (team.json, readable by the user
 * alone: 0600 in a 0700 folder); logout revokes it on the server and deletes the file. The same
 * services as the desktop app (services/team/local-sync.ts, the HTTP client services/team/remote.ts).
 * A server that is down or is not PowerMap: one clear line, nothing local touched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { ApiError } from '../../shared/api/errors';
import type { PortfolioRow, SyncConflict, SyncDecision } from '../../shared/api/team-sync';
import { ATTITUDE_LABEL, POSTURE_LABEL, STAGE_LABEL } from '../../shared/i18n/domain';
import type { Lang } from '../../shared/i18n/errors';
import { openMapFile, withMapExtension } from '../../services/map/files';
import { nodePaths } from '../../services/paths';
import { fetchToFile, publishMapFile, syncMapFile } from '../../services/team/local-sync';
import { TeamRemote } from '../../services/team/remote';
import { UsageError, type CliContext, type Command } from '../command';
import { call, cliSession } from '../session';
import { passwordFromStdin } from './team';

// ---- the stored login ----

interface Login {
  server: string;
  email: string;
  token: string;
  tokenId: string;
}

const loginFile = () => path.join(nodePaths().configDir, 'team.json');

function readLogin(): Login | null {
  try {
    const v = JSON.parse(fs.readFileSync(loginFile(), 'utf8')) as Login;
    return typeof v.server === 'string' && typeof v.token === 'string' ? v : null;
  } catch {
    return null;
  }
}

function writeLogin(l: Login): void {
  const file = loginFile();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.part`;
  fs.writeFileSync(tmp, JSON.stringify(l, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

/** The signed-in client, or the plain message to log in first. */
function remote(): TeamRemote {
  const l = readLogin();
  if (!l) throw new ApiError('UNAUTHENTICATED', 'not signed in', { reason: 'not_logged_in', command: 'powermap login --server URL --email E' });
  return new TeamRemote({ server: l.server, token: l.token });
}

/** An expired or revoked token: say to log in again. */
async function signedIn<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'UNAUTHENTICATED' && e.params?.reason !== 'not_logged_in')
      throw new ApiError('UNAUTHENTICATED', e.message, { reason: 'login_again', command: 'powermap login' });
    throw e;
  }
}

// ---- words ----

const T = {
  'en-US': {
    loggedIn: (who: string, server: string, file: string) => `Signed in to ${server} as ${who}. The token is kept in ${file} (readable by you alone).`,
    loggedOut: (server: string) => `Signed out of ${server}: the token is revoked and deleted.`,
    loggedOutLocal: (server: string, why: string) => `The token of ${server} is deleted here (the server could not revoke it: ${why}).`,
    notLoggedIn: 'Not signed in: nothing to do.',
    published: (name: string, id: string, rev: number) => `Published “${name}” (${id}), revision ${rev}. You own it.`,
    updated: (name: string, id: string, rev: number) => `Updated the team map “${name}” (${id}) from this map, revision ${rev}: one step its owners can undo.`,
    duplicate: 'This map was published before:',
    duplicateHint: 'Publish again with --update (bring that team map up to this one) or --new (another team map).',
    personalOff: 'Personal profiles and trips were left out (give --include-personal to publish them).',
    fetched: (name: string, file: string, rev: number) => `Saved “${name}” at revision ${rev} as ${file}. Edit it offline, then: powermap sync ${file}`,
    noMap: (ref: string) => `No team map you can see is called or numbered “${ref}”.`,
    ambiguous: (ref: string, ids: string) => `Several team maps are called “${ref}”: give the id (${ids}).`,
    conflicts: (n: number) => `${n} conflicting change${n === 1 ? '' : 's'}: the same field changed here and on the team map. Nothing was sent.`,
    conflictLine: (c: SyncConflict, lang: Lang) => `  ${c.label || c.key.id} — ${fieldName(c.field, lang)}: base ${show(c.base)} · mine ${show(c.mine)} · theirs ${show(c.theirs)}${c.theirsBy ? ` (${c.theirsBy.name})` : ''}`,
    chooseHint: 'Choose with --theirs (keep the team’s values) or --mine (put yours), or run on a terminal to be asked one by one.',
    ask: '  keep [t]heirs or put [m]ine? ',
    merged: (rev: number, applied: number, sent: number) => `Sent ${sent} changed row${sent === 1 ? '' : 's'}; ${applied} written. The team map and this file are now at revision ${rev}.`,
    keptTheirs: (n: number) => `${n} of your values gave way to the team's (as chosen):`,
    head: ['map', 'client', 'deal', 'stage', 'posture', 'owner', 'people', 'flags', 'last edited'],
    flags: { noCoach: 'no coach', dm: 'DM not for us', high: 'high influence uncovered', one: 'hangs on one colleague' },
    none: 'none',
    noMaps: 'No team maps yet.',
    csv: (file: string, n: number) => `Wrote ${n} rows to ${file}.`,
    deleted: 'deleted',
    whole: 'the whole row',
  },
  'zh-CN': {
    loggedIn: (who: string, server: string, file: string) => `已以 ${who} 身份登录 ${server}。令牌保存在 ${file}（仅您本人可读）。`,
    loggedOut: (server: string) => `已退出 ${server}：令牌已撤销并删除。`,
    loggedOutLocal: (server: string, why: string) => `已在本机删除 ${server} 的令牌（服务器未能撤销：${why}）。`,
    notLoggedIn: '尚未登录：无需操作。',
    published: (name: string, id: string, rev: number) => `已发布“${name}”（${id}），版本 ${rev}。您是负责人。`,
    updated: (name: string, id: string, rev: number) => `已用此地图更新团队地图“${name}”（${id}），版本 ${rev}：负责人可一步撤销。`,
    duplicate: '此地图之前已发布过：',
    duplicateHint: '请加 --update（用此地图更新该团队地图）或 --new（另建一张团队地图）重新发布。',
    personalOff: '个人档案和行程未包含在内（如需发布，请加 --include-personal）。',
    fetched: (name: string, file: string, rev: number) => `已将“${name}”（版本 ${rev}）保存为 ${file}。离线编辑后运行：powermap sync ${file}`,
    noMap: (ref: string) => `您可见的团队地图中没有名为或编号为“${ref}”的地图。`,
    ambiguous: (ref: string, ids: string) => `有多张团队地图名为“${ref}”：请改用编号（${ids}）。`,
    conflicts: (n: number) => `${n} 处修改冲突：同一字段在本地和团队地图上都被修改。未发送任何内容。`,
    conflictLine: (c: SyncConflict, lang: Lang) => `  ${c.label || c.key.id} — ${fieldName(c.field, lang)}：原值 ${show(c.base)} · 我的 ${show(c.mine)} · 团队的 ${show(c.theirs)}${c.theirsBy ? `（${c.theirsBy.name}）` : ''}`,
    chooseHint: '请用 --theirs（保留团队的值）或 --mine（采用您的值）选择，或在终端中运行以逐条选择。',
    ask: '  保留团队的 [t] 还是采用我的 [m]？',
    merged: (rev: number, applied: number, sent: number) => `已发送 ${sent} 行修改，写入 ${applied} 行。团队地图与此文件现均为版本 ${rev}。`,
    keptTheirs: (n: number) => `您的 ${n} 个值按选择让位于团队的值：`,
    head: ['地图', '客户', '项目', '阶段', '态势', '负责人', '人数', '风险', '最后编辑'],
    flags: { noCoach: '无教练', dm: '决策者未支持', high: '高影响力无人覆盖', one: '只靠一位同事' },
    none: '无',
    noMaps: '还没有团队地图。',
    csv: (file: string, n: number) => `已将 ${n} 行写入 ${file}。`,
    deleted: '已删除',
    whole: '整行',
  },
} as const;

const FIELD: Record<string, Record<Lang, string>> = {
  '*': { 'en-US': 'the whole row (deleted on one side)', 'zh-CN': '整行（一方已删除）' },
  name: { 'en-US': 'name', 'zh-CN': '姓名' },
  title: { 'en-US': 'title', 'zh-CN': '职务' },
  department: { 'en-US': 'department', 'zh-CN': '部门' },
  attitude: { 'en-US': 'attitude', 'zh-CN': '态度' },
  influence: { 'en-US': 'influence', 'zh-CN': '影响力' },
  roles: { 'en-US': 'roles', 'zh-CN': '角色' },
  notes: { 'en-US': 'notes', 'zh-CN': '备注' },
  strength: { 'en-US': 'strength', 'zh-CN': '强度' },
};
const fieldName = (f: string, lang: Lang) => FIELD[f]?.[lang] ?? f;
const show = (v: unknown) => (v === null ? '—' : JSON.stringify(v));

// ---- commands ----

const loginCommand: Command = {
  name: 'login',
  usage: 'powermap login --server URL --email E   (password: POWERMAP_PASSWORD or standard input)',
  summary: 'sign in to a team server; the access token is kept in your config folder',
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { server: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } } });
    if (values.password !== undefined) throw new UsageError('a password is never given on the command line (others can read it): use POWERMAP_PASSWORD or standard input');
    if (!values.server || !values.email) throw new UsageError('give --server and --email');
    const r = new TeamRemote({ server: values.server });
    const password = await passwordFromStdin(ctx.lang, values.email);
    const got = await r.signIn(values.email, password, `powermap CLI on ${os.hostname()}`.slice(0, 100), 90);
    const old = readLogin();
    writeLogin({ server: r.origin, email: got.user.email, token: got.token, tokenId: got.info.id });
    // The token this computer had before for the same server is taken back.
    if (old && old.server === r.origin && old.tokenId !== got.info.id) await r.revokeToken(old.tokenId).catch(() => undefined);
    ctx.out(T[ctx.lang].loggedIn(got.user.email, r.origin, loginFile()));
    return 0;
  },
};

const logoutCommand: Command = {
  name: 'logout',
  usage: 'powermap logout',
  summary: 'revoke the team server token and delete it from this computer',
  async run(_args, ctx) {
    const l = readLogin();
    if (!l) {
      ctx.out(T[ctx.lang].notLoggedIn);
      return 0;
    }
    let why: string | null = null;
    try {
      await new TeamRemote({ server: l.server, token: l.token }).revokeToken(l.tokenId);
    } catch (e) {
      why = (e as Error).message;
    }
    fs.rmSync(loginFile(), { force: true });
    ctx.out(why === null ? T[ctx.lang].loggedOut(l.server) : T[ctx.lang].loggedOutLocal(l.server, why));
    return 0;
  },
};

const publishCommand: Command = {
  name: 'publish',
  usage: 'powermap publish <map.powermap> [--name "…"] [--include-personal] [--new | --update [<team map id>]]',
  summary: 'make a local map a team map that you own (personal profiles and trips only with --include-personal)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { name: { type: 'string' }, 'include-personal': { type: 'boolean' }, new: { type: 'boolean' }, update: { type: 'boolean' } },
    });
    if (values.new && values.update) throw new UsageError('give --new or --update, not both');
    if (positionals.length < 1 || positionals.length > (values.update ? 2 : 1)) throw new UsageError('give one map file');
    const file = positionals[0]!;
    const t = T[ctx.lang];
    const r = remote();
    const store = await openMapFile(file);
    try {
      const res = await signedIn(() =>
        publishMapFile(r, store, {
          name: values.name ?? path.basename(file).replace(/\.powermap$/i, ''),
          includePersonal: !!values['include-personal'],
          onDuplicate: values.new ? 'new' : values.update ? 'update' : 'ask',
          updateMapId: positionals[1],
        }),
      );
      if (res.status === 'duplicate') {
        ctx.err(t.duplicate);
        for (const m of res.existing) ctx.err(`  ${m.name} (${m.mapId}) — ${m.owner.name}, ${m.updatedAt}`);
        ctx.err(t.duplicateHint);
        return 3;
      }
      ctx.out((res.mode === 'new' ? t.published : t.updated)(res.map.name, res.map.id, res.rev));
      if (!values['include-personal']) ctx.out(t.personalOff);
      return 0;
    } finally {
      await store.close();
    }
  },
};

/** The map a name or id names among the maps the user can see. */
async function resolveRemoteMap(r: TeamRemote, ref: string, lang: Lang): Promise<string> {
  const maps = await signedIn(() => r.call('maps.list', {}));
  const byId = maps.find((m) => m.id === ref);
  if (byId) return byId.id;
  const named = maps.filter((m) => m.name.toLowerCase() === ref.toLowerCase());
  if (named.length === 1) return named[0]!.id;
  if (named.length > 1) throw new UsageError(T[lang].ambiguous(ref, named.map((m) => m.id).join(', ')));
  throw new UsageError(T[lang].noMap(ref));
}

const fetchCommand: Command = {
  name: 'fetch',
  usage: 'powermap fetch <team map name or id> -o <file.powermap> [--include-personal] [--force]',
  summary: 'save a team map as a local file to work on offline (it remembers the server and the revision)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { output: { type: 'string', short: 'o' }, 'include-personal': { type: 'boolean' }, force: { type: 'boolean' } },
    });
    if (positionals.length !== 1) throw new UsageError('give one team map (its name or id)');
    if (!values.output) throw new UsageError('say where to save it: -o <file.powermap>');
    const r = remote();
    const id = await resolveRemoteMap(r, positionals[0]!, ctx.lang);
    const file = withMapExtension(values.output);
    const { result, store } = await signedIn(() => fetchToFile(r, id, file, { includePersonal: !!values['include-personal'], overwrite: !!values.force }));
    await store.close();
    ctx.out(T[ctx.lang].fetched(result.map.name, file, result.rev));
    return 0;
  },
};

async function askEach(conflicts: SyncConflict[], ctx: CliContext): Promise<SyncDecision[]> {
  const t = T[ctx.lang];
  // The prompt is a fixed string of ours; the conflict lines (map data) go through ctx.err.
  // eslint-disable-next-line no-restricted-properties
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const out: SyncDecision[] = [];
    for (const c of conflicts) {
      ctx.err(t.conflictLine(c, ctx.lang));
      for (;;) {
        const a = (await rl.question(t.ask)).trim().toLowerCase();
        if (a === 't' || a === 'theirs') out.push({ id: c.id, take: 'theirs' });
        else if (a === 'm' || a === 'mine') out.push({ id: c.id, take: 'mine' });
        else continue;
        break;
      }
    }
    return out;
  } finally {
    rl.close();
  }
}

const syncCommand: Command = {
  name: 'sync',
  usage: 'powermap sync <file.powermap> [--theirs | --mine]',
  summary: 'send the changes made offline to the team map they came from, merged field by field; the file then holds the merged map',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { theirs: { type: 'boolean' }, mine: { type: 'boolean' } } });
    if (values.theirs && values.mine) throw new UsageError('give --theirs or --mine, not both');
    if (positionals.length !== 1) throw new UsageError('give one map file');
    const t = T[ctx.lang];
    const store = await openMapFile(positionals[0]!);
    try {
      // A file saved from another server than the one signed in to is said plainly (syncMapFile).
      const r = remote();
      let res = await signedIn(() => syncMapFile(r, store));
      if (res.status === 'conflicts') {
        let decisions: SyncDecision[] | null = null;
        if (values.theirs || values.mine) decisions = res.conflicts.map((c) => ({ id: c.id, take: values.theirs ? 'theirs' : 'mine' }));
        else if (process.stdin.isTTY) {
          ctx.err(t.conflicts(res.conflicts.length));
          decisions = await askEach(res.conflicts, ctx);
        }
        if (!decisions) {
          ctx.err(t.conflicts(res.conflicts.length));
          for (const c of res.conflicts) ctx.err(t.conflictLine(c, ctx.lang));
          ctx.err(t.chooseHint);
          return 3;
        }
        res = await signedIn(() => syncMapFile(r, store, { decisions: decisions! }));
        if (res.status === 'conflicts') {
          // Someone changed the same fields again meanwhile: show them, nothing sent.
          ctx.err(t.conflicts(res.conflicts.length));
          for (const c of res.conflicts) ctx.err(t.conflictLine(c, ctx.lang));
          return 3;
        }
      }
      ctx.out(t.merged(res.rev, res.applied, res.localChanges));
      if (res.keptTheirs.length) {
        ctx.out(t.keptTheirs(res.keptTheirs.length));
        for (const c of res.keptTheirs) ctx.out(t.conflictLine(c, ctx.lang));
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

function portfolioLines(rows: readonly PortfolioRow[], lang: Lang): string[] {
  const t = T[lang];
  const sep = lang === 'zh-CN' ? '、' : ', ';
  return rows.map((r) => {
    const flags = [
      r.flags.noCoach ? t.flags.noCoach : '',
      r.flags.dmNotFor.length ? `${t.flags.dm} (${r.flags.dmNotFor.map((d) => `${d.name} ${ATTITUDE_LABEL[d.attitude as keyof typeof ATTITUDE_LABEL]?.[lang] ?? d.attitude}`).join(sep)})` : '',
      r.flags.highUncovered.length ? `${t.flags.high} (${r.flags.highUncovered.map((p) => p.name).join(sep)})` : '',
      r.flags.oneColleague.length ? `${t.flags.one} (${r.flags.oneColleague.map((c) => c.member.name).join(sep)})` : '',
    ].filter(Boolean);
    return `${r.name} | ${r.client || '—'} | ${r.deal || '—'} | ${STAGE_LABEL[r.stage][lang]} | ${POSTURE_LABEL[r.posture][lang]} | ${r.owner.name} | ${r.people} | ${flags.join(sep) || t.none} | ${r.updatedAt.slice(0, 16).replace('T', ' ')}${r.updatedBy ? ` ${r.updatedBy.name}` : ''}`;
  });
}

const portfolioCommand: Command = {
  name: 'portfolio',
  usage: 'powermap portfolio [--json] [--csv <file.csv>] [--pdf <file.pdf>] [--force] [--lang en-US|zh-CN]',
  summary: 'every team map you can see, one row per deal, with the red flags that matter in a review',
  async run(args, ctx) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, csv: { type: 'string' }, pdf: { type: 'string' }, lang: { type: 'string' }, force: { type: 'boolean' } } });
    if (values.lang !== undefined && values.lang !== 'en-US' && values.lang !== 'zh-CN') throw new UsageError('--lang is en-US or zh-CN');
    const lang = (values.lang as Lang | undefined) ?? ctx.lang;
    const r = remote();
    const rows = await signedIn(() => r.call('portfolio.list', { lang }));
    // The files go through the app's own export (exchange.exportPortfolio): the CSV writer and the
    // one-page PDF of the report view, the same as the Portfolio page's buttons.
    for (const [format, file] of [['pdf', values.pdf], ['csv', values.csv]] as const) {
      if (!file) continue;
      const session = cliSession(lang);
      try {
        await call(session, 'exchange.exportPortfolio', { format, path: path.resolve(file), lang, rows, overwrite: !!values.force });
      } finally {
        await session.close();
      }
      ctx.out(T[lang].csv(file, rows.length));
      return 0;
    }
    if (values.json) {
      ctx.out(JSON.stringify({ schema: 'powermap-portfolio', version: 1, server: r.origin, maps: rows }, null, 2));
      return 0;
    }
    if (!rows.length) ctx.out(T[lang].noMaps);
    else {
      ctx.out(T[lang].head.join(' | '));
      for (const l of portfolioLines(rows, lang)) ctx.out(l);
    }
    return 0;
  },
};

export const teamSyncCommands: Command[] = [loginCommand, logoutCommand, publishCommand, fetchCommand, syncCommand, portfolioCommand];
