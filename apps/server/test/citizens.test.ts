import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';
import { type MailSink, startMailSink } from './support/mail-sink.ts';
import { followUntil, startOidcProvider, type TestProvider } from './support/oidc-provider.ts';
import { makePdf, uploadFile } from './support/pdf.ts';

/**
 * Citizen accounts (issue 7): password sign-up/in with lockout, reset by e-mail through a real
 * SMTP server on loopback, and OIDC sign-in against a real provider (oidc-provider) on loopback.
 */
let t: TestApp;
let mail: MailSink;
let idp: TestProvider;
const PUBLIC_URL = 'https://dichvucong.sonlam.example.vn';
const REDIRECT_URL = `${PUBLIC_URL}/api/citizen/oidc/callback`;
const PASSWORD = 'MatKhau-CongDan-2026';

beforeAll(async () => {
  mail = await startMailSink();
  idp = await startOidcProvider(REDIRECT_URL);
  t = await setupApp({
    SMTP_URL: mail.smtpUrl,
    CONGVU_PUBLIC_URL: PUBLIC_URL,
    CONGVU_OUTBOX_POLL_MS: '50',
    CONGVU_LOCKOUT_THRESHOLD: '3',
    CONGVU_OIDC_ISSUER: idp.issuer,
    CONGVU_OIDC_CLIENT_ID: idp.clientId,
    CONGVU_OIDC_CLIENT_SECRET: idp.clientSecret,
    CONGVU_OIDC_REDIRECT_URL: REDIRECT_URL,
  });
});
afterAll(async () => {
  await t.close();
  await idp.close();
  await mail.close();
});

const call = (method: 'GET' | 'POST' | 'PUT', url: string, cookie?: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    ...(cookie && { headers: { cookie } }),
    ...(payload && { payload }),
  });

function cookieOf(res: Awaited<ReturnType<typeof call>>, name = 'congvu_citizen'): string {
  const c = res.cookies.find((x) => x.name === name);
  if (!c) throw new Error(`no ${name} cookie: ${res.statusCode} ${res.body}`);
  return `${name}=${c.value}`;
}

let seq = 0;
async function signUp(over: Record<string, string> = {}) {
  seq++;
  const body = {
    email: `congdan${seq}@example.vn`,
    password: PASSWORD,
    fullName: `Lê Thị Công Dân ${seq}`,
    ...over,
  };
  const res = await call('POST', '/api/citizen/sign-up', undefined, body);
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id as string, email: body.email, fullName: body.fullName, cookie: cookieOf(res) };
}

const mailTo = (address: string, from: number) => mail.textTo(address, from);

