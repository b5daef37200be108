import { ProcedureInput, type Role } from '@congvu/contracts';
import { birthRegistrationForm } from '@congvu/forms';
import sharp from 'sharp';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN_UNITS } from '../src/demo/province.ts';
import { setupApp, type TestApp } from './helpers.ts';
import { makePdf } from './support/pdf.ts';

/**
 * Online submission on the portal (issue 7): forms posted as a browser without JavaScript does
 * (urlencoded, multipart for files), with its cookies and the CSRF token of each page.
 */
let t: TestApp;
let A: { id: string; code: string; name: string };
let specs: { form: string; birth: string; proxy: string };
const PUBLIC_URL = 'https://dichvucong.sonlam.example.vn';
const PASSWORD = 'MatKhau-CongDan-2026';
type Res = Awaited<ReturnType<TestApp['app']['inject']>>;

class Browser {
  jar = new Map<string, string>();
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  keep(res: Res) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }
  async get(url: string) {
    return this.keep(await t.app.inject({ method: 'GET', url, headers: { cookie: this.cookie } }));
  }
  async post(url: string, fields: Record<string, string>) {
    return this.keep(
      await t.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: this.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          origin: PUBLIC_URL,
        },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }
  async submit(page: string, action: string, fields: Record<string, string>) {
    const res = await this.get(page);
    expect(res.statusCode, res.body.slice(0, 500)).toBeLessThan(500);
    return this.post(action, { _csrf: tokenOf(res.body), ...fields });
  }
  /** A multipart upload as a browser sends it: the CSRF field, then the file. */
  async upload(page: string, action: string, file: { name: string; type: string; data: Buffer }) {
    const csrf = tokenOf((await this.get(page)).body);
    const boundary = `----congvu${uuidv7()}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return this.keep(
      await t.app.inject({
        method: 'POST',
        url: action,
        headers: {
          cookie: this.cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          origin: PUBLIC_URL,
        },
        payload,
      }),
    );
  }
}

function tokenOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m?.[1]) throw new Error(`no CSRF field in ${body.slice(0, 300)}`);
  return m[1];
}

let n = 0;
async function citizen(idNo: string | null) {
  const b = new Browser();
  n += 1;
  const phone = `09${String(10_000_000 + n).padStart(8, '0')}`;
  const up = await b.submit('/cong-dich-vu/dang-ky', '/cong-dich-vu/dang-ky', {
    fullName: `Nguyễn Thị Công Dân ${n}`,
    phone,
    email: '',
    password: PASSWORD,
  });
  expect(up.statusCode, up.body.slice(0, 500)).toBe(303);
  if (idNo) {
    const r = await b.submit('/cong-dich-vu/tai-khoan', '/cong-dich-vu/tai-khoan', {
      fullName: `Nguyễn Thị Công Dân ${n}`,
      phone,
      email: '',
      idNo,
      address: '',
    });
    expect(r.statusCode, r.body.slice(0, 500)).toBe(303);
  }
  return b;
}

const actor = (roles: Role[], agencyId: string | null) => t.f.actor(roles, agencyId);

const goodForm = {
  childName: 'Nguyễn Minh An',
  childSex: 'nam',
  childBirthDate: '01/11/2026',
  'childBirthPlace.province': '99',
  'childBirthPlace.commune': '99003',
  'childBirthPlace.detail': 'Trạm y tế xã',
  motherName: 'Trần Thị Bình',
  motherIdNo: '001190000001',
  fatherName: '',
  fatherIdNo: '',
  requesterRole: 'khac',
  requesterRelation: 'Bà nội',
  requesterIdNo: '001150000009',
  'witnesses.__rows': '1',
  'witnesses[0].name': 'Lê Văn Chứng',
  'witnesses[0].idNo': '001080000003',
  phone: '0912 345 678',
  email: '',
};

beforeAll(async () => {
  t = await setupApp({ CONGVU_PUBLIC_URL: PUBLIC_URL, CONGVU_MAX_UPLOAD_MB: '1' });
  A = await t.f.agency({ name: 'UBND xã Tân Lập thử', kind: 'commune_committee' });
  const admin = await actor(['admin'], A.id);
  const p = t.services.procedures;
  await p.createSector(admin, { code: 'HT', name: 'Hộ tịch' });
  const workflow = [
    {
      name: 'Tiếp nhận',
      kind: 'receive' as const,
      agencyId: null,
      departmentId: null,
      role: 'counter' as const,
      durationHours: 4,
    },
    {
      name: 'Trả kết quả',
      kind: 'return' as const,
      agencyId: null,
      departmentId: null,
      role: 'counter' as const,
      durationHours: 4,
    },
  ];
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
          name: 'Đăng ký khai sinh đúng hạn',
          channels: [
            { channel: 1, durationValue: 1, durationUnit: 'working_days', fees: [] },
            {
              channel: 2,
              durationValue: 2,
              durationUnit: 'working_days',
              fees: [
                { name: 'Lệ phí đăng ký khai sinh quá hạn', kind: 'charge', amount: 8000, when: 'before' },
              ],
            },
          ],
          components: [
            { name: 'Tờ khai đăng ký khai sinh', required: false },
            { name: 'Giấy chứng sinh', required: true },
            { name: 'Văn bản ủy quyền', required: false },
          ],
          workflow,
          onlineForm: birthRegistrationForm,
        },
      ],
    }),
  );
  const c = made.cases[0]!;
  expect(c.onlineForm?.fields.length).toBeGreaterThan(10);
  specs = { form: c.components[0]!.id, birth: c.components[1]!.id, proxy: c.components[2]!.id };
  await t.services.submissions.adminUnits.load(DEMO_ADMIN_UNITS);
});
afterAll(async () => {
  await t?.close();
});

describe('online submission', () => {
  it('signed out: every page redirects to sign-in with tiep', async () => {
    const b = new Browser();
    for (const url of [
      '/cong-dich-vu/nop-truc-tuyen/1.001193',
      `/cong-dich-vu/nop-truc-tuyen/ho-so-nhap/${uuidv7()}`,
      `/cong-dich-vu/nop-truc-tuyen/da-nop/H99-261207-0001`,
    ]) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/cong-dich-vu/dang-nhap?tiep=${encodeURIComponent(url)}`);
    }
  });

  it('a procedure that is unknown is a 404 page; a bad draft id a 400 page', async () => {
    const b = await citizen(null);
    expect((await b.get('/cong-dich-vu/nop-truc-tuyen/9.999998')).statusCode).toBe(404);
    expect((await b.get('/cong-dich-vu/nop-truc-tuyen/ho-so-nhap/not-a-uuid')).statusCode).toBe(400);
  });

  it('without a CCCD in the profile the start page sends the citizen to the profile', async () => {
    const b = await citizen(null);
    const res = await b.get('/cong-dich-vu/nop-truc-tuyen/1.001193');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('khai báo số CCCD trong trang tài khoản');
    expect(res.body).not.toContain('Bắt đầu khai hồ sơ');
  });

  it('start → form → papers → review → submit; idempotent; owner only; an official accepts it', async () => {
    const b = await citizen('001099003001');
    const start = '/cong-dich-vu/nop-truc-tuyen/1.001193';
    const page = await b.get(start);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'none'");
    expect(page.body).toContain('Đăng ký khai sinh đúng hạn');
    const caseId = /name="caseId" id="[^"]+" value="([^"]+)"/.exec(page.body)?.[1] ?? '';

    // CSRF missing: 403, nothing created.
    const noCsrf = await b.post(start, { caseId, agencyId: A.id });
    expect(noCsrf.statusCode).toBe(403);
    // Bad input: the page again with the message next to the field.
    const bad = await b.submit(start, start, { caseId, agencyId: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Vui lòng chọn nơi nộp hồ sơ');
    expect(bad.body).toContain('aria-invalid="true"');
    const started = await b.submit(start, start, { caseId, agencyId: A.id });
    expect(started.statusCode).toBe(303);
    const draftUrl = started.headers.location as string;
    expect(draftUrl).toMatch(/^\/cong-dich-vu\/nop-truc-tuyen\/ho-so-nhap\/[0-9a-f-]{36}$/);
    const draftId = draftUrl.split('/').pop() as string;

    // The form, from its definition.
    const form = await b.get(draftUrl);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Họ, chữ đệm và tên của trẻ');
    expect(form.body).toContain('<option value="99003">Xã Tân Lập</option>');
    expect(form.body).toContain(
      'Chỉ điền khi “Người đi đăng ký là” là “Người thân khác (ông, bà, anh, chị…)”',
    );
    // Errors next to the fields, values kept.
    const errs = await b.submit(draftUrl, draftUrl, {
      _action: 'next',
      childName: 'Nguyễn Minh An',
      motherIdNo: '123',
    });
    expect(errs.statusCode).toBe(400);
    expect(errs.body).toContain('value="Nguyễn Minh An"');
    expect(errs.body).toContain(
      '<p class="error" id="f-motherIdNo-loi">Số CCCD (định danh cá nhân) gồm đúng 12 chữ số</p>',
    );
    expect(errs.body).toMatch(
      /id="f-motherIdNo"[^>]*aria-invalid="true" aria-describedby="f-motherIdNo-loi"/,
    );
    expect(errs.body).toContain('<a href="#f-childSex">');
    // Save, then one more witness row (no script: a submit button).
    const saved = await b.submit(draftUrl, draftUrl, { _action: 'save', childName: 'Nguyễn Minh An' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${draftUrl}?da-luu=1`);
    expect((await b.get(`${draftUrl}?da-luu=1`)).body).toContain('Đã lưu nháp.');
    const added = await b.submit(draftUrl, draftUrl, { ...goodForm, _action: 'add:witnesses' });
    expect(added.statusCode).toBe(303);
    const twoRows = await b.get(draftUrl);
    expect(twoRows.body).toContain('name="witnesses[1].name"');
    expect(twoRows.body).toContain('value="Lê Văn Chứng"');
    const next = await b.submit(draftUrl, draftUrl, { ...goodForm, _action: 'next' });
    expect(next.statusCode, next.body.slice(0, 2000)).toBe(303);
    const papersUrl = `${draftUrl}/giay-to`;
    expect(next.headers.location).toBe(papersUrl);

    // Papers: a PDF; a large PNG downscaled; other types and oversize refused.
    const pdf = await makePdf('Giay chung sinh');
    const up = await b.upload(papersUrl, `${papersUrl}/${specs.birth}`, {
      name: 'giay-chung-sinh.pdf',
      type: 'application/pdf',
      data: pdf,
    });
    expect(up.statusCode, up.body.slice(0, 1000)).toBe(303);
    const png = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: '#f0f0f0' } })
      .png()
      .toBuffer();
    const upPng = await b.upload(papersUrl, `${papersUrl}/${specs.form}`, {
      name: 'to-khai.png',
      type: 'image/png',
      data: png,
    });
    expect(upPng.statusCode, upPng.body.slice(0, 1000)).toBe(303);
    const txt = await b.upload(papersUrl, `${papersUrl}/${specs.proxy}`, {
      name: 'ghi-chu.txt',
      type: 'text/plain',
      data: Buffer.from('xin chào'),
    });
    expect(txt.statusCode).toBe(415);
    expect(txt.body).toContain('Chỉ nhận tệp PDF, JPG hoặc PNG');
    const exe = await b.upload(papersUrl, `${papersUrl}/${specs.proxy}`, {
      name: 'giay.pdf',
      type: 'application/pdf',
      data: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(500)]),
    });
    expect(exe.statusCode).toBe(415);
    const big = await b.upload(papersUrl, `${papersUrl}/${specs.proxy}`, {
      name: 'lon.pdf',
      type: 'application/pdf',
      data: Buffer.concat([pdf, Buffer.alloc(1024 * 1024 + 10)]),
    });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('Tệp lớn hơn 1 MB');
    const row = await t.db
      .selectFrom('online_drafts')
      .selectAll()
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow();
    const stored = row.components[specs.form];
    expect(stored?.kind).toBe('file');
    const meta = await sharp(await t.ctx.blobs.read((stored as { sha256: string }).sha256)).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([2000, 1000, 'png']);
    expect(row.components[specs.proxy]).toBeUndefined();

    // From the data store (by the profile's CCCD): someone else's item is refused.
    const mine = uuidv7();
    const other = uuidv7();
    const pdfSha = (row.components[specs.birth] as { sha256: string }).sha256;
    await t.db
      .insertInto('citizen_store_items')
      .values([
        {
          id: mine,
          owner_id_no: '001099003001',
          kind: 'component',
          code: null,
          name: 'Giấy ủy quyền đã có',
          blob: pdfSha,
        },
        {
          id: other,
          owner_id_no: '001099003999',
          kind: 'component',
          code: null,
          name: 'Của người khác',
          blob: pdfSha,
        },
      ])
      .execute();
    const papers = await b.get(papersUrl);
    expect(papers.body).toContain('Giấy ủy quyền đã có');
    expect(papers.body).not.toContain('Của người khác');
    const theirs = await b.submit(papersUrl, `${papersUrl}/${specs.proxy}/kho`, { storeItemId: other });
    expect(theirs.statusCode).toBe(422);
    const reuse = await b.submit(papersUrl, `${papersUrl}/${specs.proxy}/kho`, { storeItemId: mine });
    expect(reuse.statusCode).toBe(303);

    // Review.
    const toReview = await b.submit(papersUrl, papersUrl, {});
    expect(toReview.statusCode).toBe(303);
    const review = await b.get(toReview.headers.location as string);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('Nguyễn Minh An');
    expect(review.body).toContain('Trạm y tế xã, Xã Tân Lập, Tỉnh Sơn Lâm');
    expect(review.body).toContain('Bà nội');
    expect(review.body).toContain('8.000 đ');
    expect(review.body).toContain('Giấy ủy quyền đã có (từ kho dữ liệu)');

    // Submit, twice: one dossier.
    const submitUrl = `${draftUrl}/nop`;
    const reviewUrl = `${draftUrl}/xem-lai`;
    const sent = await b.submit(reviewUrl, submitUrl, {});
    expect(sent.statusCode, sent.body.slice(0, 1000)).toBe(303);
    const doneUrl = sent.headers.location as string;
    const code = decodeURIComponent(doneUrl.split('/').pop() as string);
    // The draft's pages now lead to the dossier; a second POST (an old tab) gives the same dossier.
    for (const url of [draftUrl, papersUrl, reviewUrl]) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe(doneUrl);
    }
    const again = await b.submit(start, submitUrl, {});
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(doneUrl);
    const dossiers = await t.db.selectFrom('dossiers').selectAll().where('code', '=', code).execute();
    expect(dossiers).toHaveLength(1);
    const d = dossiers[0]!;
    expect([d.channel, d.state, d.agency_id]).toEqual([2, 'submitted', A.id]);
    expect(d.citizen_id).not.toBeNull();
    expect(d.applicant_id_no).toBe('001099003001');
    expect(d.applicant_phone).toBe('0912345678');
    expect(d.form_values).toMatchObject({
      childName: 'Nguyễn Minh An',
      childBirthDate: '2026-11-01',
      requesterRelation: 'Bà nội',
    });
    expect([d.components_total, d.components_digitised, d.components_reused]).toEqual([3, 3, 1]);
    const draftAfter = await t.db
      .selectFrom('online_drafts')
      .select(['step', 'dossier_id'])
      .where('id', '=', draftId)
      .executeTakeFirstOrThrow();
    expect(draftAfter).toEqual({ step: 'submitted', dossier_id: d.id });
    expect(
      (
        await t.db
          .selectFrom('audit_log')
          .select('action')
          .where('action', 'in', ['submissions.submitted', 'dossiers.submitted'])
          .execute()
      ).length,
    ).toBe(2);

    // The submitted page and the acknowledgement PDF: the owner only.
    const done = await b.get(doneUrl);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain(code);
    expect(done.body).toContain(
      `/cong-dich-vu/tra-cuu?ma=${encodeURIComponent(code)}&amp;k=${d.lookup_secret}`,
    );
    const pdfRes = await b.get(`${doneUrl}/bien-nhan.pdf`);
    expect(pdfRes.statusCode).toBe(200);
    expect(pdfRes.headers['content-type']).toBe('application/pdf');
    expect(pdfRes.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const stranger = await citizen('001099003002');
    for (const url of [draftUrl, papersUrl, reviewUrl, doneUrl, `${doneUrl}/bien-nhan.pdf`])
      expect((await stranger.get(url)).statusCode, url).toBe(404);
    const steal = await stranger.post(draftUrl, {
      _csrf: tokenOf((await stranger.get(start)).body),
      _action: 'save',
      childName: 'X',
    });
    expect(steal.statusCode).toBe(404);

    // The one-stop shop receives it: the clock starts.
    const counter = await actor(['counter'], A.id);
    await t.services.dossiers.accept(counter, d.id, {
      components: [],
      paidFees: [{ ordinal: 0, online: false }],
    });
    const accepted = await t.db
      .selectFrom('dossiers')
      .select(['state', 'clock_start_at', 'due_at'])
      .where('id', '=', d.id)
      .executeTakeFirstOrThrow();
    expect(accepted.state).toBe('received');
    expect(accepted.clock_start_at).not.toBeNull();
    expect(accepted.due_at).not.toBeNull();
  });

  it('the online form is checked when a procedure is saved through the API and shown in its detail', async () => {
    const admin = (await t.f.session(['admin'])).cookie;
    const body = (onlineForm: unknown) => ({
      code: `9.${String(Date.now()).slice(-6)}`,
      name: 'Thủ tục có tờ khai',
      sectorCode: 'HT',
      authorityLevel: 'commune',
      onlineLevel: 'full',
      agencyIds: [A.id],
      validFrom: '2025-01-01',
      cases: [
        {
          name: 'Một',
          channels: [{ channel: 2, durationValue: 1, durationUnit: 'working_days', fees: [] }],
          onlineForm,
        },
      ],
    });
    const post = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: '/api/procedures',
        headers: { cookie: admin },
        payload: payload as object,
      });
    const bad = await post(
      body({ fields: [{ key: 'a', type: 'text', label_vi: 'A', showIf: { field: 'b', equals: 'x' } }] }),
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_ERROR');
    expect(JSON.stringify(bad.json().details)).toContain('onlineForm');
    const unknownType = await post(body({ fields: [{ key: 'a', type: 'signature', label_vi: 'A' }] }));
    expect(unknownType.statusCode).toBe(400);
    const ok = await post(
      body({ fields: [{ key: 'hoTen', type: 'text', label_vi: 'Họ và tên', required: true }] }),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/procedures/${ok.json().id}`,
      headers: { cookie: admin },
    });
    const form = {
      version: 1,
      fields: [{ key: 'hoTen', type: 'text', label_vi: 'Họ và tên', required: true }],
    };
    expect(detail.json().cases[0].onlineForm).toEqual(form);
    // The staff app's editor leaves the form out: an update keeps it; null removes it.
    const { code: _c, validFrom: _v, ...content } = body(undefined);
    const put = (payload: unknown) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/procedures/${ok.json().id}`,
        headers: { cookie: admin },
        payload: payload as object,
      });
    const kept = await put({ ...content, name: 'Thủ tục có tờ khai (sửa)' });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.json().cases[0].onlineForm).toEqual(form);
    const removed = await put({ ...content, cases: [{ ...content.cases[0], onlineForm: null }] });
    expect(removed.json().cases[0].onlineForm).toBeNull();
  });

  it('submitting with a required paper missing is refused on the papers step', async () => {
    const b = await citizen('001099003003');
    const start = '/cong-dich-vu/nop-truc-tuyen/1.001193';
    const page = await b.get(start);
    const caseId = /name="caseId" id="[^"]+" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const draftUrl = (await b.submit(start, start, { caseId, agencyId: A.id })).headers.location as string;
    expect((await b.submit(draftUrl, draftUrl, { ...goodForm, _action: 'next' })).statusCode).toBe(303);
    const res = await b.submit(`${draftUrl}/giay-to`, `${draftUrl}/giay-to`, {});
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Còn giấy tờ bắt buộc chưa nộp');
    const direct = await b.submit(`${draftUrl}/xem-lai`, `${draftUrl}/nop`, {});
    expect(direct.statusCode).toBe(422);
  });
});
