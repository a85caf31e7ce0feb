/**
 * The team server from the command line:
 *   powermap server --db URL [--port N] [--host H] [--behind-https] [--trust-proxy LIST] [--public-url URL]
 *   powermap user add <email> --name "…" --db URL
 *   powermap user list|disable|enable|reset-password … --db URL
 *
 * --db may be left out when POWERMAP_DB holds the URL (keeps a password out of `ps` and shell
 * history; PGPASSWORD and ~/.pgpass work too, as for psql). Passwords come from
 * POWERMAP_PASSWORD or standard input (asked twice, without echo, on a terminal), never from
 * the command line.
 *
 * The server and its libraries (fastify, pg, argon2) are loaded only by these commands.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Pool } from '../../storage/postgres/pool';
import { ApiError } from '../../shared/api/errors';
import type { Lang } from '../../shared/i18n/errors';
import { appRoot } from '../../services/paths';
import { APP_VERSION } from '../../services/version';
import { UsageError, type CliContext, type Command } from '../command';

const team = () => import('../../server/team/start');
const accounts = () => import('../../server/team/accounts');

function dbUrl(given: string | undefined): string {
  const url = given ?? process.env.POWERMAP_DB;
  if (!url) throw new UsageError('say which database: --db postgres://… (or set POWERMAP_DB)');
  return url;
}

/** Prints a startup failure as one line and returns the exit code; rethrows anything else. */
async function startupFailure(e: unknown, cmd: string, ctx: CliContext): Promise<number> {
  const { StartupError, startupMessage } = await team();
  if (e instanceof StartupError) {
    ctx.err(`powermap ${cmd}: ${startupMessage(e, ctx.lang)}`);
    return 1;
  }
  throw e;
}

// ---- powermap server ----

const serverCommand: Command = {
  name: 'server',
  usage: 'powermap server --db postgres://… [--port N] [--host H] [--behind-https] [--trust-proxy <addresses>] [--public-url <url>]',
  summary: 'run the team server on PostgreSQL (creates or migrates its schema; prints the URL to open)',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'behind-https': { type: 'boolean' },
        'trust-proxy': { type: 'string' },
        'public-url': { type: 'string' },
      },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a number from 0 to 65535');
    const db = dbUrl(values.db);
    const { startTeamServer } = await team();
    let server;
    try {
      server = await startTeamServer({
        db,
        host: values.host,
        port,
        staticDir: path.join(appRoot(), 'dist', 'renderer'),
        behindHttps: values['behind-https'],
        trustProxy: values['trust-proxy']?.split(',').map((s) => s.trim()).filter(Boolean),
        publicUrl: values['public-url'],
        appVersion: APP_VERSION,
        log: (l) => ctx.err(`powermap server: ${l}`),
      });
    } catch (e) {
      return startupFailure(e, 'server', ctx);
    }
    ctx.out(server.url);
    // Runs until stopped. A lost database never ends it; SIGINT/SIGTERM do, cleanly.
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        const force = setTimeout(() => resolve(), 10_000);
        force.unref();
        void server.close().then(() => resolve());
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};

// ---- passwords ----

function readAllStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c: string) => {
      data += c;
      if (data.length > 64 * 1024) reject(new UsageError('standard input is too long for a password'));
    });
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // A fixed prompt of our own, on the terminal without a newline (ctx.err ends lines): no map data.
    // eslint-disable-next-line no-restricted-properties
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      // eslint-disable-next-line no-restricted-properties
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The new password: POWERMAP_PASSWORD, else standard input (asked twice on a terminal). */
async function newPassword(lang: Lang, who: string): Promise<string> {
  const zh = lang === 'zh-CN';
  const env = process.env.POWERMAP_PASSWORD;
  if (env !== undefined && env !== '') return env;
  if (process.stdin.isTTY) {
    const a = await promptHidden(zh ? `${who} 的新密码：` : `New password for ${who}: `);
    const b = await promptHidden(zh ? '再输入一次：' : 'Again: ');
    if (a !== b) throw new UsageError(zh ? '两次输入的密码不一致' : 'the two passwords differ');
    return a;
  }
  const text = await readAllStdin();
  const line = text.split(/\r?\n/)[0] ?? '';
  if (!line) throw new UsageError(zh ? '标准输入中没有密码（或设置 POWERMAP_PASSWORD）' : 'no password on standard input (or set POWERMAP_PASSWORD)');
  return line;
}

/** A password to sign in with: POWERMAP_PASSWORD, else asked once on a terminal, else standard input's first line. */
export async function passwordFromStdin(lang: Lang, who: string): Promise<string> {
  const zh = lang === 'zh-CN';
  const env = process.env.POWERMAP_PASSWORD;
  if (env !== undefined && env !== '') return env;
  if (process.stdin.isTTY) return promptHidden(zh ? `${who} 的密码：` : `Password for ${who}: `);
  const line = (await readAllStdin()).split(/\r?\n/)[0] ?? '';
  if (!line) throw new UsageError(zh ? '标准输入中没有密码（或设置 POWERMAP_PASSWORD）' : 'no password on standard input (or set POWERMAP_PASSWORD)');
  return line;
}

// ---- powermap user ----