describe('password accounts', () => {
  it('signs up with e-mail, sets an HttpOnly SameSite=Lax cookie and answers me', async () => {
    const res = await call('POST', '/api/citizen/sign-up', undefined, {
      email: '  Nguyen.An@Example.VN ',
      phone: '+84 912 345 678',
      password: PASSWORD,
      fullName: 'Nguyễn Văn An',
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.cookies.find((x) => x.name === 'congvu_citizen')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(res.json()).toMatchObject({
      email: 'nguyen.an@example.vn',
      phone: '0912345678',
      hasPassword: true,
    });
    const me = await call('GET', '/api/citizen/me', `congvu_citizen=${c.value}`);
    expect(me.statusCode).toBe(200);
    expect(me.json().fullName).toBe('Nguyễn Văn An');
    // The same e-mail or phone cannot open a second account.
    const dupe = await call('POST', '/api/citizen/sign-up', undefined, {
      email: 'nguyen.an@example.vn',
      password: PASSWORD,
      fullName: 'Người khác',
    });
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().code).toBe('CITIZEN_EMAIL_TAKEN');
    const dupePhone = await call('POST', '/api/citizen/sign-up', undefined, {
      phone: '0912.345.678',
      password: PASSWORD,
      fullName: 'Người khác',
    });
    expect(dupePhone.json().code).toBe('CITIZEN_PHONE_TAKEN');
    // Signed in by phone in another form.
    const byPhone = await call('POST', '/api/citizen/sign-in', undefined, {
      login: '84912345678',
      password: PASSWORD,
    });
    expect(byPhone.statusCode, byPhone.body).toBe(200);
    expect(byPhone.json().id).toBe(res.json().id);
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'citizen')
      .where('entity_id', '=', res.json().id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['citizen.signed_up', 'citizen.signed_in']),
    );
  });

  it('refuses a wrong password and an unknown account with the same code', async () => {
    const a = await signUp();
    const wrong = await call('POST', '/api/citizen/sign-in', undefined, {
      login: a.email,
      password: 'SaiMatKhau-1',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'CITIZEN_INVALID_CREDENTIALS' });
    const unknown = await call('POST', '/api/citizen/sign-in', undefined, {
      login: 'khong-co@example.vn',
      password: PASSWORD,
    });
    expect(unknown.json().code).toBe('CITIZEN_INVALID_CREDENTIALS');
    expect(wrong.cookies.find((x) => x.name === 'congvu_citizen')).toBeUndefined();
  });

  it('locks the account after the threshold of failures, even for the right password', async () => {
    const a = await signUp();
    for (let i = 0; i < 2; i++) {
      const r = await call('POST', '/api/citizen/sign-in', undefined, {
        login: a.email,
        password: `Sai-${i}-mat-khau`,
      });
      expect(r.statusCode).toBe(401);
    }
    const third = await call('POST', '/api/citizen/sign-in', undefined, {
      login: a.email,
      password: 'Sai-3-mat-khau',
    });
    expect(third.statusCode).toBe(423);
    expect(third.json().code).toBe('CITIZEN_LOCKED');
    const right = await call('POST', '/api/citizen/sign-in', undefined, {
      login: a.email,
      password: PASSWORD,
    });
    expect(right.statusCode).toBe(423);
    // Once the lock has passed, the right password works and the counter starts again.
    await t.db
      .updateTable('citizens')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('id', '=', a.id)
      .execute();
    const after = await call('POST', '/api/citizen/sign-in', undefined, {
      login: a.email,
      password: PASSWORD,
    });
    expect(after.statusCode).toBe(200);
  });

  it('signs out: the cookie no longer opens the account', async () => {
    const a = await signUp();
    expect((await call('POST', '/api/citizen/sign-out', a.cookie)).statusCode).toBe(204);
    const me = await call('GET', '/api/citizen/me', a.cookie);
    expect(me.statusCode).toBe(401);
    expect(me.json().code).toBe('UNAUTHENTICATED');
  });
});

describe('profile and data store', () => {
  it('keeps CCCD, address and contacts; a CCCD belongs to one account', async () => {
    const a = await signUp();
    const b = await signUp();
    const put = await call('PUT', '/api/citizen/me', a.cookie, {
      fullName: 'Trần Văn Bình',
      email: a.email,
      phone: '0987654321',
      idNo: '037201000123',
      address: 'Số 5 đường Lê Lợi, phường Sơn Lâm',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      idNo: '037201000123',
      phone: '0987654321',
      address: 'Số 5 đường Lê Lợi, phường Sơn Lâm',
    });
    const taken = await call('PUT', '/api/citizen/me', b.cookie, {
      fullName: 'Người khác',
      email: b.email,
      phone: null,
      idNo: '037201000123',
      address: null,
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('CITIZEN_ID_NO_TAKEN');
    // A password account keeps a way to sign in.
    const noContact = await call('PUT', '/api/citizen/me', b.cookie, {
      fullName: 'Người khác',
      email: null,
      phone: null,
      idNo: null,
      address: null,
    });
    expect(noContact.json().code).toBe('CITIZEN_CONTACT_REQUIRED');
  });

  it('lists the store items of the own CCCD only, and asks for a CCCD first', async () => {
    const a = await signUp();
    const b = await signUp();
    const none = await call('GET', '/api/citizen/store', a.cookie);
    expect(none.statusCode).toBe(422);
    expect(none.json().code).toBe('CITIZEN_ID_NO_REQUIRED');
    await t.db
      .insertInto('citizen_store_items')
      .values([
        {
          id: uuidv7(),
          owner_id_no: '001099000777',
          kind: 'result',
          code: 'GKS',
          name: 'Giấy khai sinh',
          blob: 'a'.repeat(64),
        },
        {
          id: uuidv7(),
          owner_id_no: '001099000888',
          kind: 'component',
          code: null,
          name: 'Sổ hộ khẩu',
          blob: 'b'.repeat(64),
        },
      ])
      .execute();
    for (const [c, idNo] of [
      [a, '001099000777'],
      [b, '001099000999'],
    ] as const) {
      const r = await call('PUT', '/api/citizen/me', c.cookie, {
        fullName: 'Công dân',
        email: c.email,
        phone: null,
        idNo,
        address: null,
      });
      expect(r.statusCode).toBe(200);
    }
    const mine = await call('GET', '/api/citizen/store', a.cookie);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items.map((i: { name: string }) => i.name)).toEqual(['Giấy khai sinh']);
    expect((await call('GET', '/api/citizen/store', b.cookie)).json().items).toEqual([]);
  });

  it("downloads the file of an own store item, not another's", async () => {
    const a = await signUp();
    const b = await signUp();
    const staff = (await t.f.session(['counter'])).cookie;
    const pdf = await makePdf('Giấy chứng nhận thử');
    const sha = await uploadFile(t.app, staff, 'chung-nhan.pdf', pdf);
    const itemId = uuidv7();
    await t.db
      .insertInto('citizen_store_items')
      .values({
        id: itemId,
        owner_id_no: '001099000555',
        kind: 'result',
        code: null,
        name: 'Giấy chứng nhận',
        blob: sha,
      })
      .execute();
    await call('PUT', '/api/citizen/me', a.cookie, {
      fullName: 'Chủ kho',
      email: a.email,
      phone: null,
      idNo: '001099000555',
      address: null,
    });
    await call('PUT', '/api/citizen/me', b.cookie, {
      fullName: 'Người khác',
      email: b.email,
      phone: null,
      idNo: '001099000556',
      address: null,
    });
    const mine = await call('GET', `/api/citizen/store/${itemId}/file`, a.cookie);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(mine.rawPayload, pdf)).toBe(0);
    const theirs = await call('GET', `/api/citizen/store/${itemId}/file`, b.cookie);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json().code).toBe('FILE_NOT_FOUND');
  });
});

