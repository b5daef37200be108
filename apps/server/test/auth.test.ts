import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, TEST_PASSWORD, type TestApp } from './helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp({ CONGVU_LOCKOUT_THRESHOLD: '3', CONGVU_LOCKOUT_MINUTES: '15' });
});
afterAll(async () => t.close());

const login = (username: string, password: string, totp?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password, ...(totp && { totp }) },
  });

describe('sign-in', () => {
  it('signs in with an HTTP-only SameSite cookie and answers /me', async () => {
    const o = await t.f.official({ roles: ['clerk'], fullName: 'Đặng Thị Hoa' });
    const res = await login(o.username, TEST_PASSWORD);
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'congvu_sid')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Strict');
    expect(res.json()).toMatchObject({
      username: o.username,
      fullName: 'Đặng Thị Hoa',
      permissions: expect.arrayContaining(['org.read']),
    });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `congvu_sid=${c.value}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json().roles).toEqual([{ role: 'clerk', agencyId: null }]);
    // The stored session id is a hash, never the cookie value.
    const rows = await t.db.selectFrom('sessions').select('id').execute();
    expect(rows.map((r) => r.id)).not.toContain(c.value);
  });

  it('a wrong password gives the Vietnamese message and is audited', async () => {
    const o = await t.f.official();
    const res = await login(o.username, 'sai-mat-khau-1');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      code: 'AUTH_INVALID_CREDENTIALS',
      message: 'Tên đăng nhập hoặc mật khẩu không đúng',
    });
    const a = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.login_failed')
      .where('actor_id', '=', o.id)
      .execute();
    expect(a).toHaveLength(1);
    expect(a[0]!.summary).toMatchObject({ reason: 'wrong_password' });
  });

  it('an unknown user gets the same answer as a wrong password', async () => {
    const res = await login('khong.ton.tai', 'bat-ky-1234');
    expect(res.json()).toEqual({
      code: 'AUTH_INVALID_CREDENTIALS',
      message: 'Tên đăng nhập hoặc mật khẩu không đúng',
    });
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    const o = await t.f.official();
    expect((await login(o.username, 'sai-1-aaaaaa')).statusCode).toBe(401);
    expect((await login(o.username, 'sai-2-aaaaaa')).statusCode).toBe(401);
    const third = await login(o.username, 'sai-3-aaaaaa');
    expect(third.statusCode).toBe(423);
    expect(third.json().code).toBe('AUTH_LOCKED');
    const right = await login(o.username, TEST_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.json().message).toContain('tạm khóa');
  });

  it('a deactivated account cannot sign in and its sessions end', async () => {
    const admin = await t.f.session(['admin']);
    const o = await t.f.official();
    const cookie = await t.f.login(o.username);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/org/officials/${o.id}`,
      headers: { cookie: admin.cookie },
      payload: { isActive: false },
    });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(
      401,
    );
    expect((await login(o.username, TEST_PASSWORD)).json().code).toBe('AUTH_ACCOUNT_DISABLED');
  });

  it('signs out here and everywhere', async () => {
    const o = await t.f.official();
    const a = await t.f.login(o.username);
    const b = await t.f.login(o.username);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: a } });
    expect(out.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: a } })).statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: b } })).statusCode,
    ).toBe(200);
    const c = await t.f.login(o.username);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: { cookie: c } }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: b } })).statusCode,
    ).toBe(401);
  });

  it('changes the own password only with the current one', async () => {
    const o = await t.f.official();
    const cookie = await t.f.login(o.username);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: 'nham-123456', newPassword: 'MoiMoi-2026x' },
    });
    expect(wrong.json().code).toBe('AUTH_WRONG_PASSWORD');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'MoiMoi-2026x' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await login(o.username, 'MoiMoi-2026x')).statusCode).toBe(200);
  });

  it('an admin resets a password and the official signs in with it', async () => {
    const admin = await t.f.session(['admin']);
    const o = await t.f.official();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/org/officials/${o.id}/reset-password`,
      headers: { cookie: admin.cookie },
      payload: { newPassword: 'DatLai-2026a' },
    });
    expect(res.statusCode).toBe(204);
    expect((await login(o.username, TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login(o.username, 'DatLai-2026a')).statusCode).toBe(200);
  });

  it('TOTP: setup, enable with a code, then sign-in needs the code', async () => {
    const o = await t.f.official();
    const cookie = await t.f.login(o.username);
    const setup = await t.app.inject({ method: 'POST', url: '/api/auth/totp/setup', headers: { cookie } });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/CongVu/);
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enable',
      headers: { cookie },
      payload: { code: '000000' === totp.generate() ? '111111' : '000000' },
    });
    expect(bad.json().code).toBe('AUTH_TOTP_INVALID');
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enable',
      headers: { cookie },
      payload: { code: totp.generate() },
    });
    expect(en.statusCode).toBe(204);
    const noCode = await login(o.username, TEST_PASSWORD);
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('AUTH_TOTP_REQUIRED');
    expect((await login(o.username, TEST_PASSWORD, totp.generate())).statusCode).toBe(200);
    const dis = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/disable',
      headers: { cookie },
      payload: { password: TEST_PASSWORD },
    });
    expect(dis.statusCode).toBe(204);
    expect((await login(o.username, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('rate-limits sign-in attempts per IP', async () => {
    const limited = await setupApp({}, { loginRatePerMinute: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'ai.do', password: 'x-1234567890' },
        });
        codes.push(r.statusCode);
        if (r.statusCode === 429)
          expect(r.json()).toMatchObject({
            code: 'RATE_LIMITED',
            message: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
          });
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes.slice(3)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('API tokens', () => {
  it('an admin creates a token; it works with its permissions only and stops after revocation', async () => {
    const admin = await t.f.session(['admin']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/api-tokens',
      headers: { cookie: admin.cookie },
      payload: { name: 'Trục liên thông', permissions: ['org.read'] },
    });
    expect(res.statusCode).toBe(201);
    const { token, secret } = res.json();
    const auth = { authorization: `Bearer ${secret}` };
    expect((await t.app.inject({ method: 'GET', url: '/api/org/agencies', headers: auth })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/audit', headers: auth })).statusCode).toBe(403);
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/admin/api-tokens',
      headers: { cookie: admin.cookie },
    });
    expect(JSON.stringify(list.json())).not.toContain(secret.split('.')[1]);
    await t.app.inject({
      method: 'POST',
      url: `/api/admin/api-tokens/${token.id}/revoke`,
      headers: { cookie: admin.cookie },
    });
    const after = await t.app.inject({ method: 'GET', url: '/api/org/agencies', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('AUTH_TOKEN_INVALID');
  });
});