const USER_USAGE = [
  'powermap user add <email> --name "<full name>" --db URL      (password: POWERMAP_PASSWORD or standard input)',
  '       powermap user list --db URL [--json]',
  '       powermap user disable <email> --db URL',
  '       powermap user enable <email> --db URL',
  '       powermap user reset-password <email> --db URL          (ends their sessions, revokes their tokens)',
].join('\n');

const fmtDate = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');

const userCommand: Command = {
  name: 'user',
  usage: USER_USAGE,
  summary: 'team server accounts: add, list, disable, enable, reset a password',
  async run(args, ctx) {
    const [sub, ...rest] = args;
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { db: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' }, password: { type: 'string' } },
    });
    if (values.password !== undefined)
      throw new UsageError('a password is never given on the command line (others can read it): use POWERMAP_PASSWORD or standard input');
    const zh = ctx.lang === 'zh-CN';
    const one = (what: string) => {
      if (positionals.length !== 1) throw new UsageError(`give exactly one ${what}`);
      return positionals[0]!;
    };
    if (!sub || !['add', 'list', 'disable', 'enable', 'reset-password'].includes(sub))
      throw new UsageError(sub ? `unknown user command "${sub}"` : 'say what to do: add, list, disable, enable or reset-password');
    const email = sub === 'list' ? '' : one('email address');
    if (sub === 'list' && positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (sub === 'add' && !values.name) throw new UsageError('give the person\'s name: --name "Ann Example"');
    const url = dbUrl(values.db);
    const acc = await accounts();
    if (sub === 'add') acc.checkEmail(email);
    const password = sub === 'add' || sub === 'reset-password' ? await newPassword(ctx.lang, email) : '';
    if (password) (await import('../../server/team/passwords')).checkPasswordRules(password);

    const { openTeamDatabase } = await team();
    let pool;
    try {
      pool = await openTeamDatabase(url, { appVersion: APP_VERSION });
    } catch (e) {
      return startupFailure(e, 'user', ctx);
    }
    try {
      return await userAction(sub, email, password, values, pool, acc, ctx);
    } catch (e) {
      // An unknown or duplicate account: said plainly (the generic messages speak of maps).
      const email = e instanceof ApiError ? e.params?.email : undefined;
      if (e instanceof ApiError && typeof email === 'string' && (e.code === 'NOT_FOUND' || e.code === 'BAD_REQUEST')) {
        const zhLine = e.code === 'NOT_FOUND' ? `没有用户 ${email}` : `已有使用邮箱 ${email} 的用户`;
        ctx.err(`powermap user: ${zh ? zhLine : e.message}`);
        return 1;
      }
      throw e;
    } finally {
      await pool.end().catch(() => undefined);
    }
  },
};

async function userAction(
  sub: string,
  email: string,
  password: string,
  values: { name?: string; json?: boolean },
  pool: Pool,
  acc: Awaited<ReturnType<typeof accounts>>,
  ctx: CliContext,
): Promise<number> {
  const zh = ctx.lang === 'zh-CN';
  switch (sub) {
    case 'add': {
      const u = await acc.addUser(pool, { email, name: values.name!, password });
      ctx.out(zh ? `已添加 ${u.email}（${u.name}）。` : `Added ${u.email} (${u.name}).`);
      return 0;
    }
    case 'list': {
      const users = await acc.listAllUsers(pool);
      if (values.json) {
        ctx.out(JSON.stringify(users.map((u) => ({ id: u.userId, email: u.email, name: u.name, disabled: !!u.disabledAt, sessions: u.sessions, tokens: u.tokens, lastSignIn: u.lastSignIn, createdAt: u.createdAt })), null, 2));
        return 0;
      }
      if (!users.length) {
        ctx.out(zh ? '还没有用户：powermap user add <邮箱> --name "姓名" --db …' : 'No users yet: powermap user add <email> --name "…" --db …');
        return 0;
      }
      const head = zh ? ['邮箱', '姓名', '状态', '会话', '令牌', '最近登录'] : ['email', 'name', 'status', 'sessions', 'tokens', 'last sign-in'];
      const rows = users.map((u) => [
        u.email,
        u.name,
        u.disabledAt ? (zh ? '已停用' : 'disabled') : zh ? '正常' : 'active',
        String(u.sessions),
        String(u.tokens),
        fmtDate(u.lastSignIn),
      ]);
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      for (const r of [head, ...rows]) ctx.out(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
      return 0;
    }
    case 'disable':
    case 'enable': {
      const u = await acc.setDisabled(pool, email, sub === 'disable');
      ctx.out(
        sub === 'disable'
          ? zh
            ? `已停用 ${u.email}：其所有会话已结束，令牌在重新启用前无效。`
            : `Disabled ${u.email}: every session ended; their tokens do not work while disabled.`
          : zh
            ? `已重新启用 ${u.email}。`
            : `Enabled ${u.email}.`,
      );
      return 0;
    }
    case 'reset-password': {
      const r = await acc.resetPassword(pool, email, password);
      ctx.out(
        zh
          ? `已为 ${r.user.email} 设置新密码；结束了 ${r.sessions} 个会话，吊销了 ${r.tokens} 个令牌。`
          : `New password set for ${r.user.email}; ${r.sessions} sessions ended, ${r.tokens} tokens revoked.`,
      );
      return 0;
    }
  }
  return 2;
}

/** CLI commands of the team server. */
export const teamCommands: Command[] = [serverCommand, userCommand];
