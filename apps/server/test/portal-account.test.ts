import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_CSP } from '../src/modules/portal/routes.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { type MailSink, startMailSink } from './support/mail-sink.ts';

/**
 * The citizen's account pages of the portal (issue 7): HTML forms posted urlencoded, as a browser
 * without JavaScript does, with its cookies and the CSRF token of the page.
 */
let t: TestApp;
let mail: MailSink;
const PUBLIC_URL = 'https://dichvucong.sonlam.example.vn';
const PASSWORD = 'MatKhau-CongDan-2026';

beforeAll(async () => {
  mail = await startMailSink();
  t = await setupApp({
    SMTP_URL: mail.smtpUrl,
    CONGVU_PUBLIC_URL: PUBLIC_URL,
    CONGVU_OUTBOX_POLL_MS: '50',
    CONGVU_LOCKOUT_THRESHOLD: '3',
  });
});
afterAll(async () => {
  await t.close();
  await mail.close();
});

/** A browser: a cookie jar; forms are read from the page (hidden CSRF field) and posted back. */
class Browser {
  jar = new Map<string, string>();
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: Awaited<ReturnType<TestApp['app']['inject']>>) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }
  async get(url: string) {
    return this.keep(await t.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } }));
  }
  async post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return this.keep(
      await t.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: this.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          origin: PUBLIC_URL,
          ...headers,
        },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }
  /** Opens the page of a form and submits it with the page's token. */
  async submit(
    page: string,
    action: string,
    fields: Record<string, string>,
    headers?: Record<string, string>,
  ) {
    const res = await this.get(page);
    expect(res.statusCode, res.body).toBeLessThan(500);
    return this.post(action, { _csrf: tokenOf(res.body), ...fields }, headers);
  }
}

function tokenOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error(`no CSRF field in ${body.slice(0, 300)}`);
  return m[1];
}

const mailTo = (address: string, from: number) => mail.textTo(address, from);

let seq = 0;
async function signedUp() {
  seq++;
  const b = new Browser();
  const email = `dan${seq}@example.vn`;
  const fullName = `Hoàng Thị Dân ${seq}`;
  const res = await b.submit('/cong-dich-vu/dang-ky', '/cong-dich-vu/dang-ky', {
    fullName,
    email,
    phone: '',
    password: PASSWORD,
  });
  expect(res.statusCode, res.body).toBe(303);
  return { b, email, fullName };
}

