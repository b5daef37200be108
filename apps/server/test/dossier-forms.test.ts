import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupUrl, timeliness, vnTimeDay } from '../src/modules/dossiers/forms.ts';
import { setupApp, type TestApp } from './helpers.ts';
import {
  insertApology,
  insertComponent,
  insertDossier,
  insertFee,
  insertHandover,
  insertPause,
  insertProcedure,
  insertStep,
  updateDossier,
} from './support/onestop-factory.ts';

/** The one-stop forms (TT 01/2018 Mẫu 01–06) as PDF, read back with poppler's pdftotext. */
let t: TestApp;
let ids: {
  a: string;
  b: string;
  c: string;
  dossier: string;
  code: string;
  secret: string;
  procedureId: string;
  caseId: string;
};
let cookies: { counterA: string; specialistB: string; counterC: string; admin: string; nobody: string };
let officerA: { id: string; fullName: string };

/** The text in content order (a table cell's wrapped lines stay together). */
const text = (pdf: Buffer) => execFileSync('pdftotext', ['-raw', '-', '-'], { input: pdf }).toString();
const flat = (s: string) => s.replace(/\s+/g, '');
/** Each label is in the text, whitespace and line breaks aside. */
const expectAll = (s: string, labels: string[]) => {
  for (const label of labels) expect(flat(s), label).toContain(flat(label));
};
const at = (s: string) => new Date(s);

beforeAll(async () => {
  t = await setupApp({ CONGVU_PUBLIC_URL: 'https://motcua.example.vn' });
  const parent = await t.f.agency({ code: 'H51', name: 'UBND huyện Tân Hòa', kind: 'district_committee' });
  const a = await t.f.agency({ code: 'H51.1', name: 'UBND xã Tân Phú', parentId: parent.id });
  const b = await t.f.agency({ code: 'H51.2', name: 'Công an huyện Tân Hòa' });
  const c = await t.f.agency({ code: 'H51.3', name: 'UBND xã Tân Lập' });
  const depA = await t.f.department(a.id, 'Bộ phận Tiếp nhận và Trả kết quả');
  const o = await t.f.official({
    fullName: 'Lê Văn Cán',
    roles: ['counter'],
    agencyId: a.id,
    departmentId: depA.id,
  });
  await t.db.updateTable('officials').set({ phone: '0203888999' }).where('id', '=', o.id).execute();
  officerA = { id: o.id, fullName: 'Lê Văn Cán' };
  const p = await insertProcedure(t.db, { name: 'Đăng ký khai sinh', agencyIds: [a.id] });
  const d = await insertDossier(t.db, {
    agencyId: a.id,
    agencyCode: a.code,
    procedureId: p.id,
    caseId: p.caseIds[0]!,
    number: 1,
    state: 'processing',
    applicantName: 'Trần Thị Bình',
    applicantIdNo: '001190000123',
    receivedAt: at('2026-04-24T16:30:00+07:00'),
    dueAt: at('2026-05-05T16:30:00+07:00'),
  });
  await updateDossier(t.db, d.id, {
    received_by: o.id,
    applicant_address: 'Thôn 2, xã Tân Phú',
    applicant_phone: '0912345678',
    applicant_email: 'binh@example.vn',
    representative: JSON.stringify({ name: 'Trần Văn An' }),
    sets: 1,
  });
  await insertComponent(t.db, d.id, { name: 'Tờ khai đăng ký khai sinh', ordinal: 1, originals: 1 });
  await insertComponent(t.db, d.id, {
    name: 'Giấy chứng sinh',
    ordinal: 2,
    originals: 1,
    certified: 1,
    copies: 2,
  });
  await insertFee(t.db, d.id, { name: 'Lệ phí hộ tịch', amount: 8000, whenPaid: 'before' });
  const row = await t.db
    .selectFrom('dossiers')
    .select('lookup_secret')
    .where('id', '=', d.id)
    .executeTakeFirstOrThrow();
  ids = {
    a: a.id,
    b: b.id,
    c: c.id,
    dossier: d.id,
    code: d.code,
    secret: row.lookup_secret,
    procedureId: p.id,
    caseId: p.caseIds[0]!,
  };
  cookies = {
    counterA: await t.f.login(o.username),
    specialistB: (await t.f.session(['specialist'], b.id)).cookie,
    counterC: (await t.f.session(['counter'], c.id)).cookie,
    admin: (await t.f.session(['admin'])).cookie,
    nobody: (await t.f.session([])).cookie,
  };
});
afterAll(async () => t?.close());

const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
const form = (name: string, cookie = cookies.counterA, id = ids.dossier) =>
  get(`/api/dossiers/${id}/forms/${name}`, cookie);

