// The team server's accounts and their defences, over real HTTP on two server instances sharing
// one real PostgreSQL database: sessions, CSRF and Origin checks, forged cookies, disabled users,
// personal access tokens, the sign-in rate limit across instances, no clear password anywhere.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, resetPassword, setDisabled } from '../../server/team/accounts';
import { listAudit } from '../../storage/postgres/audit';
import { sessionHash } from '../../server/team/credentials';
import { defaultOrganization, pruneAccounts } from '../../storage/postgres/accounts';
import { useTestDatabase } from '../helpers/pg';
import { findPgBin } from '../helpers/pg-cluster';
import { call, signIn, startTeamInProcess, trySignIn, type InProcessServer, type Session } from '../helpers/team';

const PASSWORDS = {
  ann: 'Ann-correct-horse-7',
  bo: '薄熙-battery-staple-42',
  cy: 'Cy-the-third-password',
  dee: 'Dee-fourth-password!',
  eve: 'Eve-only-for-timing-5',
};

const db = useTestDatabase();
let a: InProcessServer;
let b: InProcessServer;

beforeAll(async () => {
  // Two instances on one database, started at the same time (the migration lock sorts them out).
  [a, b] = await Promise.all([startTeamInProcess(db.url), startTeamInProcess(db.url)]);
  await addUser(a.pool, { email: 'Ann@Example.com', name: 'Ann Example', password: PASSWORDS.ann });
  await addUser(a.pool, { email: 'bo@example.com', name: '薄 Example', password: PASSWORDS.bo });
  await addUser(a.pool, { email: 'cy@example.com', name: 'Cy Example', password: PASSWORDS.cy });
  await addUser(a.pool, { email: 'dee@example.com', name: 'Dee Example', password: PASSWORDS.dee });
  await addUser(a.pool, { email: 'eve@example.com', name: 'Eve Example', password: PASSWORDS.eve });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const code = (r: { body: { ok: boolean } & ({ error: { code: string } } | object) }) =>
  'error' in r.body ? (r.body as { error: { code: string } }).error.code : 'OK';

describe('no session', () => {
  it('refuses /api calls and sends pages to /signin', async () => {
    const r = await call(a.url, 'account.me', {});
    expect(r.status).toBe(401);
    expect(code(r)).toBe('UNAUTHENTICATED');
    const page = await fetch(a.url, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin');
    const signin = await fetch(new URL('/signin', a.url));
    expect(signin.status).toBe(200);
    expect(signin.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('answers the wrong verb, a foreign content type, bad JSON and a huge body with clear refusals', async () => {
    expect((await fetch(new URL('/api/account.me', a.url))).status).toBe(405);
    const origin = new URL(a.url).origin;
    const post = (p: string, body: string, type = 'application/json') =>
      fetch(new URL(p, a.url), { method: 'POST', headers: { 'content-type': type, origin }, body });
    expect((await post('/auth/signin', 'email=a&password=b', 'application/x-www-form-urlencoded')).status).toBe(415);
    const bad = await post('/auth/signin', '{"email": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    expect((await post('/auth/signin', JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(20_000) }))).status).toBe(413);
    expect((await post('/auth/signin', '{"email":"ann@example.com","password":"x","__proto__":{"admin":true}}')).status).toBe(400);
  });
});

describe('signing in', () => {
  it('gives the same answer for an unknown email and a wrong password, after similar work', async () => {
    const wrong = await trySignIn(a.url, 'cy@example.com', 'not-the-password');
    const unknown = await trySignIn(a.url, 'nobody@example.com', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(code(wrong)).toBe('BAD_CREDENTIALS');
    expect(wrong.setCookie).toBeNull();
    // Timing: both run argon2 (a dummy hash for the unknown email). Interleaved, so a busy
    // machine slows both alike; medians of 9. Without the dummy hash the unknown email answers
    // in about a third of the time (measured: 10.6 ms against 30.2 ms).
    const tUnknown: number[] = [];
    const tWrong: number[] = [];
    for (let i = 0; i < 9; i++) {
      for (const [email, into] of [
        ['nobody-else@example.com', tUnknown],
        ['eve@example.com', tWrong],
      ] as const) {
        const t0 = performance.now();
        await trySignIn(b.url, email, `wrong-${i}`);
        into.push(performance.now() - t0);
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[4]!;
    const ratio = median(tUnknown) / median(tWrong);
    expect(ratio, `unknown ${median(tUnknown).toFixed(1)} ms, wrong ${median(tWrong).toFixed(1)} ms`).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1 / 0.6);
  });

  it('sets an httpOnly, SameSite session cookie; the email is matched without case', async () => {
    const r = await trySignIn(a.url, '  ANN@example.COM ', PASSWORDS.ann);
    expect(r.status).toBe(200);
    expect(r.setCookie).toMatch(/^powermap_session=[0-9a-f]{32}\.[A-Za-z0-9_-]{43}; /);
    expect(r.setCookie).toMatch(/HttpOnly/i);
    expect(r.setCookie).toMatch(/SameSite=Lax/i);
    expect(r.setCookie).not.toMatch(/Secure/i); // plain http here; --behind-https adds it
    expect(r.setCookie).toMatch(/Path=\//);
  });

  it('refuses a sign-in posted from another origin (login CSRF)', async () => {
    const r = await trySignIn(a.url, 'ann@example.com', PASSWORDS.ann, 'https://evil.example');
    expect(r.status).toBe(403);
    expect(code(r)).toBe('FORBIDDEN');
    expect(r.setCookie).toBeNull();
    expect((await trySignIn(a.url, 'ann@example.com', PASSWORDS.ann, null)).status).toBe(403);
  });
});

describe('two instances, one database', () => {
  it('both sign in the same user; a session made on one works on the other; sign out ends it on both', async () => {
    const onA = await signIn(a.url, 'bo@example.com', PASSWORDS.bo);
    const onB = await signIn(b.url, 'bo@example.com', PASSWORDS.bo);
    for (const [s, base] of [
      [onA, b.url],
      [onB, a.url],
    ] as const) {
      const me = await call<{ user: { email: string; name: string } }>(base, 'account.me', {}, s);
      expect(me.status).toBe(200);
      expect(me.body.ok && me.body.value.user).toMatchObject({ email: 'bo@example.com', name: '薄 Example' });
    }
    expect((await call(a.url, 'account.signOut', {}, onA)).status).toBe(200);
    expect(code(await call(b.url, 'account.me', {}, onA))).toBe('UNAUTHENTICATED');
    expect((await call(b.url, 'account.me', {}, onB)).status).toBe(200);
    // Sign out everywhere from a third session: every session of the user ends.
    const third = await signIn(a.url, 'bo@example.com', PASSWORDS.bo);
    const all = await call<{ sessions: number }>(b.url, 'account.signOutEverywhere', {}, third);
    expect(all.body.ok && all.body.value.sessions).toBe(2);
    expect(all.headers.get('set-cookie')).toMatch(/powermap_session=;/);
    expect(code(await call(a.url, 'account.me', {}, onB))).toBe('UNAUTHENTICATED');
    expect(code(await call(a.url, 'account.me', {}, third))).toBe('UNAUTHENTICATED');
  });
});

describe('session lifetime', () => {
  it('ends a session past its expiry or unused for too long, and notes use at most every few minutes', async () => {
    const bo = await signIn(a.url, 'bo@example.com', PASSWORDS.bo);
    const hash = (cookie: string) => {
      const secret = decodeURIComponent(cookie.split('=')[1]!).split('.')[1]!;
      return sessionHash(secret);
    };
    const seen = async () => (await a.pool.query<{ t: Date }>('SELECT last_seen_at AS t FROM sessions WHERE session_hash = $1', [hash(bo.cookie)])).rows[0]!.t;
    await a.pool.query("UPDATE sessions SET last_seen_at = now() - interval '6 minutes' WHERE session_hash = $1", [hash(bo.cookie)]);
    const before = await seen();
    expect((await call(a.url, 'account.me', {}, bo)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 100)); // the touch is not awaited by the call
    const touched = await seen();
    expect(touched.getTime()).toBeGreaterThan(before.getTime() + 5 * 60_000);
    expect((await call(a.url, 'account.me', {}, bo)).status).toBe(200);
    expect((await seen()).getTime()).toBe(touched.getTime()); // not again within 5 minutes
    // Unused for 8 days (the idle limit is 7): ended.
    await a.pool.query("UPDATE sessions SET last_seen_at = now() - interval '8 days' WHERE session_hash = $1", [hash(bo.cookie)]);
    expect(code(await call(a.url, 'account.me', {}, bo))).toBe('UNAUTHENTICATED');
    // Past its absolute end: ended, and the page goes back to /signin.
    const bo2 = await signIn(a.url, 'bo@example.com', PASSWORDS.bo);
    await a.pool.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE session_hash = $1", [hash(bo2.cookie)]);
    expect(code(await call(b.url, 'account.me', {}, bo2))).toBe('UNAUTHENTICATED');
    const page = await fetch(b.url, { headers: { cookie: bo2.cookie }, redirect: 'manual' });
    expect(page.headers.get('location')).toBe('/signin');
    // Tidying removes sessions a day past their end.
    await a.pool.query("UPDATE sessions SET expires_at = now() - interval '2 days' WHERE session_hash = $1", [hash(bo2.cookie)]);
    expect(await pruneAccounts(a.pool, 900)).toBeGreaterThanOrEqual(1);
    expect((await a.pool.query('SELECT 1 FROM sessions WHERE session_hash = $1', [hash(bo2.cookie)])).rowCount).toBe(0);
  });
});

describe('CSRF and Origin', () => {
  let ann: Session;
  beforeAll(async () => {
    ann = await signIn(a.url, 'ann@example.com', PASSWORDS.ann);
  });

  it('refuses a cookie call without the CSRF header, with a wrong one, or with another session’s', async () => {
    const none = await call(a.url, 'tokens.list', {}, { cookie: ann.cookie });
    expect(none.status).toBe(403);
    expect(none.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', params: { reason: 'csrf' } } });
    const wrong = await call(a.url, 'tokens.list', {}, { cookie: ann.cookie, csrf: ann.csrf.slice(0, -2) + 'xx' });
    expect(wrong.status).toBe(403);
    const other = await signIn(a.url, 'ann@example.com', PASSWORDS.ann);
    expect(other.csrf).not.toBe(ann.csrf);
    expect((await call(a.url, 'tokens.list', {}, { cookie: ann.cookie, csrf: other.csrf })).status).toBe(403);
    expect((await call(a.url, 'tokens.list', {}, ann)).status).toBe(200);
  });

  it('refuses a cookie call from another origin, without an Origin, or marked cross-site', async () => {
    expect((await call(a.url, 'tokens.list', {}, { ...ann, origin: 'https://evil.example' })).status).toBe(403);
    expect((await call(a.url, 'tokens.list', {}, { ...ann, origin: new URL(b.url).origin })).status).toBe(403); // another port is another origin
    expect((await call(a.url, 'tokens.list', {}, { ...ann, origin: null })).status).toBe(403);
    const site = await call(a.url, 'tokens.list', {}, { ...ann, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', params: { reason: 'cross-site' } } });
    expect((await call(a.url, 'tokens.list', {}, { ...ann, headers: { 'sec-fetch-site': 'same-origin' } })).status).toBe(200);
  });

  it('answers GET /auth/session with the user and the CSRF token (a read: no token needed)', async () => {
    const r = await fetch(new URL('/auth/session', b.url), { headers: { cookie: ann.cookie } });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, value: { user: { email: 'ann@example.com' }, csrf: ann.csrf } });
    expect(r.headers.get('cache-control')).toBe('no-store');
  });
});

describe('forged and altered cookies', () => {
  it('refuses every one of them', async () => {
    const ann = await signIn(a.url, 'ann@example.com', PASSWORDS.ann);
    const [name, value] = ann.cookie.split('=') as [string, string];
    const [org, secret] = value.split('.') as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const otherOrg = org.replace(/^./, org[0] === 'a' ? 'b' : 'a');
    const forged = [
      `${org}.${flip(secret, 5)}`, // one character of the secret changed
      `${org}.${flip(secret, 42)}`,
      `${otherOrg}.${secret}`, // the right secret under another organization
      `${org}.${'A'.repeat(43)}`, // well-formed, made up
      `${org}.${secret}x`, // too long
      secret, // no organization
      `${org}.${secret.slice(0, 20)}`,
      '../../etc/passwd',
    ];
    for (const f of forged) {
      // The CSRF token of the real session, so only the cookie is wrong.
      const r = await call(a.url, 'account.me', {}, { cookie: `${name}=${encodeURIComponent(f)}`, csrf: ann.csrf });
      expect(r.status, f).toBe(401);
      expect(code(r), f).toBe('UNAUTHENTICATED');
    }
    expect((await call(a.url, 'account.me', {}, ann)).status).toBe(200);
  });
});

describe('disabled users', () => {
  it('are refused at once on every instance, sessions and tokens alike, and cannot sign in', async () => {
    const dee = await signIn(a.url, 'dee@example.com', PASSWORDS.dee);
    const made = await call<{ token: string }>(a.url, 'tokens.create', { name: 'laptop' }, dee);
    const token = made.body.ok ? made.body.value.token : '';
    expect((await call(b.url, 'account.me', {}, { bearer: token })).status).toBe(200);
    await setDisabled(a.pool, 'dee@example.com', true);
    expect(code(await call(b.url, 'account.me', {}, dee))).toBe('UNAUTHENTICATED');
    expect(code(await call(a.url, 'account.me', {}, { bearer: token }))).toBe('UNAUTHENTICATED');
    const again = await trySignIn(b.url, 'dee@example.com', PASSWORDS.dee);
    const wrong = await trySignIn(b.url, 'dee@example.com', 'not-it-at-all');
    expect(again.status).toBe(401);
    expect(again.body).toEqual(wrong.body); // nothing tells a guesser the password was right
    // Enabled again: the token works; the old session stays ended.
    await setDisabled(a.pool, 'dee@example.com', false);
    expect((await call(b.url, 'account.me', {}, { bearer: token })).status).toBe(200);
    expect(code(await call(b.url, 'account.me', {}, dee))).toBe('UNAUTHENTICATED');
    // A password reset ends sessions and revokes tokens.
    const fresh = await signIn(a.url, 'dee@example.com', PASSWORDS.dee);
    const r = await resetPassword(a.pool, 'dee@example.com', 'Dee-brand-new-password');
    expect(r).toMatchObject({ sessions: 1, tokens: 1 });
    expect(code(await call(a.url, 'account.me', {}, fresh))).toBe('UNAUTHENTICATED');
    expect(code(await call(a.url, 'account.me', {}, { bearer: token }))).toBe('UNAUTHENTICATED');
    expect((await trySignIn(a.url, 'dee@example.com', 'Dee-brand-new-password')).status).toBe(200);
    PASSWORDS.dee = 'Dee-brand-new-password';
  });
});

describe('personal access tokens', () => {
  it('are shown once, work as Bearer on any instance without CSRF, list without secrets, and die when revoked', async () => {
    const cy = await signIn(a.url, 'cy@example.com', PASSWORDS.cy);
    const made = await call<{ token: string; info: { id: string; hint: string } }>(a.url, 'tokens.create', { name: 'CLI on my laptop', expiresInDays: 30 }, cy);
    expect(made.status).toBe(200);
    if (!made.body.ok) throw new Error('token not made');
    const { token, info } = made.body.value;
    expect(token).toMatch(/^pmat_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(info.hint).toBe(token.slice(-4));
    const me = await call<{ user: { email: string }; via: string }>(b.url, 'account.me', {}, { bearer: token });
    expect(me.body).toMatchObject({ ok: true, value: { user: { email: 'cy@example.com' }, via: 'token' } });
    const list = await call<Array<Record<string, unknown>>>(b.url, 'tokens.list', {}, { bearer: token });
    expect(list.body.ok && list.body.value).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(token.slice(38, 70));
    // A token cannot mint tokens (a leaked one must not breed).
    expect(code(await call(b.url, 'tokens.create', { name: 'more' }, { bearer: token }))).toBe('FORBIDDEN');
    // Another user cannot revoke it: the id answers like an unknown one.
    const ann = await signIn(a.url, 'ann@example.com', PASSWORDS.ann);
    expect(code(await call(a.url, 'tokens.revoke', { id: info.id }, ann))).toBe('NOT_FOUND');
    expect(code(await call(a.url, 'tokens.revoke', { id: '00000000-0000-4000-8000-000000000000' }, ann))).toBe('NOT_FOUND');
    // Revoked by its owner on A: refused on B at once.
    const revoked = await call<{ revokedAt: string }>(a.url, 'tokens.revoke', { id: info.id }, cy);
    expect(revoked.body.ok && revoked.body.value.revokedAt).toBeTruthy();
    const after = await call(b.url, 'account.me', {}, { bearer: token });
    expect(after.status).toBe(401);
    expect(code(after)).toBe('UNAUTHENTICATED');
    // Malformed bearer values are refused before any lookup.
    for (const bad of ['pmat_', token.slice(0, -1), token + 'A', 'Basic abc'])
      expect((await call(a.url, 'account.me', {}, { headers: { authorization: bad.startsWith('Basic') ? bad : `Bearer ${bad}` } })).status).toBe(401);
  });

  it('validates input with the contract', async () => {
    const ann = await signIn(a.url, 'ann@example.com', PASSWORDS.ann);
    const r = await call(a.url, 'tokens.create', { name: '', sneaky: 1 }, ann);
    expect(r.status).toBe(400);
    expect(code(r)).toBe('BAD_REQUEST');
    expect(code(await call(a.url, 'tokens.revoke', { id: "1' OR '1'='1" }, ann))).toBe('BAD_REQUEST');
    expect(code(await call(a.url, 'no.such.method', {}, ann))).toBe('BAD_REQUEST');
  });
});

describe('sign-in rate limit', () => {
  it('trips across two instances after 10 failures, then refuses even the right password', async () => {
    const email = 'ann@example.com';
    for (let i = 0; i < 10; i++) {
      const r = await trySignIn(i % 2 ? a.url : b.url, email, `guess-${i}`);
      expect(r.status, `attempt ${i + 1}`).toBe(401);
    }
    for (const base of [a.url, b.url]) {
      const r = await trySignIn(base, email, PASSWORDS.ann);
      expect(r.status).toBe(429);
      expect(r.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', params: { minutes: 15 } } });
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(800);
      expect(r.setCookie).toBeNull();
    }
    // Someone else, from the same address, is not locked out.
    expect((await trySignIn(a.url, 'cy@example.com', PASSWORDS.cy)).status).toBe(200);
    // The window passes (moved back in the database): the right password works again.
    await a.pool.query("UPDATE signin_attempts SET window_start = now() - interval '16 minutes'");
    expect((await trySignIn(b.url, email, PASSWORDS.ann)).status).toBe(200);
  });
});

describe('what is kept', () => {
  it('audits sign-ins, failures, the rate limit and tokens, without secrets', async () => {
    const org = await defaultOrganization(a.pool);
    const rows = await listAudit(a.pool, org.orgId, { limit: 1000 });
    const kinds = new Set(rows.map((r) => r.kind));
    for (const k of ['user.add', 'signin.ok', 'signin.failed', 'signin.rate_limited', 'token.create', 'token.revoke', 'signout.one', 'signout.everywhere', 'user.disable', 'user.enable', 'user.reset_password'])
      expect(kinds, k).toContain(k);
    const failed = rows.find((r) => r.kind === 'signin.failed' && r.payload.email === 'nobody@example.com');
    expect(failed).toMatchObject({ userId: null, via: 'session', payload: { reason: 'unknown' } });
  });

  it('holds no password, session secret or token in clear: not in the database, not in the servers’ output', async () => {
    const bin = findPgBin();
    const { stdout } = await promisify(execFile)(bin ? path.join(bin, 'pg_dump') : 'pg_dump', ['--dbname', db.url], { maxBuffer: 64 << 20 });
    const ann = await signIn(a.url, 'ann@example.com', PASSWORDS.ann);
    const made = await call<{ token: string }>(a.url, 'tokens.create', { name: 'x' }, ann);
    const { stdout: after } = await promisify(execFile)(bin ? path.join(bin, 'pg_dump') : 'pg_dump', ['--dbname', db.url], { maxBuffer: 64 << 20 });
    const secrets = [...Object.values(PASSWORDS), 'Ann-correct', ann.cookie.split('=')[1]!.split('.')[1]!, made.body.ok ? made.body.value.token.slice(38) : 'none'];
    for (const dump of [stdout, after]) {
      expect(dump).toContain('$argon2id$v=19$m=19456,t=2,p=1$');
      for (const s of secrets) expect(dump, s).not.toContain(s);
    }
    const output = [...a.lines, ...b.lines].join('\n');
    for (const s of secrets) expect(output).not.toContain(s);
  });
});

describe('behind an https reverse proxy', () => {
  it('sets a Secure __Host- cookie, sends HSTS, trusts X-Forwarded-* from the proxy only, and checks Origin against the public URL', async () => {
    const proxied = await startTeamInProcess(db.url, { publicUrl: 'https://powermap.example.com/' }); // https implies --behind-https
    try {
      expect(proxied.url).toBe('https://powermap.example.com/');
      const direct = `http://127.0.0.1:${proxied.port}/`;
      // What nginx/Caddy on this machine would add in front.
      const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'powermap.example.com', 'x-forwarded-for': '203.0.113.7' };
      const res = await fetch(new URL('/auth/signin', direct), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://powermap.example.com', ...forwarded },
        body: JSON.stringify({ email: 'cy@example.com', password: PASSWORDS.cy }),
      });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get('set-cookie')!;
      expect(setCookie).toMatch(/^__Host-powermap_session=[0-9a-f]{32}\./);
      expect(setCookie).toMatch(/; Secure/);
      expect(setCookie).toMatch(/; Path=\//);
      expect(setCookie).not.toMatch(/Domain=/i);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
      const csrf = ((await res.json()) as { value: { csrf: string } }).value.csrf;
      const cookie = setCookie.split(';')[0]!;
      const ok = await call(direct, 'account.me', {}, { cookie, csrf, origin: 'https://powermap.example.com', headers: forwarded });
      expect(ok.status).toBe(200);
      // The page must come from the public URL, not from the address the proxy talks to.
      expect((await call(direct, 'account.me', {}, { cookie, csrf, origin: 'http://127.0.0.1:' + proxied.port, headers: forwarded })).status).toBe(403);
      // The client's address for the sign-in limit is the one the proxy forwarded.
      const org = await defaultOrganization(a.pool);
      const seen = await listAudit(a.pool, org.orgId, { kind: 'signin.ok', limit: 1 });
      expect(seen[0]!.payload.ip).toBe('203.0.113.7');
      // An instance with no proxy configured believes no X-Forwarded-For (else a guesser could
      // pick a new address for every attempt and never meet the per-address limit).
      const spoofed = await fetch(new URL('/auth/signin', a.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(a.url).origin, 'x-forwarded-for': '198.51.100.9' },
        body: JSON.stringify({ email: 'cy@example.com', password: PASSWORDS.cy }),
      });
      expect(spoofed.status).toBe(200);
      const last = await listAudit(a.pool, org.orgId, { kind: 'signin.ok', limit: 1 });
      expect(last[0]!.payload.ip).toBe('127.0.0.1');
    } finally {
      await proxied.close();
    }
  });
});

describe('listening beyond this machine', () => {
  it('warns (on the operator log, not stdout) when it serves plain http to the network', async () => {
    const open = await startTeamInProcess(db.url, { host: '0.0.0.0' });
    try {
      expect(open.lines.join('\n')).toMatch(/over plain http: passwords and session cookies cross the network in clear/);
      expect(open.url).toMatch(/^http:\/\/[^/]+:\d+\/$/);
    } finally {
      await open.close();
    }
    expect(a.lines.join('\n')).not.toMatch(/plain http/);
  });
});
