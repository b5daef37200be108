import { ProcedureInput, type Role } from '@congvu/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthContext, permissionsFor } from '../src/platform/policy.ts';
import { setupApp, type TestApp } from './helpers.ts';

/**
 * The portal's English switch (issue 7): a link sets the `congvu_lang` cookie and comes back
 * to the page (portal paths only); pages then say `<html lang="en">` with English headings,
 * stored data stays Vietnamese except the English labels the data has (dossier states, QĐ 766).
 */
let t: TestApp;
let birth: { code: string };
let dossier: { code: string; lookupSecret: string };

async function actor(roles: Role[], agencyId: string | null) {
  const o = await t.f.official({ roles, ...(agencyId && { agencyId }) });
  const grants = roles.map((role) => ({ role, agencyId }));
  const auth: AuthContext = {
    officialId: o.id,
    fullName: o.fullName,
    roles: grants,
    permissions: new Set(permissionsFor(grants)),
    actingFor: null,
    sessionId: null,
    tokenId: null,
  };
  return { auth, ip: null };
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });
const EN = { cookie: 'congvu_lang=en' };

beforeAll(async () => {
  t = await setupApp();
  const A = await t.f.agency({ name: 'UBND xã Ngôn Ngữ', kind: 'commune_committee' });
  const admin = await actor(['admin'], null);
  const p = t.services.procedures;
  await p.createSector(admin, { code: 'HT', name: 'Hộ tịch' });
  const role = 'counter' as const;
  const step = { agencyId: null, departmentId: null, role, durationHours: 4 };
  const made = await p.create(
    admin,
    ProcedureInput.parse({
      code: '1.001193',
      name: 'Đăng ký khai sinh',
      sectorCode: 'HT',
      authorityLevel: 'commune',
      onlineLevel: 'full',
      agencyIds: [A.id],
      published: true,
      validFrom: '2025-01-01',
      validTo: null,
      cases: [
        {
          name: 'Đúng hạn',
          channels: [
            { channel: 1, durationValue: 1, durationUnit: 'working_days', fees: [] },
            {
              channel: 2,
              durationValue: 2,
              durationUnit: 'working_days',
              fees: [{ name: 'Lệ phí khai sinh', kind: 'charge', amount: 1_000_000, when: 'before' }],
            },
          ],
          components: [{ name: 'Giấy chứng sinh', originals: 1, certified: 0, copies: 0, required: true }],
          workflow: [
            { name: 'Tiếp nhận', kind: 'receive' as const, ...step },
            { name: 'Trả kết quả', kind: 'return' as const, ...step },
          ],
        },
      ],
    }),
  );
  birth = { code: made.code };
  const detail = await p.get(made.id);
  const d = await t.services.dossiers.receive(await actor(['counter'], A.id), {
    procedureId: made.id,
    caseId: detail.cases[0]!.id,
    channel: 1,
    applicant: { kind: 1, name: 'Lò Văn Ngữ', idNo: '001090054321' },
    sets: 1,
    components: [{ name: 'Giấy chứng sinh', originals: 1, certified: 0, copies: 0 }],
    paidFees: [],
  } as never);
  dossier = { code: d.code, lookupSecret: d.lookupSecret };
});
afterAll(async () => t?.close());