describe('form helpers (pure)', () => {
  it('the lookup link carries the code and the secret; times print in Vietnam time', () => {
    expect(lookupUrl('https://motcua.example.vn/', 'H51.1-260424-0001', 'ab12cd')).toBe(
      'https://motcua.example.vn/cong-dich-vu/tra-cuu?ma=H51.1-260424-0001&k=ab12cd',
    );
    expect(vnTimeDay(at('2026-04-24T09:30:00Z'))).toBe('16 giờ 30 phút, ngày 24/04/2026');
  });
  it('timeliness compares local dates: before, same day, after', () => {
    const due = at('2026-04-29T17:00:00+07:00');
    expect(timeliness(at('2026-04-28T10:00:00+07:00'), due)).toBe('Trước hạn');
    expect(timeliness(at('2026-04-29T17:30:00+07:00'), due)).toBe('Đúng hạn');
    expect(timeliness(at('2026-04-30T08:00:00+07:00'), due)).toBe('Quá hạn');
    expect(timeliness(null, due)).toBe('Đang xử lý');
  });
});

describe('Mẫu 01: receipt and appointment slip', () => {
  it('prints the header, the parties, the components table, the times, fees and the QR code', async () => {
    const res = await form('receipt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const s = text(pdf);
    expectAll(s, [
      'UBND HUYỆN TÂN HÒA',
      'UBND XÃ TÂN PHÚ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'ngày 24 tháng 04 năm 2026',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
      `Mã hồ sơ: ${ids.code}`,
      'Bộ phận Tiếp nhận và Trả kết quả - UBND xã Tân Phú tiếp nhận hồ sơ của:',
      'Ông/Bà: Trần Văn An',
      'Chủ hồ sơ: Trần Thị Bình',
      'Hình thức nộp: Trực tiếp',
      '001190000123',
      'Địa chỉ: Thôn 2, xã Tân Phú',
      'Số điện thoại: 0912345678',
      'Email: binh@example.vn',
      'Nội dung yêu cầu giải quyết: Đăng ký khai sinh',
      'Thành phần hồ sơ',
      'Bản chính',
      'Bản chứng thực',
      'Bản photo',
      'Tờ khai đăng ký khai sinh',
      'Giấy chứng sinh',
      '2. Số lượng hồ sơ: 01 (bộ)',
      '3. Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc',
      '4. Thời gian nhận hồ sơ: 16 giờ 30 phút, ngày 24/04/2026',
      '5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 05/05/2026',
      '6. Đăng ký nhận kết quả tại: Bộ phận Tiếp nhận và Trả kết quả - UBND xã Tân Phú',
      'Lệ phí hộ tịch: 8.000 đồng (thu khi nộp hồ sơ)',
      'Tổng cộng: 8.000 đồng',
      'NGƯỜI NỘP HỒ SƠ',
      'NGƯỜI TIẾP NHẬN HỒ SƠ',
      'Lê Văn Cán',
    ]);
    // The components table row: TT, name, counts of originals / certified / photocopies.
    expect(s).toMatch(/2\s+Giấy chứng sinh\s+1\s+1\s+2/);
    const url = lookupUrl('https://motcua.example.vn', ids.code, ids.secret);
    expect(flat(s)).toContain(flat(url));
    // The QR code is an image in the PDF, the only one.
    const file = path.join(t.dataDir, 'receipt.pdf');
    fs.writeFileSync(file, pdf);
    const images = execFileSync('pdfimages', ['-list', file]).toString();
    const kinds = images
      .trim()
      .split('\n')
      .slice(2)
      .map((l) => l.trim().split(/\s+/)[2]);
    expect(kinds.filter((k) => k === 'image')).toHaveLength(1);
    expect(pdf.toString('latin1')).toContain('/Subtype /Image');
  });
});

describe('Mẫu 02–05', () => {
  it('the supplement request lists the items, the reason and the guiding officer', async () => {
    expect((await form('supplement')).json()).toMatchObject({ code: 'DOSSIER_FORM_UNAVAILABLE' });
    await insertPause(t.db, ids.dossier, {
      reason: 'Giấy chứng sinh bị mờ, không đọc được',
      items: ['Giấy chứng sinh (bản chính)', { name: 'Giấy chứng nhận kết hôn' }],
      requestedAt: at('2026-04-27T09:00:00+07:00'),
      requestedBy: officerA.id,
    });
    const res = await form('supplement');
    expect(res.statusCode).toBe(200);
    const s = text(res.rawPayload);
    expectAll(s, [
      'PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ',
      `Hồ sơ: ${ids.code}`,
      'ngày 27 tháng 04 năm 2026',
      '1. Giấy chứng sinh (bản chính)',
      '2. Giấy chứng nhận kết hôn',
      'Lý do: Giấy chứng sinh bị mờ, không đọc được',
      'NGƯỜI HƯỚNG DẪN',
    ]);
    expect(flat(s)).toContain(flat('liên hệ với ông/bà Lê Văn Cán, số điện thoại 0203888999'));
  });

  it('the refusal needs a refused dossier and prints its reason', async () => {
    const res = await form('refusal');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'DOSSIER_FORM_UNAVAILABLE',
      message: 'Hồ sơ chưa có thông tin để lập phiếu này',
    });
    const d = await insertDossier(t.db, {
      agencyId: ids.a,
      agencyCode: 'H51.1',
      procedureId: ids.procedureId,
      caseId: ids.caseId,
      state: 'refused',
      receivedAt: at('2026-04-23T10:00:00+07:00'),
    });
    await updateDossier(t.db, d.id, {
      closed_reason: 'Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã',
      finished_at: at('2026-04-23T10:20:00+07:00'),
    });
    const ok = await form('refusal', cookies.counterA, d.id);
    expect(ok.statusCode).toBe(200);
    const s = text(ok.rawPayload);
    expect(s).toContain('PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ');
    expect(flat(s)).toContain(flat('không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:'));
    expect(s).toContain('Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã');
  });

  it('the apology prints the reason, the old and the new date', async () => {
    await insertApology(t.db, ids.dossier, {
      agencyId: ids.a,
      reason: 'Chờ xác minh thông tin cư trú',
      oldDueAt: at('2026-05-05T16:30:00+07:00'),
      newDueAt: at('2026-05-08T10:00:00+07:00'),
      issuedAt: at('2026-05-04T08:00:00+07:00'),
      issuedBy: officerA.id,
    });
    const res = await form('apology');
    expect(res.statusCode).toBe(200);
    const s = text(res.rawPayload);
    expectAll(s, [
      'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
      'Kính gửi: Ông/Bà Trần Thị Bình',
      'ngày 04 tháng 05 năm 2026',
      '16 giờ 30 phút, ngày 05/05/2026',
      'Lý do: Chờ xác minh thông tin cư trú',
      'Thời gian hẹn lại: 10 giờ 00 phút, ngày 08/05/2026',
      'THỦ TRƯỞNG CƠ QUAN',
    ]);
  });

  it('the control sheet has a row per step and hand-over with its timeliness; a step agency may print it', async () => {
    await insertStep(t.db, ids.dossier, {
      ordinal: 1,
      name: 'Tiếp nhận hồ sơ',
      agencyId: ids.a,
      officialId: officerA.id,
      startedAt: at('2026-04-24T16:30:00+07:00'),
      dueAt: at('2026-04-27T16:30:00+07:00'),
      finishedAt: at('2026-04-24T16:45:00+07:00'),
    });
    await insertHandover(t.db, ids.dossier, {
      fromAgencyId: ids.a,
      toAgencyId: ids.b,
      sentAt: at('2026-04-24T16:50:00+07:00'),
      receivedAt: at('2026-04-27T08:05:00+07:00'),
      note: 'Liên thông đăng ký thường trú',
    });
    await insertStep(t.db, ids.dossier, {
      ordinal: 2,
      name: 'Đăng ký thường trú',
      agencyId: ids.b,
      startedAt: at('2026-04-27T08:05:00+07:00'),
      dueAt: at('2026-04-28T17:00:00+07:00'),
      finishedAt: at('2026-04-29T09:00:00+07:00'),
    });
    await insertStep(t.db, ids.dossier, {
      ordinal: 3,
      name: 'Trả kết quả',
      agencyId: ids.a,
      startedAt: at('2026-04-29T09:30:00+07:00'),
      dueAt: at('2026-04-29T17:00:00+07:00'),
      finishedAt: at('2026-04-29T15:00:00+07:00'),
    });
    const res = await form('control', cookies.specialistB);
    expect(res.statusCode).toBe(200);
    const s = text(res.rawPayload);
    expectAll(s, [
      'PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ',
      'TÊN CƠ QUAN',
      'THỜI GIAN GIAO, NHẬN HỒ SƠ',
      'KẾT QUẢ XỬ LÝ HỒ SƠ',
      'GHI CHÚ',
      'Công an huyện Tân Hòa',
      'Chuyển từ UBND xã Tân Phú đến Công an',
      'Liên thông đăng ký thường trú',
      'Nhận: 08 giờ 05 phút, ngày 27/04/2026',
    ]);
    expect(s.match(/Trước hạn/g)).toHaveLength(1);
    expect(s.match(/Quá hạn/g)).toHaveLength(1);
    // Once in the column header, once for step 3.
    expect(s.match(/ĐÚNG HẠN|Đúng hạn/g)).toHaveLength(2);
    const order = ['1. Tiếp nhận hồ sơ', 'Chuyển từ', '2. Đăng ký thường trú', '3. Trả kết quả'].map((x) =>
      s.indexOf(x),
    );
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });
});