describe('password reset by e-mail', () => {
  it('sends a single-use link to a real SMTP server; the link sets the password once', async () => {
    const a = await signUp();
    const before = mail.inbox.length;
    const unknown = await call('POST', '/api/citizen/password-reset', undefined, {
      email: 'khong-ai@example.vn',
    });
    expect(unknown.statusCode).toBe(202);
    const res = await call('POST', '/api/citizen/password-reset', undefined, {
      email: a.email.toUpperCase(),
    });
    expect(res.statusCode).toBe(202);
    const text = await mailTo(a.email, before);
    expect(text).toContain(`Kính gửi ${a.fullName},`);
    const link = /https:\/\/\S+dat-lai-mat-khau\?token=([A-Za-z0-9_-]+)/.exec(text);
    expect(link, text).not.toBeNull();
    expect(link![0].startsWith(`${PUBLIC_URL}/cong-dich-vu/dat-lai-mat-khau?token=`)).toBe(true);
    expect(mail.inbox.slice(before).some((m) => m.to.includes('khong-ai@example.vn'))).toBe(false);
    const token = link![1]!;
    const newPassword = 'MatKhauMoi-2027';
    const ok = await call('POST', '/api/citizen/password-reset/confirm', undefined, { token, newPassword });
    expect(ok.statusCode, ok.body).toBe(204);
    // Sessions opened with the old password end; the old password no longer works.
    expect((await call('GET', '/api/citizen/me', a.cookie)).statusCode).toBe(401);
    const old = await call('POST', '/api/citizen/sign-in', undefined, { login: a.email, password: PASSWORD });
    expect(old.statusCode).toBe(401);
    const fresh = await call('POST', '/api/citizen/sign-in', undefined, {
      login: a.email,
      password: newPassword,
    });
    expect(fresh.statusCode).toBe(200);
    const again = await call('POST', '/api/citizen/password-reset/confirm', undefined, {
      token,
      newPassword: 'LanThuHai-2027',
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('CITIZEN_RESET_INVALID');
  });

  it('refuses an expired link', async () => {
    const a = await signUp();
    const before = mail.inbox.length;
    await call('POST', '/api/citizen/password-reset', undefined, { email: a.email });
    const token = /token=([A-Za-z0-9_-]+)/.exec(await mailTo(a.email, before))![1]!;
    await t.db
      .updateTable('citizen_password_resets')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('citizen_id', '=', a.id)
      .execute();
    const res = await call('POST', '/api/citizen/password-reset/confirm', undefined, {
      token,
      newPassword: 'MatKhauMoi-2027',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CITIZEN_RESET_INVALID');
    expect(
      (await call('POST', '/api/citizen/sign-in', undefined, { login: a.email, password: PASSWORD }))
        .statusCode,
    ).toBe(200);
  });
});

describe('OIDC sign-in', () => {
  async function start(returnTo = '/cong-dich-vu/ho-so') {
    const res = await call('GET', `/api/citizen/oidc/start?returnTo=${encodeURIComponent(returnTo)}`);
    expect(res.statusCode, res.body).toBe(302);
    return {
      location: new URL(res.headers.location as string),
      stateCookie: cookieOf(res, 'congvu_citizen_oidc'),
    };
  }
  async function complete(s: Awaited<ReturnType<typeof start>>, callbackUrl?: URL) {
    const back = callbackUrl ?? (await followUntil(s.location.href, REDIRECT_URL));
    return call('GET', `/api/citizen/oidc/callback${back.search}`, s.stateCookie);
  }

  it('runs the code + PKCE flow against a real provider, creates then links the citizen', async () => {
    idp.account.current = 'vneid-100';
    const s = await start();
    expect(s.location.origin).toBe(idp.issuer);
    expect(s.location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(s.location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.location.searchParams.get('nonce')).toBeTruthy();
    expect(s.location.searchParams.get('redirect_uri')).toBe(REDIRECT_URL);
    const res = await complete(s);
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/cong-dich-vu/ho-so');
    const me = await call('GET', '/api/citizen/me', cookieOf(res));
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      fullName: 'Nguyễn Thị Định Danh',
      hasPassword: false,
      identities: [{ issuer: idp.issuer }],
    });
    // The same identity signs in the same citizen; another identity is another citizen.
    const again = await complete(await start());
    const meAgain = await call('GET', '/api/citizen/me', cookieOf(again));
    expect(meAgain.json().id).toBe(me.json().id);
    idp.account.current = 'vneid-200';
    const other = await complete(await start());
    expect((await call('GET', '/api/citizen/me', cookieOf(other))).json().id).not.toBe(me.json().id);
  });

  it('refuses a tampered state, a missing state cookie and a replayed callback', async () => {
    idp.account.current = 'vneid-300';
    const s = await start();
    const back = await followUntil(s.location.href, REDIRECT_URL);
    const tampered = new URL(back);
    tampered.searchParams.set('state', `${back.searchParams.get('state')}x`);
    const bad = await call('GET', `/api/citizen/oidc/callback${tampered.search}`, s.stateCookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('CITIZEN_OIDC_STATE_INVALID');
    const noCookie = await call('GET', `/api/citizen/oidc/callback${back.search}`);
    expect(noCookie.json().code).toBe('CITIZEN_OIDC_STATE_INVALID');
    expect((await complete(s, back)).statusCode).toBe(302);
    const replay = await complete(s, back);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe('CITIZEN_OIDC_STATE_INVALID');
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    idp.account.current = 'vneid-400';
    const s = await start();
    await t.db.updateTable('citizen_oidc_states').set({ nonce: 'mot-nonce-khac-hoan-toan' }).execute();
    const res = await complete(s);
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CITIZEN_OIDC_TOKEN_INVALID');
    expect(res.cookies.find((x) => x.name === 'congvu_citizen')).toBeUndefined();
    const n = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM citizen_identities WHERE subject = 'vneid-400'`.execute(t.db);
    expect(n.rows[0]!.n).toBe(0);
  });

  it('refuses a start address that leaves the site', async () => {
    const res = await call(
      'GET',
      `/api/citizen/oidc/start?returnTo=${encodeURIComponent('//evil.example/x')}`,
    );
    expect(res.statusCode).toBe(400);
  });
});

describe('linking an OIDC identity to an existing account', () => {
  /** Starts a link from a signed-in session and comes back through the provider; both cookies sent. */
  async function link(session: string, sub: string) {
    idp.account.current = sub;
    const s = await call('GET', '/api/citizen/oidc/start?link=1', session);
    expect(s.statusCode, s.body).toBe(302);
    const back = await followUntil(s.headers.location as string, REDIRECT_URL);
    return call(
      'GET',
      `/api/citizen/oidc/callback${back.search}`,
      `${session}; ${cookieOf(s, 'congvu_citizen_oidc')}`,
    );
  }

  it('links (issuer, sub) to the signed-in password account, audited; that identity then signs in the same account; unlink', async () => {
    const a = await signUp();
    const res = await link(a.cookie, 'vneid-lien-ket-1');
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/cong-dich-vu/tai-khoan');
    // The session stays the one that asked: no new citizen cookie.
    expect(res.cookies.find((c) => c.name === 'congvu_citizen')).toBeUndefined();
    const me = (await call('GET', '/api/citizen/me', a.cookie)).json();
    expect(me).toMatchObject({ id: a.id, hasPassword: true, identities: [{ issuer: idp.issuer }] });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', a.id)
      .where('action', '=', 'citizen.oidc_linked')
      .execute();
    expect(audit).toHaveLength(1);
    // Signing in with the identity now reaches this account.
    idp.account.current = 'vneid-lien-ket-1';
    const s = await call('GET', '/api/citizen/oidc/start');
    const back = await followUntil(s.headers.location as string, REDIRECT_URL);
    const signIn = await call(
      'GET',
      `/api/citizen/oidc/callback${back.search}`,
      cookieOf(s, 'congvu_citizen_oidc'),
    );
    expect((await call('GET', '/api/citizen/me', cookieOf(signIn))).json().id).toBe(a.id);
    // The profile page offers the link and shows the identity; unlink keeps the password.
    const page = await call('GET', '/cong-dich-vu/tai-khoan', a.cookie);
    expect(page.body).toContain('Liên kết tài khoản VNeID');
    expect(page.body).toContain('/api/citizen/oidc/start?link=1');
    expect(page.body).toContain('Bỏ liên kết');
    // The page's form (CSRF token of the page, this site's Origin).
    const csrf = page.cookies.find((c) => c.name === 'congvu_portal_csrf')!;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const un = await t.app.inject({
      method: 'POST',
      url: '/cong-dich-vu/tai-khoan/bo-lien-ket',
      headers: {
        cookie: `${a.cookie}; congvu_portal_csrf=${csrf.value}`,
        'content-type': 'application/x-www-form-urlencoded',
        origin: PUBLIC_URL,
      },
      payload: new URLSearchParams({ _csrf: token, issuer: idp.issuer }).toString(),
    });
    expect(un.statusCode, un.body).toBe(303);
    expect(un.headers.location).toBe('/cong-dich-vu/tai-khoan?da-bo-lien-ket=1');
    expect((await call('GET', '/api/citizen/me', a.cookie)).json().identities).toEqual([]);
    // Through the API: nothing left to unlink.
    const again = await t.app.inject({
      method: 'DELETE',
      url: '/api/citizen/identities',
      headers: { cookie: a.cookie },
      payload: { issuer: idp.issuer },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('CITIZEN_OIDC_NOT_LINKED');
  });

  it('an identity linked to another account is 409; link=1 without a session is 401; an OIDC-only account cannot unlink', async () => {
    idp.account.current = 'vneid-lien-ket-2';
    const s = await call('GET', '/api/citizen/oidc/start');
    const back = await followUntil(s.headers.location as string, REDIRECT_URL);
    const owner = await call(
      'GET',
      `/api/citizen/oidc/callback${back.search}`,
      cookieOf(s, 'congvu_citizen_oidc'),
    );
    expect(owner.statusCode, owner.body).toBe(302);
    const a = await signUp();
    const res = await link(a.cookie, 'vneid-lien-ket-2');
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('CITIZEN_OIDC_ALREADY_LINKED');
    expect((await call('GET', '/api/citizen/me', a.cookie)).json().identities).toEqual([]);

    const anon = await call('GET', '/api/citizen/oidc/start?link=1');
    expect(anon.statusCode).toBe(401);

    const un = await t.app.inject({
      method: 'DELETE',
      url: '/api/citizen/identities',
      headers: { cookie: cookieOf(owner) },
      payload: { issuer: idp.issuer },
    });
    expect(un.statusCode).toBe(422);
    expect(un.json().code).toBe('CITIZEN_PASSWORD_REQUIRED');
  });

  it('the link is refused when the callback arrives in another session than the one that started it', async () => {
    const a = await signUp();
    const b = await signUp();
    idp.account.current = 'vneid-lien-ket-3';
    const s = await call('GET', '/api/citizen/oidc/start?link=1', a.cookie);
    const back = await followUntil(s.headers.location as string, REDIRECT_URL);
    const res = await call(
      'GET',
      `/api/citizen/oidc/callback${back.search}`,
      `${b.cookie}; ${cookieOf(s, 'congvu_citizen_oidc')}`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CITIZEN_OIDC_STATE_INVALID');
    expect((await call('GET', '/api/citizen/me', a.cookie)).json().identities).toEqual([]);
    expect((await call('GET', '/api/citizen/me', b.cookie)).json().identities).toEqual([]);
  });
});

describe('OIDC ID token signature', () => {
  let u: TestApp;
  let forger: TestProvider;
  beforeAll(async () => {
    forger = await startOidcProvider(REDIRECT_URL);
    forger.forgeJwks.on = true;
    u = await setupApp({
      CONGVU_OIDC_ISSUER: forger.issuer,
      CONGVU_OIDC_CLIENT_ID: forger.clientId,
      CONGVU_OIDC_CLIENT_SECRET: forger.clientSecret,
      CONGVU_OIDC_REDIRECT_URL: REDIRECT_URL,
    });
  });
  afterAll(async () => {
    await u.close();
    await forger.close();
  });

  it("refuses an ID token whose signature does not verify with the provider's published keys", async () => {
    const s = await u.app.inject({ method: 'GET', url: '/api/citizen/oidc/start' });
    expect(s.statusCode, s.body).toBe(302);
    const back = await followUntil(s.headers.location as string, REDIRECT_URL);
    const res = await u.app.inject({
      method: 'GET',
      url: `/api/citizen/oidc/callback${back.search}`,
      headers: { cookie: cookieOf(s, 'congvu_citizen_oidc') },
    });
    expect(res.statusCode, res.body).toBe(401);
    expect(res.json().code).toBe('CITIZEN_OIDC_TOKEN_INVALID');
    expect(await u.db.selectFrom('citizens').select('id').execute()).toEqual([]);
  });
});

describe('citizens and staff never mix', () => {
  it('a citizen cookie cannot call staff routes, nor a staff session citizen routes', async () => {
    const a = await signUp();
    const value = a.cookie.split('=')[1];
    for (const url of ['/api/auth/me', '/api/org/agencies', '/api/dossiers/store-items?idNo=001099000777']) {
      const asCitizen = await call('GET', url, a.cookie);
      expect(asCitizen.statusCode, url).toBe(401);
      // Even the citizen's value under the staff cookie's name is nobody.
      const renamed = await call('GET', url, `congvu_sid=${value}`);
      expect(renamed.statusCode, url).toBe(401);
    }
    const staff = (await t.f.session(['admin'])).cookie;
    for (const url of ['/api/citizen/me', '/api/citizen/store']) {
      const res = await call('GET', url, staff);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
    }
    // A staff session value under the citizen cookie's name is nobody either.
    const staffValue = staff.split('=')[1];
    expect((await call('GET', '/api/citizen/me', `congvu_citizen=${staffValue}`)).statusCode).toBe(401);
  });
});

describe('limits and configuration', () => {
  let u: TestApp;
  beforeAll(async () => {
    u = await setupApp({}, { loginRatePerMinute: 2 });
  });
  afterAll(async () => u.close());

  it('rate-limits sign-in and reset requests per address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 3; i++)
      codes.push(
        (
          await u.app.inject({
            method: 'POST',
            url: '/api/citizen/sign-in',
            payload: { login: 'a@b.vn', password: 'x' },
          })
        ).statusCode,
      );
    expect(codes).toEqual([401, 401, 429]);
    const reset: number[] = [];
    for (let i = 0; i < 3; i++)
      reset.push(
        (
          await u.app.inject({
            method: 'POST',
            url: '/api/citizen/password-reset',
            payload: { email: 'a@b.vn' },
          })
        ).statusCode,
      );
    expect(reset).toEqual([202, 202, 429]);
  });

  it('answers a clear code when OIDC is not configured', async () => {
    const res = await u.app.inject({ method: 'GET', url: '/api/citizen/oidc/start' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'CITIZEN_OIDC_DISABLED' });
  });
});