describe('the language switch', () => {
  it('sets the cookie for a year on the portal path and goes back to the page it came from', async () => {
    const back = '/cong-dich-vu/thu-tuc?q=khai%20sinh&trang=1';
    const res = await get(`/cong-dich-vu/ngon-ngu?lang=en&tiep=${encodeURIComponent(back)}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(back);
    expect(res.headers['cache-control']).toBe('no-store');
    const c = res.cookies.find((x) => x.name === 'congvu_lang');
    expect(c).toMatchObject({ value: 'en', path: '/cong-dich-vu', sameSite: 'Lax', httpOnly: true });
    expect(c?.maxAge).toBe(365 * 24 * 3600);
  });

  it('never leaves the portal: another site, another path or a protocol-relative address goes home', async () => {
    for (const tiep of [
      'https://evil.example/cong-dich-vu/',
      '//evil.example/cong-dich-vu/',
      '/cong-dich-vu//evil.example',
      '/api/me',
      '/cong-dich-vu\\@evil.example',
    ]) {
      const res = await get(`/cong-dich-vu/ngon-ngu?lang=en&tiep=${encodeURIComponent(tiep)}`);
      expect(res.statusCode, tiep).toBe(303);
      expect(res.headers.location, tiep).toBe('/cong-dich-vu/');
    }
    expect((await get('/cong-dich-vu/ngon-ngu?lang=en')).headers.location).toBe('/cong-dich-vu/');
  });

  it('an unknown language is the 400 page and sets nothing', async () => {
    const res = await get('/cong-dich-vu/ngon-ngu?lang=fr&tiep=/cong-dich-vu/');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Yêu cầu không hợp lệ');
    expect(res.cookies.find((x) => x.name === 'congvu_lang')).toBeUndefined();
    // In English, the 400 page is English.
    expect((await get('/cong-dich-vu/ngon-ngu?lang=fr', EN)).body).toContain('<h1>Bad request</h1>');
  });

  it('the header links to the other language with hreflang, back to this very page', async () => {
    const vi = await get('/cong-dich-vu/thu-tuc?q=khai');
    expect(vi.body).toContain('<html lang="vi">');
    expect(vi.body).toContain(
      `<a href="/cong-dich-vu/ngon-ngu?lang=en&amp;tiep=${encodeURIComponent('/cong-dich-vu/thu-tuc?q=khai')}" hreflang="en" lang="en">English</a>`,
    );
    const en = await get('/cong-dich-vu/thu-tuc?q=khai', EN);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('hreflang="vi" lang="vi">Tiếng Việt</a>');
  });
});

describe('English pages', () => {
  it('switching to English, the pages say lang="en" with English headings; switching back, Vietnamese again', async () => {
    const switched = await get('/cong-dich-vu/ngon-ngu?lang=en&tiep=/cong-dich-vu/');
    const cookie = `congvu_lang=${switched.cookies.find((c) => c.name === 'congvu_lang')?.value}`;
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    const pages: [string, string[]][] = [
      [
        '/cong-dich-vu/',
        ['<h1>Find administrative procedures, follow your dossier</h1>', 'Skip to main content'],
      ],
      [
        '/cong-dich-vu/thu-tuc',
        ['<h1>Administrative procedures</h1>', 'Procedures found: 1.', 'All sectors'],
      ],
      [
        `/cong-dich-vu/thu-tuc/${birth.code}`,
        ['<h2 id="noi-nop">Where to submit</h2>', 'Processing time and fees by channel', '1,000,000 VND'],
      ],
      ['/cong-dich-vu/tra-cuu', ['<h1>Dossier lookup</h1>', '<label for="k">Lookup code</label>']],
      [
        `/cong-dich-vu/thong-ke?nam=${year}`,
        [`Citizen and business service index, ${year}`, 'Whole province'],
      ],
      ['/cong-dich-vu/dang-nhap', ['<h1>Sign in</h1>', 'Phone number or e-mail']],
      ['/cong-dich-vu/dang-ky', ['<h1>Create an account</h1>']],
      ['/cong-dich-vu/quen-mat-khau', ['<h1>Forgotten password</h1>']],
    ];
    for (const [url, texts] of pages) {
      const res = await get(url, { cookie });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<html lang="en">');
      expect(res.headers['content-language'], url).toBe('en');
      for (const text of texts) expect(res.body, url).toContain(text);
    }
    // Stored data stays as stored, marked as Vietnamese.
    const proc = await get(`/cong-dich-vu/thu-tuc/${birth.code}`, { cookie });
    expect(proc.body).toContain('<h1 lang="vi">Đăng ký khai sinh</h1>');

    const back = await get('/cong-dich-vu/ngon-ngu?lang=vi&tiep=/cong-dich-vu/thu-tuc', { cookie });
    expect(back.headers.location).toBe('/cong-dich-vu/thu-tuc');
    const viCookie = `congvu_lang=${back.cookies.find((c) => c.name === 'congvu_lang')?.value}`;
    const vi = await get('/cong-dich-vu/thu-tuc', { cookie: viCookie });
    expect(vi.body).toContain('<html lang="vi">');
    expect(vi.body).toContain('<h1>Thủ tục hành chính</h1>');
    expect(vi.body).not.toContain('Administrative procedures</h1>');
  });

  it('statistics: the QĐ 766 indicators in their English labels, numbers in English form', async () => {
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    const en = await get(`/cong-dich-vu/thong-ke?nam=${year}`, EN);
    expect(en.body).toContain('<th scope="row">Procedures published</th>');
    expect(en.body).toContain('<th scope="row">On-time processing</th>');
    expect(en.body).toContain('<title id="bieu-do-diem-t">QĐ 766 index score by agency');
    expect(en.body).not.toContain('Công khai TTHC');
    expect((await get(`/cong-dich-vu/thong-ke?nam=${year}`)).body).toContain(
      '<th scope="row">Công khai TTHC</th>',
    );
  });

  it('the signed-in pages (account, data store, sign-out) in English', async () => {
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/citizen/sign-up',
      payload: { email: 'ngon-ngu@example.vn', password: 'MatKhau-2026x', fullName: 'Lò Thị Anh' },
    });
    const session = up.cookies.find((c) => c.name === 'congvu_citizen');
    const cookie = `${EN.cookie}; congvu_citizen=${session?.value}`;
    const pages: [string, string][] = [
      ['/cong-dich-vu/tai-khoan', '<h1>Account of Lò Thị Anh</h1>'],
      ['/cong-dich-vu/kho-du-lieu', 'Add your citizen ID number to your '],
      ['/cong-dich-vu/dang-xuat', 'Sign out of the public service portal on this device?'],
    ];
    for (const [url, text] of pages) {
      const res = await get(url, { cookie });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('<html lang="en">');
      expect(res.body, url).toContain(text);
      expect(res.headers['cache-control'], url).toBe('private, no-store');
    }
    // Without a session, still the redirect to sign-in (the language changes nothing there).
    const anon = await get('/cong-dich-vu/tai-khoan', EN);
    expect(anon.statusCode).toBe(303);
  });

  it('the lookup shows the state map English label and English dates stay dd/MM/yyyy', async () => {
    const url = `/cong-dich-vu/tra-cuu?ma=${encodeURIComponent(dossier.code)}&k=${dossier.lookupSecret}`;
    const en = await get(url, EN);
    expect(en.statusCode).toBe(200);
    expect(en.body).toContain('Status: Received');
    expect(en.body).toContain('What you need to do:');
    expect(en.body).toMatch(/Received on<\/dt><dd>\d{2}\/\d{2}\/\d{4}</);
    expect(en.headers['cache-control']).toBe('private, no-store');
    const vi = await get(url);
    expect(vi.body).toContain('Tình trạng: Được tiếp nhận');
    const missing = await get('/cong-dich-vu/tra-cuu?ma=KHONG-CO&k=000000000000', EN);
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Dossier not found');
  });

  it('the languages never share a cached copy: Vary Cookie, a different ETag, 304 only for its own', async () => {
    const vi = await get('/cong-dich-vu/');
    const en = await get('/cong-dich-vu/', EN);
    for (const r of [vi, en]) {
      expect(r.headers.vary).toContain('cookie');
      expect(r.headers['cache-control']).toBe('public, max-age=300');
    }
    expect(en.headers.etag).not.toBe(vi.headers.etag);
    const viEtag = String(vi.headers.etag);
    expect((await get('/cong-dich-vu/', { 'if-none-match': viEtag })).statusCode).toBe(304);
    expect((await get('/cong-dich-vu/', { ...EN, 'if-none-match': viEtag })).statusCode).toBe(200);
  });

  it('error pages and account form messages are English too', async () => {
    const nf = await get('/cong-dich-vu/khong-co-trang-nay', EN);
    expect(nf.statusCode).toBe(404);
    expect(nf.body).toContain('<h1>Page not found</h1>');

    // The sign-up form with a bad phone and a short password: English messages next to the fields.
    const page = await get('/cong-dich-vu/dang-ky', EN);
    const cookie = [EN.cookie, ...page.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await t.app.inject({
      method: 'POST',
      url: '/cong-dich-vu/dang-ky',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf, fullName: 'A', phone: '12', password: 'short' }).toString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<p class="error" id="phone-loi">Invalid phone number</p>');
    expect(res.body).toContain(
      '<p class="error" id="fullName-loi">The full name needs 2 to 200 characters</p>',
    );
    expect(res.body).toContain(
      '<p class="error" id="password-loi">The password needs at least 10 characters</p>',
    );

    // A service error (wrong password) in the code's English words.
    const signIn = await get('/cong-dich-vu/dang-nhap', EN);
    const c2 = [EN.cookie, ...signIn.cookies.map((c) => `${c.name}=${c.value}`)].join('; ');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/cong-dich-vu/dang-nhap',
      headers: { cookie: c2, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(signIn.body)?.[1] ?? '',
        login: 'khong-co@example.vn',
        password: 'MatKhau-2026x',
      }).toString(),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Wrong phone, e-mail or password');

    // A form without its token: the 403 page in English.
    const forged = await t.app.inject({
      method: 'POST',
      url: '/cong-dich-vu/dang-nhap',
      headers: { cookie: EN.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'login=a&password=b',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('<h1>The form could not be sent</h1>');
  });
});
