import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/**
 * Every endpoint has an access-denied test: the route catalogue is read from the app itself,
 * so a new route without a case here fails the "covered" check below.
 */
let t: TestApp;
let specialist: string;
let ids: {
  agency: string;
  department: string;
  official: string;
  other: string;
  delegation: string;
  notice: string;
  token: string;
};

beforeAll(async () => {
  t = await setupApp({}, { hub: {} });
  const agency = await t.f.agency();
  const dep = await t.f.department(agency.id);
  const boss = await t.f.official({ roles: ['leader'] });
  const other = await t.f.official({ roles: ['specialist'] });
  specialist = (await t.f.session(['specialist'])).cookie;
  const d = await t.services.org.createDelegation(
    { auth: null, ip: null },
    {
      fromOfficialId: boss.id,
      toOfficialId: other.id,
      roles: ['leader'],
      startsAt: new Date(Date.now() - 3600_000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      reason: 'Đi công tác',
    },
  );
  const n = await t.services.calendar.createNotice(
    { auth: null, ip: null },
    { date: '2027-01-04', kind: 'day_off', name: 'Nghỉ thử' },
  );
  const token = await t.ctx.auth.createToken(
    {
      officialId: null,
      fullName: 'x',
      roles: [],
      permissions: new Set(),
      actingFor: null,
      sessionId: null,
      tokenId: null,
    },
    { name: 'Hệ thống thử', permissions: ['org.read'] },
    { ip: null, userAgent: null },
  );
  ids = {
    agency: agency.id,
    department: dep.id,
    official: boss.id,
    other: other.id,
    delegation: d.id,
    notice: n.id,
    token: token.token.id,
  };
});
afterAll(async () => t.close());

function fill(url: string) {
  return url
    .replace(
      ':id',
      url.includes('delegations')
        ? ids.delegation
        : url.includes('notices')
          ? ids.notice
          : url.includes('api-tokens')
            ? ids.token
            : url.includes('departments')
              ? ids.department
              : url.includes('officials')
                ? ids.official
                : ids.agency,
    )
    .replace(':sha256', 'a'.repeat(64));
}

describe('access control', () => {
  it('the catalogue lists every /api route with a declared access', () => {
    expect(t.catalogue.length).toBeGreaterThan(25);
    for (const r of t.catalogue)
      expect([
        'public',
        'session',
        'citizen',
        'org.read',
        'org.manage',
        'audit.read',
        'calendar.manage',
        'tokens.manage',
        'files.read',
        'files.write',
        'documents.read',
        'documents.register',
        'workfiles.read',
        'workfiles.manage',
        'workfiles.approveList',
        'workfiles.archive',
        'signing.trust',
        'exchange.manage',
        'hub.manage',
        'procedures.manage',
        'dossiers.read',
        'dossiers.receive',
        'dossiers.process',
        'dossiers.supervise',
        'meetings.manage',
      ]).toContain(r.access);
  });

  it('every non-public route answers 401 UNAUTHENTICATED without a session', async () => {
    const protectedRoutes = t.catalogue.filter((r) => r.access !== 'public');
    expect(protectedRoutes.length).toBeGreaterThan(25);
    for (const r of protectedRoutes) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: fill(r.url),
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.json(), `${r.method} ${r.url}`).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: 'Vui lòng đăng nhập',
      });
    }
  });

  it('every route needing a permission answers 403 FORBIDDEN to an official without it', async () => {
    const needPermission = t.catalogue.filter(
      (r) =>
        r.access !== 'public' &&
        r.access !== 'session' &&
        r.access !== 'citizen' &&
        ![
          'org.read',
          'files.read',
          'files.write',
          'documents.read',
          'workfiles.read',
          'workfiles.manage',
          // Every role reads dossiers, specialists process them; which ones is per object
          // (dossiers.test.ts, dossier-forms.test.ts deny them).
          'dossiers.read',
          'dossiers.process',
        ].includes(r.access),
    );
    expect(needPermission.length).toBeGreaterThan(10);
    for (const r of needPermission) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: fill(r.url),
        headers: { cookie: specialist },
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });

  it("citizen routes answer 401 to an official's session and an API token: officials are not citizens", async () => {
    const citizenRoutes = t.catalogue.filter((r) => r.access === 'citizen');
    expect(citizenRoutes.length).toBeGreaterThanOrEqual(4);
    const admin = (await t.f.session(['admin'])).cookie;
    const token = await t.ctx.auth.createToken(
      {
        officialId: null,
        fullName: 'x',
        roles: [],
        permissions: new Set(),
        actingFor: null,
        sessionId: null,
        tokenId: null,
      },
      { name: 'Hệ thống thử 2', permissions: ['org.read', 'dossiers.read'] },
      { ip: null, userAgent: null },
    );
    for (const r of citizenRoutes)
      for (const headers of [
        { cookie: admin },
        { cookie: specialist },
        { authorization: `Bearer ${token.secret}` },
      ]) {
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: r.url,
          headers,
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
        expect(res.json().code).toBe('UNAUTHENTICATED');
      }
  });

  it('routes open to every official are denied to an API token without the permission', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/files/${'a'.repeat(64)}`,
      headers: { authorization: 'Bearer cvt_00000000-0000-0000-0000-000000000000.xxxxxxxxxxxxxxxxxxxxxxxx' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('AUTH_TOKEN_INVALID');
  });

  it('session routes with an object-level policy deny other officials (delegations)', async () => {
    // A specialist may not delegate someone else's roles, nor revoke someone else's delegation.
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/org/delegations',
      headers: { cookie: specialist },
      payload: {
        fromOfficialId: ids.official,
        toOfficialId: ids.other,
        roles: ['leader'],
        startsAt: '2026-01-01T00:00:00+07:00',
        endsAt: '2026-02-01T00:00:00+07:00',
        reason: 'Thử quyền',
      },
    });
    expect(create.statusCode).toBe(403);
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/api/org/delegations/${ids.delegation}/revoke`,
      headers: { cookie: specialist },
    });
    expect(revoke.statusCode).toBe(403);
  });

  it("the portal's account pages send a visitor without a citizen session to sign in; an official is nobody there", async () => {
    const staff = (await t.f.session(['admin'])).cookie;
    for (const url of [
      '/cong-dich-vu/tai-khoan',
      '/cong-dich-vu/kho-du-lieu',
      '/cong-dich-vu/thong-bao',
      '/cong-dich-vu/ho-so-cua-toi',
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001',
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/rut',
      `/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/ket-qua/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
    ])
      for (const headers of [{}, { cookie: staff }]) {
        const res = await t.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, url).toBe(303);
        expect(res.headers.location, url).toBe(`/cong-dich-vu/dang-nhap?tiep=${encodeURIComponent(url)}`);
      }
    // A form POST without a session and without its CSRF token changes nothing.
    for (const url of [
      '/cong-dich-vu/tai-khoan',
      '/cong-dich-vu/dang-xuat',
      '/cong-dich-vu/tai-khoan/thong-bao',
      '/cong-dich-vu/tai-khoan/bo-lien-ket',
      '/cong-dich-vu/thong-bao/da-doc-het',
      '/cong-dich-vu/thong-bao/00000000-0000-7000-8000-000000000000/da-doc',
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/rut',
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/thanh-toan',
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/danh-gia',
      '/cong-dich-vu/ho-so-cua-toi/T1-260101-0001/buu-chinh',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: staff, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'fullName=X',
      });
      expect(res.statusCode, url).toBe(403);
    }
  });

  it('online submission pages: a visitor or an official is sent to sign in; POSTs without the token change nothing', async () => {
    const staff = (await t.f.session(['admin'])).cookie;
    const draft = '/cong-dich-vu/nop-truc-tuyen/ho-so-nhap/0190f6a0-0000-7000-8000-000000000001';
    const spec = '0190f6a0-0000-7000-8000-000000000002';
    for (const url of [
      '/cong-dich-vu/nop-truc-tuyen/1.001193',
      draft,
      `${draft}/giay-to`,
      `${draft}/xem-lai`,
      '/cong-dich-vu/nop-truc-tuyen/da-nop/H99-260101-0001',
      '/cong-dich-vu/nop-truc-tuyen/da-nop/H99-260101-0001/bien-nhan.pdf',
    ])
      for (const headers of [{}, { cookie: staff }]) {
        const res = await t.app.inject({ method: 'GET', url, headers });
        expect(res.statusCode, url).toBe(303);
        expect(res.headers.location, url).toBe(`/cong-dich-vu/dang-nhap?tiep=${encodeURIComponent(url)}`);
      }
    for (const url of [
      '/cong-dich-vu/nop-truc-tuyen/1.001193',
      draft,
      `${draft}/giay-to`,
      `${draft}/giay-to/${spec}/kho`,
      `${draft}/giay-to/${spec}/xoa`,
      `${draft}/nop`,
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: staff, 'content-type': 'application/x-www-form-urlencoded' },
        payload: '_action=save',
      });
      expect(res.statusCode, url).toBe(403);
    }
    // An upload without the token: 403 too (the token is a field of the multipart form).
    const upload = await t.app.inject({
      method: 'POST',
      url: `${draft}/giay-to/${spec}`,
      headers: { cookie: staff, 'content-type': 'multipart/form-data; boundary=x' },
      payload:
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\r\n--x--\r\n',
    });
    expect(upload.statusCode).toBe(403);
  });

  it('public routes answer without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(200);
    // The portal's language switch: anyone, signed in or not; it only ever sends back into the portal.
    const lang = await t.app.inject({
      method: 'GET',
      url: '/cong-dich-vu/ngon-ngu?lang=en&tiep=https%3A%2F%2Fevil.example%2F',
    });
    expect(lang.statusCode).toBe(303);
    expect(lang.headers.location).toBe('/cong-dich-vu/');
  });
});