describe('sign-up and sign-in pages', () => {
  it('signs up, sets the citizen cookie and shows the name on the profile page and in the header', async () => {
    const b = new Browser();
    const page = await b.get('/cong-dich-vu/dang-ky');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(PORTAL_CSP);
    expect(page.headers['cache-control']).toBe('private, no-store');
    expect(page.body).toContain('<label for="fullName">Họ và tên</label>');
    const csrf = page.cookies.find((c) => c.name === 'congvu_portal_csrf')!;
    expect(csrf.httpOnly).toBe(true);
    expect(csrf.sameSite).toBe('Lax');
    const res = await b.post('/cong-dich-vu/dang-ky', {
      _csrf: tokenOf(page.body),
      fullName: 'Lò Văn Páo',
      phone: '0912 000 111',
      email: '',
      password: PASSWORD,
    });
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe('/cong-dich-vu/tai-khoan');
    const session = res.cookies.find((c) => c.name === 'congvu_citizen')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Lax');
    expect(session.path).toBe('/');
    // The same cookie as the JSON API: /api/citizen/me answers with it.
    const me = await t.app.inject({ method: 'GET', url: '/api/citizen/me', headers: { cookie: b.cookie } });
    expect(me.json()).toMatchObject({ fullName: 'Lò Văn Páo', phone: '0912000111' });
    const profile = await b.get('/cong-dich-vu/tai-khoan');
    expect(profile.statusCode).toBe(200);
    expect(profile.headers['content-security-policy']).toBe(PORTAL_CSP);
    expect(profile.body).toContain('Tài khoản của Lò Văn Páo');
    expect(profile.body).toContain('<li class="who">Lò Văn Páo</li>');
    expect(profile.body).toContain('href="/cong-dich-vu/dang-xuat">Đăng xuất</a>');
    // Public pages name the citizen too, and are then never cached.
    const home = await b.get('/cong-dich-vu/');
    expect(home.body).toContain('<li class="who">Lò Văn Páo</li>');
    expect(home.headers['cache-control']).toBe('private, no-store');
    expect(String(home.headers.vary)).toContain('cookie');
    const anon = await t.app.inject({ method: 'GET', url: '/cong-dich-vu/' });
    expect(anon.body).toContain('href="/cong-dich-vu/dang-nhap">Đăng nhập</a>');
    expect(anon.body).not.toContain('class="who"');
  });

  it('re-renders sign-up errors next to the fields in Vietnamese, values kept, never the password', async () => {
    const a = await signedUp();
    const b = new Browser();
    const res = await b.submit('/cong-dich-vu/dang-ky', '/cong-dich-vu/dang-ky', {
      fullName: 'Người <thứ> hai',
      email: a.email,
      phone: '',
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain(
      '<p class="error" id="email-loi">Thư điện tử này đã được dùng cho một tài khoản khác</p>',
    );
    expect(res.body).toContain('value="Người &lt;thứ&gt; hai"');
    expect(res.body).not.toContain(PASSWORD);
    const weak = await b.submit('/cong-dich-vu/dang-ky', '/cong-dich-vu/dang-ky', {
      fullName: 'X',
      email: '',
      phone: '',
      password: 'ngan',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('Họ và tên cần từ 2 đến 200 ký tự');
    expect(weak.body).toContain('Cần số điện thoại hoặc thư điện tử');
    expect(weak.body).toContain('Mật khẩu cần ít nhất 10 ký tự');
    expect(weak.body).toContain('aria-invalid="true"');
  });

  it('signs in with the e-mail; a wrong password re-renders with the message; then the lockout message', async () => {
    const a = await signedUp();
    const b = new Browser();
    const ok = await b.submit('/cong-dich-vu/dang-nhap', '/cong-dich-vu/dang-nhap', {
      login: a.email.toUpperCase(),
      password: PASSWORD,
    });
    expect(ok.statusCode, ok.body).toBe(303);
    expect(ok.headers.location).toBe('/cong-dich-vu/tai-khoan');
    expect((await b.get('/cong-dich-vu/tai-khoan')).body).toContain(`Tài khoản của ${a.fullName}`);

    const c = new Browser();
    for (let i = 0; i < 2; i++) {
      const bad = await c.submit('/cong-dich-vu/dang-nhap', '/cong-dich-vu/dang-nhap', {
        login: a.email,
        password: 'sai-mat-khau-1',
      });
      expect(bad.statusCode).toBe(401);
      expect(bad.body).toContain(
        '<p class="error" id="password-loi">Số điện thoại, thư điện tử hoặc mật khẩu không đúng</p>',
      );
      expect(bad.body).toContain(`value="${a.email}"`);
      expect(bad.body).not.toContain('sai-mat-khau-1');
      expect(bad.cookies.find((x) => x.name === 'congvu_citizen')).toBeUndefined();
    }
    const locked = await c.submit('/cong-dich-vu/dang-nhap', '/cong-dich-vu/dang-nhap', {
      login: a.email,
      password: 'sai-mat-khau-1',
    });
    expect(locked.statusCode).toBe(423);
    expect(locked.body).toContain('Tài khoản tạm khóa do đăng nhập sai nhiều lần');
    const evenRight = await c.submit('/cong-dich-vu/dang-nhap', '/cong-dich-vu/dang-nhap', {
      login: a.email,
      password: PASSWORD,
    });
    expect(evenRight.statusCode).toBe(423);
  });

  it('goes back to the page asked for, only on this portal', async () => {
    const a = await signedUp();
    const b = new Browser();
    const anon = await b.get('/cong-dich-vu/kho-du-lieu');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/cong-dich-vu/dang-nhap?tiep=%2Fcong-dich-vu%2Fkho-du-lieu');
    const page = await b.get(anon.headers.location as string);
    expect(page.body).toContain('name="tiep" value="/cong-dich-vu/kho-du-lieu"');
    const res = await b.post('/cong-dich-vu/dang-nhap', {
      _csrf: tokenOf(page.body),
      tiep: '/cong-dich-vu/kho-du-lieu',
      login: a.email,
      password: PASSWORD,
    });
    expect(res.headers.location).toBe('/cong-dich-vu/kho-du-lieu');
    const c = new Browser();
    const evil = await c.submit('/cong-dich-vu/dang-nhap', '/cong-dich-vu/dang-nhap', {
      tiep: '//evil.example/cong-dich-vu/',
      login: a.email,
      password: PASSWORD,
    });
    expect(evil.headers.location).toBe('/cong-dich-vu/tai-khoan');
  });

  it('shows the VNeID button only when OIDC is configured', async () => {
    const page = await new Browser().get('/cong-dich-vu/dang-nhap');
    expect(page.body).not.toContain('Đăng nhập bằng VNeID');
    // Configured (the provider is read only when a sign-in starts, so none is needed here).
    const withOidc = await setupApp({
      CONGVU_OIDC_ISSUER: 'http://127.0.0.1:9/oidc',
      CONGVU_OIDC_CLIENT_ID: 'congvu',
      CONGVU_OIDC_CLIENT_SECRET: 'bi-mat',
      CONGVU_OIDC_REDIRECT_URL: `${PUBLIC_URL}/api/citizen/oidc/callback`,
    });
    try {
      const res = await withOidc.app.inject({
        method: 'GET',
        url: '/cong-dich-vu/dang-nhap?tiep=%2Fcong-dich-vu%2Fkho-du-lieu',
      });
      expect(res.body).toContain(
        '<a class="button" href="/api/citizen/oidc/start?returnTo=%2Fcong-dich-vu%2Fkho-du-lieu">Đăng nhập bằng VNeID</a>',
      );
    } finally {
      await withOidc.close();
    }
  });

  it('signs out with a POST and ends the session', async () => {
    const a = await signedUp();
    const old = a.b.cookie;
    const res = await a.b.submit('/cong-dich-vu/dang-xuat', '/cong-dich-vu/dang-xuat', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/cong-dich-vu/');
    const me = await t.app.inject({ method: 'GET', url: '/api/citizen/me', headers: { cookie: old } });
    expect(me.statusCode).toBe(401);
    expect((await a.b.get('/cong-dich-vu/tai-khoan')).statusCode).toBe(303);
  });
});

describe('CSRF', () => {
  it("refuses a POST without the token, with a wrong one, another session's one, or from another site", async () => {
    const a = await signedUp();
    const page = await a.b.get('/cong-dich-vu/tai-khoan');
    const token = tokenOf(page.body);
    const fields = { fullName: 'Kẻ tấn công', email: a.email, phone: '', idNo: '', address: '' };
    const cases: [string, Record<string, string>, Record<string, string>][] = [
      ['missing', fields, {}],
      ['wrong', { ...fields, _csrf: `${token.slice(0, -2)}xx` }, {}],
      ['other site', { ...fields, _csrf: token }, { origin: 'https://evil.example' }],
      ['opaque origin', { ...fields, _csrf: token }, { origin: 'null' }],
      ['other referer', { ...fields, _csrf: token }, { origin: '', referer: 'https://evil.example/x' }],
    ];
    for (const [what, body, headers] of cases) {
      const h = { ...headers };
      if (h.origin === '') delete h.origin;
      const res = await t.app.inject({
        method: 'POST',
        url: '/cong-dich-vu/tai-khoan',
        headers: {
          cookie: a.b.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          ...(what !== 'other referer' && { origin: PUBLIC_URL }),
          ...h,
        },
        payload: new URLSearchParams(body).toString(),
      });
      expect(res.statusCode, what).toBe(403);
      expect(res.headers['content-type'], what).toContain('text/html');
      expect(res.body, what).toContain('Không gửi được biểu mẫu');
    }
    // Another browser's cookie with this page's token does not pass either.
    const other = await signedUp();
    await other.b.get('/cong-dich-vu/tai-khoan');
    const swapped = await other.b.post('/cong-dich-vu/tai-khoan', { ...fields, _csrf: token });
    expect(swapped.statusCode).toBe(403);
    // A sign-in form without a token (login CSRF) is refused too.
    const login = await new Browser().post('/cong-dich-vu/dang-nhap', { login: a.email, password: PASSWORD });
    expect(login.statusCode).toBe(403);
    expect(login.cookies.find((c) => c.name === 'congvu_citizen')).toBeUndefined();
    // Nothing changed.
    expect((await a.b.get('/cong-dich-vu/tai-khoan')).body).toContain(`Tài khoản của ${a.fullName}`);
    // The right token from this site passes (Referer only, as some browsers send).
    const ok = await a.b.post(
      '/cong-dich-vu/tai-khoan',
      { ...fields, fullName: 'Tên mới', _csrf: token },
      { referer: `${PUBLIC_URL}/cong-dich-vu/tai-khoan` },
    );
    expect(ok.statusCode, ok.body).toBe(303);
  });

  it('account pages send their Origin to this site only (Referrer-Policy same-origin)', async () => {
    const page = await new Browser().get('/cong-dich-vu/dang-nhap');
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(page.headers['x-frame-options']).toBe('DENY');
  });
});

describe('password reset pages', () => {
  it('says the same whether or not the e-mail has an account; the link sets a new password once', async () => {
    const a = await signedUp();
    const before = mail.inbox.length;
    const b = new Browser();
    const unknown = await b.submit('/cong-dich-vu/quen-mat-khau', '/cong-dich-vu/quen-mat-khau', {
      email: 'khong-co-ai@example.vn',
    });
    const known = await b.submit('/cong-dich-vu/quen-mat-khau', '/cong-dich-vu/quen-mat-khau', {
      email: a.email,
    });
    expect(unknown.statusCode).toBe(303);
    expect(known.statusCode).toBe(303);
    expect(known.headers.location).toBe(unknown.headers.location);
    const sent = await b.get(known.headers.location as string);
    expect(sent.body).toContain('Nếu thư điện tử này đã đăng ký tài khoản');
    const text = await mailTo(a.email, before);
    const link = /(https:\S+dat-lai-mat-khau\?token=[A-Za-z0-9_-]+)/.exec(text)![1]!;
    expect(link.startsWith(`${PUBLIC_URL}/cong-dich-vu/dat-lai-mat-khau?token=`)).toBe(true);
    const path = link.slice(PUBLIC_URL.length);
    const token = new URL(link).searchParams.get('token')!;

    const page = await b.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(PORTAL_CSP);
    expect(page.body).toContain(`name="token" value="${token}"`);
    const mismatch = await b.post('/cong-dich-vu/dat-lai-mat-khau', {
      _csrf: tokenOf(page.body),
      token,
      newPassword: 'MatKhauMoi-2027',
      confirm: 'MatKhauKhac-2027',
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.body).toContain('Mật khẩu nhập lại không khớp');
    const done = await b.post('/cong-dich-vu/dat-lai-mat-khau', {
      _csrf: tokenOf(page.body),
      token,
      newPassword: 'MatKhauMoi-2027',
      confirm: 'MatKhauMoi-2027',
    });
    expect(done.statusCode, done.body).toBe(303);
    expect(done.headers.location).toBe('/cong-dich-vu/dang-nhap?da-doi-mat-khau=1');
    expect((await b.get(done.headers.location as string)).body).toContain('Đã đặt mật khẩu mới');
    // The old session ended; the new password signs in; the link works once.
    expect((await a.b.get('/cong-dich-vu/tai-khoan')).statusCode).toBe(303);
    const signIn = await b.submit('/cong-dich-vu/dang-nhap', '/cong-dich-vu/dang-nhap', {
      login: a.email,
      password: 'MatKhauMoi-2027',
    });
    expect(signIn.statusCode).toBe(303);
    const again = await b.submit(path, '/cong-dich-vu/dat-lai-mat-khau', {
      token,
      newPassword: 'MatKhauMoi-2028',
      confirm: 'MatKhauMoi-2028',
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Liên kết đặt lại mật khẩu không hợp lệ, đã hết hạn hoặc đã được dùng');
  });

  it('a reset page without a valid token says so', async () => {
    const res = await new Browser().get('/cong-dich-vu/dat-lai-mat-khau');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Liên kết đặt lại mật khẩu không hợp lệ');
  });
});

describe('profile and data store pages', () => {
  it('edits the profile; errors are shown next to the field', async () => {
    const a = await signedUp();
    const ok = await a.b.submit('/cong-dich-vu/tai-khoan', '/cong-dich-vu/tai-khoan', {
      fullName: 'Hoàng Thị Dân Mới',
      email: a.email,
      phone: '+84 987 654 321',
      idNo: '001099001234',
      address: 'Bản Mường, xã Mường Thử',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    expect(ok.headers.location).toBe('/cong-dich-vu/tai-khoan?da-luu=1');
    const page = await a.b.get(ok.headers.location as string);
    expect(page.body).toContain('Đã lưu thông tin cá nhân.');
    expect(page.body).toContain('Tài khoản của Hoàng Thị Dân Mới');
    expect(page.body).toContain('value="0987654321"');
    expect(page.body).toContain('value="001099001234"');
    expect(page.body).toContain('value="Bản Mường, xã Mường Thử"');
    const audit = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_type', '=', 'citizen')
      .where('action', '=', 'citizen.profile_updated')
      .execute();
    expect(audit.length).toBeGreaterThan(0);

    const bad = await a.b.submit('/cong-dich-vu/tai-khoan', '/cong-dich-vu/tai-khoan', {
      fullName: 'Hoàng Thị Dân Mới',
      email: a.email,
      phone: '',
      idNo: '12345',
      address: '',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<p class="error" id="idNo-loi">Số CCCD gồm 12 chữ số</p>');
    expect(bad.body).toContain('value="12345"');
    const other = await signedUp();
    const taken = await other.b.submit('/cong-dich-vu/tai-khoan', '/cong-dich-vu/tai-khoan', {
      fullName: other.fullName,
      email: other.email,
      phone: '',
      idNo: '001099001234',
      address: '',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain(
      '<p class="error" id="idNo-loi">Số CCCD này đã gắn với một tài khoản khác</p>',
    );
  });

  it('lists only the own data store items, with download links', async () => {
    const a = await signedUp();
    const b = await signedUp();
    const noId = await a.b.get('/cong-dich-vu/kho-du-lieu');
    expect(noId.statusCode).toBe(200);
    expect(noId.body).toContain('Cần khai báo số CCCD');
    const mine = uuidv7();
    await t.db
      .insertInto('citizen_store_items')
      .values([
        {
          id: mine,
          owner_id_no: '001099002001',
          kind: 'result',
          code: null,
          name: 'Giấy khai sinh của tôi',
          blob: 'a'.repeat(64),
        },
        {
          id: uuidv7(),
          owner_id_no: '001099002002',
          kind: 'component',
          code: null,
          name: 'Sổ của người khác',
          blob: 'b'.repeat(64),
        },
      ])
      .execute();
    for (const [c, idNo] of [
      [a, '001099002001'],
      [b, '001099002003'],
    ] as const) {
      const r = await c.b.submit('/cong-dich-vu/tai-khoan', '/cong-dich-vu/tai-khoan', {
        fullName: c.fullName,
        email: c.email,
        phone: '',
        idNo,
        address: '',
      });
      expect(r.statusCode).toBe(303);
    }
    const page = await a.b.get('/cong-dich-vu/kho-du-lieu');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBe(PORTAL_CSP);
    expect(page.body).toContain(`<a href="/api/citizen/store/${mine}/file">Giấy khai sinh của tôi</a>`);
    expect(page.body).toContain('Kết quả giải quyết');
    expect(page.body).not.toContain('Sổ của người khác');
    const theirs = await b.b.get('/cong-dich-vu/kho-du-lieu');
    expect(theirs.body).toContain('Kho dữ liệu chưa có giấy tờ nào');
    expect(theirs.body).not.toContain('Giấy khai sinh của tôi');
  });
});
