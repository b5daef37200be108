import { ProcedureInput, type Role } from '@congvu/contracts';
import { birthRegistrationForm } from '@congvu/forms';
import { paymentResultPage } from '@congvu/portal';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/**
 * The portal's English switch (issue 7): a link sets the `congvu_lang` cookie and comes back
 * to the page (portal paths only); pages then say `<html lang="en">` with English headings,
 * stored data stays Vietnamese except the English labels the data has (dossier states, QĐ 766).
 */
let t: TestApp;
let birth: { code: string };
let dossier: { code: string; lookupSecret: string };
let agencyId: string;
let online: { code: string; id: string; caseId: string };

const actor = (roles: Role[], agencyId: string | null) => t.f.actor(roles, agencyId);

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
  agencyId = A.id;
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

describe('the signed-in citizen pages in English: submission, Hồ sơ của tôi, notifications', () => {
  // A procedure with an online form (packages/forms), made here so the catalogue counts above stay.
  beforeAll(async () => {
    const step = { agencyId: null, departmentId: null, role: 'counter' as const, durationHours: 4 };
    const withForm = await t.services.procedures.create(
      await actor(['admin'], null),
      ProcedureInput.parse({
        code: '1.001194',
        name: 'Đăng ký khai sinh trực tuyến',
        sectorCode: 'HT',
        authorityLevel: 'commune',
        onlineLevel: 'full',
        agencyIds: [agencyId],
        published: true,
        validFrom: '2025-01-01',
        validTo: null,
        cases: [
          {
            name: 'Nộp trực tuyến đúng hạn',
            channels: [
              {
                channel: 2,
                durationValue: 2,
                durationUnit: 'working_days',
                fees: [{ name: 'Lệ phí khai sinh', kind: 'charge', amount: 8000, when: 'before' }],
              },
            ],
            components: [{ name: 'Giấy chứng sinh', required: true }],
            workflow: [
              { name: 'Tiếp nhận', kind: 'receive' as const, ...step },
              { name: 'Trả kết quả', kind: 'return' as const, ...step },
            ],
            onlineForm: birthRegistrationForm,
          },
        ],
      }),
    );
    online = { code: withForm.code, id: withForm.id, caseId: withForm.cases[0]!.id };
  });

  /** A browser with the English cookie: a cookie jar; forms post their page's CSRF token. */
  class Browser {
    jar = new Map<string, string>([['congvu_lang', 'en']]);
    get cookie() {
      return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    keep(res: Awaited<ReturnType<TestApp['app']['inject']>>) {
      for (const c of res.cookies) if (c.value) this.jar.set(c.name, c.value);
      return res;
    }
    async get(url: string) {
      return this.keep(await t.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } }));
    }
    async submit(page: string, action: string, fields: Record<string, string>) {
      const body = (await this.get(page)).body;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
      return this.keep(
        await t.app.inject({
          method: 'POST',
          url: action,
          headers: {
            cookie: this.cookie,
            'content-type': 'application/x-www-form-urlencoded',
            origin: 'http://localhost:80',
          },
          payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
        }),
      );
    }
  }

  async function englishCitizen(email: string, idNo: string) {
    const b = new Browser();
    const fields = { fullName: 'Lò Thị Nộp', email, phone: '', password: 'MatKhau-2026x' };
    const up = await b.submit('/cong-dich-vu/dang-ky', '/cong-dich-vu/dang-ky', fields);
    expect(up.statusCode, up.body.slice(0, 300)).toBe(303);
    const prof = await b.submit('/cong-dich-vu/tai-khoan', '/cong-dich-vu/tai-khoan', {
      fullName: 'Lò Thị Nộp',
      email,
      phone: '',
      idNo,
      address: '',
    });
    expect(prof.statusCode, prof.body.slice(0, 300)).toBe(303);
    const row = await t.db
      .selectFrom('citizens')
      .select('id')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    return { b, id: row.id };
  }

  const english = (body: string) => {
    expect(body).toContain('<html lang="en">');
    expect(body).not.toContain('<html lang="vi">');
  };

  it('the submission start page and a draft form: English words, the form definition stays Vietnamese', async () => {
    const { b } = await englishCitizen('nop-en@example.vn', '001090077001');
    const start = await b.get(`/cong-dich-vu/nop-truc-tuyen/${online.code}`);
    expect(start.statusCode).toBe(200);
    english(start.body);
    expect(start.body).toContain(
      '<h1>Submit online: <span lang="vi">Đăng ký khai sinh trực tuyến</span></h1>',
    );
    expect(start.body).toContain('<legend>Your case</legend>');
    expect(start.body).toContain('Start the dossier</button>');
    expect(start.body).not.toContain('Bắt đầu khai hồ sơ');

    // No case chosen: the English message.
    const bad = await b.submit(
      `/cong-dich-vu/nop-truc-tuyen/${online.code}`,
      `/cong-dich-vu/nop-truc-tuyen/${online.code}`,
      { caseId: '', agencyId: agencyId },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<h2>Please check the following</h2>');
    expect(bad.body).toContain('Please choose your case');

    const made = await b.submit(
      `/cong-dich-vu/nop-truc-tuyen/${online.code}`,
      `/cong-dich-vu/nop-truc-tuyen/${online.code}`,
      { caseId: online.caseId, agencyId },
    );
    expect(made.statusCode, made.body.slice(0, 300)).toBe(303);
    const draftUrl = String(made.headers.location);
    const form = await b.get(draftUrl);
    expect(form.statusCode).toBe(200);
    english(form.body);
    expect(form.body).toContain('<ol class="steps" aria-label="Submission steps">');
    expect(form.body).toContain('<h2 lang="vi">Tờ khai đăng ký khai sinh</h2>');
    expect(form.body).toContain(
      '<span lang="vi">Họ, chữ đệm và tên của trẻ</span> <span class="req">(required)</span>',
    );
    expect(form.body).toContain('Enter as day/month/year, for example 05/09/2026.');
    expect(form.body).toContain('Save draft</button>');
    expect(form.body).not.toContain('Lưu nháp');
    // Continue with an empty form: the validation messages in English, next to the fields.
    const next = await b.submit(draftUrl, draftUrl, { _action: 'next' });
    expect(next.statusCode).toBe(400);
    english(next.body);
    expect(next.body).toContain(
      '<p class="error" id="f-childName-loi">Please fill in “Họ, chữ đệm và tên của trẻ”</p>',
    );
    expect(next.body).not.toContain('Vui lòng nhập');
    const saved = await b.submit(draftUrl, draftUrl, { _action: 'save' });
    expect(saved.statusCode).toBe(303);
    expect((await b.get(String(saved.headers.location))).body).toContain('<p>Draft saved.</p>');
  });

  it('"Hồ sơ của tôi", a dossier, the withdrawal and the payment result in English', async () => {
    const { b, id } = await englishCitizen('hoso-en@example.vn', '001090077002');
    const counter = await actor(['counter'], agencyId);
    const detail = await t.services.procedures.get(online.id);
    const d = await t.services.dossiers.receive(counter, {
      procedureId: online.id,
      caseId: detail.cases[0]!.id,
      channel: 2,
      applicant: { kind: 1, name: 'Lò Thị Nộp', idNo: '001090077002' },
      sets: 1,
      components: [{ name: 'Giấy chứng sinh', originals: 1, certified: 0, copies: 0 }],
      paidFees: [],
    } as never);
    await t.db.updateTable('dossiers').set({ citizen_id: id }).where('id', '=', d.id).execute();

    const list = await b.get('/cong-dich-vu/ho-so-cua-toi');
    expect(list.statusCode).toBe(200);
    english(list.body);
    expect(list.body).toContain('<h1>My dossiers</h1>');
    // The status in the state map's English label (label_en), not the Vietnamese one.
    const { state } = await t.db
      .selectFrom('dossiers')
      .select('state')
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    const labels = await t.db
      .selectFrom('dossier_state_map')
      .select(['label_vi', 'label_en'])
      .where('state', '=', state)
      .where('valid_to', 'is', null)
      .executeTakeFirstOrThrow();
    expect(list.body).toContain(`Status: ${labels.label_en} · submitted on `);
    expect(list.body).not.toContain(labels.label_vi);

    const one = await b.get(`/cong-dich-vu/ho-so-cua-toi/${d.code}`);
    expect(one.statusCode).toBe(200);
    english(one.body);
    expect(one.body).toContain(`<h1>Dossier ${d.code}</h1>`);
    expect(one.body).toContain(`<h2 id="tinh-trang">Status: ${labels.label_en}</h2>`);
    expect(one.body).toContain('<strong>What you need to do:</strong>');
    expect(one.body).toContain('<h2>Steps so far</h2>');
    expect(one.body).toContain('<caption>Fees and charges</caption>');
    expect(one.body).toContain('8,000 VND');
    expect(one.body).toContain('<dd lang="vi">Đăng ký khai sinh trực tuyến</dd>');
    expect(one.body).not.toContain('Việc bạn cần làm');

    const wd = await b.get(`/cong-dich-vu/ho-so-cua-toi/${d.code}/rut`);
    expect(wd.statusCode).toBe(200);
    english(wd.body);
    expect(wd.body).toContain(`<h1>Withdraw dossier ${d.code}</h1>`);
    expect(wd.body).toContain('<label for="reason">Reason for withdrawing</label>');

    // Back from the gateway with an answer that does not verify: the English page (a pure render).
    const pay = paymentResultPage({ result: null }, { css: '', siteName: 'Cổng', lang: 'en' });
    english(pay);
    expect(pay).toContain('<h1>Payment result</h1>');
    expect(pay).toContain('The payment result could not be confirmed');
    const paid = paymentResultPage(
      {
        result: {
          txnRef: 'T1',
          dossierCode: d.code,
          amount: 8000,
          status: 'paid',
          gatewaySuccess: true,
          simulator: false,
        },
      },
      { css: '', siteName: 'Cổng', lang: 'en' },
    );
    expect(paid).toContain(`You paid 8,000 VND for dossier ${d.code}.`);

    // Vietnamese again without the cookie's English: the same words as before.
    b.jar.set('congvu_lang', 'vi');
    const vi = await b.get(`/cong-dich-vu/ho-so-cua-toi/${d.code}`);
    expect(vi.body).toContain('<html lang="vi">');
    expect(vi.body).toContain('<strong>Việc bạn cần làm:</strong>');
    expect(vi.body).toContain(`${labels.label_vi}</h2>`);
    expect(vi.body).toContain('8.000 đ');
  });

  it('the notification centre in English; the stored texts stay Vietnamese, marked lang="vi"', async () => {
    const { b, id } = await englishCitizen('thongbao-en@example.vn', '001090077003');
    const empty = await b.get('/cong-dich-vu/thong-bao');
    expect(empty.statusCode).toBe(200);
    english(empty.body);
    expect(empty.body).toContain('<h1>Notifications</h1>');
    expect(empty.body).toContain('No notifications yet.');

    const ev = await t.db
      .selectFrom('dossier_events')
      .innerJoin('dossiers', 'dossiers.id', 'dossier_events.dossier_id')
      .select(['dossier_events.id as eventId', 'dossiers.id as dossierId'])
      .where('dossiers.code', '=', dossier.code)
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('citizen_notifications')
      .values({
        id: uuidv7(),
        citizen_id: id,
        dossier_id: ev.dossierId,
        event_id: ev.eventId,
        kind: 'received',
        title_vi: 'Hồ sơ đã được tiếp nhận',
        body_vi: 'Hồ sơ của Ông/Bà đã được tiếp nhận.',
        link: 'http://localhost/cong-dich-vu/ho-so-cua-toi/X',
      })
      .execute();
    const page = await b.get('/cong-dich-vu/thong-bao');
    english(page.body);
    expect(page.body).toContain('You have 1 unread notifications.');
    expect(page.body).toContain('<span class="tag">Unread</span>');
    expect(page.body).toContain('lang="vi">Hồ sơ đã được tiếp nhận</a>');
    expect(page.body).toContain('<p lang="vi">Hồ sơ của Ông/Bà đã được tiếp nhận.</p>');
    expect(page.body).toContain('Mark all as read</button>');
  });
});