describe('form access', () => {
  it('an official of an unrelated agency gets 403; a province-wide admin may print', async () => {
    for (const f of ['receipt', 'control']) {
      const res = await form(f, cookies.counterC);
      expect(res.statusCode, f).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
    expect((await form('receipt', cookies.admin)).statusCode).toBe(200);
    // Not a step agency of this dossier before the steps above? B is now; C never.
    expect((await form('receipt', cookies.nobody)).statusCode).toBe(403);
  });
  it('an unknown dossier is 404, a bad form name 400, no session 401', async () => {
    const res = await form('receipt', cookies.admin, '00000000-0000-7000-8000-00000000abcd');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'DOSSIER_NOT_FOUND', message: 'Không tìm thấy hồ sơ' });
    expect((await form('giay-khen', cookies.admin)).statusCode).toBe(400);
    const anon = await t.app.inject({ method: 'GET', url: `/api/dossiers/${ids.dossier}/forms/receipt` });
    expect(anon.statusCode).toBe(401);
  });
});

describe('Mẫu 06: tracking book', () => {
  it('lists the agency’s dossiers of the period on landscape pages, the header row on every page', async () => {
    const inside: string[] = [];
    for (let i = 0; i < 40; i++) {
      const d = await insertDossier(t.db, {
        agencyId: ids.a,
        agencyCode: 'H51.1',
        procedureId: ids.procedureId,
        caseId: ids.caseId,
        number: 100 + i,
        receivedAt: at(
          `2026-04-${String(1 + (i % 28)).padStart(2, '0')}T08:${String(10 + i).padStart(2, '0')}:00+07:00`,
        ),
        dueAt: at('2026-05-15T17:00:00+07:00'),
      });
      inside.push(d.code);
    }
    const outside = await insertDossier(t.db, {
      agencyId: ids.a,
      agencyCode: 'H51.1',
      procedureId: ids.procedureId,
      caseId: ids.caseId,
      number: 999,
      receivedAt: at('2026-05-01T07:30:00+07:00'),
    });
    const other = await insertDossier(t.db, {
      agencyId: ids.c,
      agencyCode: 'H51.3',
      procedureId: ids.procedureId,
      caseId: ids.caseId,
      number: 998,
      receivedAt: at('2026-04-10T08:00:00+07:00'),
    });
    const res = await get(
      `/api/dossiers/book?agencyId=${ids.a}&from=2026-04-01&to=2026-04-30`,
      cookies.counterA,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    const s = text(pdf);
    // 40 + the first dossier (24/04) + the refused one (23/04).
    expect(s).toContain('SỔ THEO DÕI HỒ SƠ');
    expect(s).toContain('Từ ngày 01/04/2026 đến ngày 30/04/2026 — 42 hồ sơ');
    const f = flat(s);
    for (const code of [...inside, ids.code]) expect(f, code).toContain(flat(code));
    expect(f).not.toContain(outside.code);
    expect(f).not.toContain(other.code);
    expect(f).toContain(flat('Không được tiếp nhận: Hồ sơ không thuộc thẩm quyền'));
    const info = execFileSync('pdfinfo', ['-'], { input: pdf }).toString();
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThan(1);
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28/);
    for (let p = 1; p <= pages; p++) {
      const page = execFileSync('pdftotext', ['-raw', '-f', String(p), '-l', String(p), '-', '-'], {
        input: pdf,
      }).toString();
      expect(flat(page), `page ${p}`).toContain(flat('Mã hồ sơ Tên TTHC'));
      expect(flat(page), `page ${p}`).toContain(flat('Hẹn trả kết quả'));
    }
  });

  it('refuses another agency’s book (403) and a bad period (400)', async () => {
    const q = `agencyId=${ids.a}&from=2026-04-01&to=2026-04-30`;
    expect((await get(`/api/dossiers/book?${q}`, cookies.counterC)).statusCode).toBe(403);
    expect((await get(`/api/dossiers/book?${q}`, cookies.admin)).statusCode).toBe(200);
    const bad = await get(
      `/api/dossiers/book?agencyId=${ids.a}&from=2026-05-01&to=2026-04-01`,
      cookies.counterA,
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('DOSSIER_BOOK_PERIOD_INVALID');
    const long = await get(
      `/api/dossiers/book?agencyId=${ids.a}&from=2025-01-01&to=2026-04-01`,
      cookies.counterA,
    );
    expect(long.json().code).toBe('DOSSIER_BOOK_PERIOD_INVALID');
  });
});
