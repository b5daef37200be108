import { execFileSync } from 'node:child_process';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/** The registers of NĐ 30 Phụ lục IV: rows, year and number ranges, PDF (read back with poppler's pdftotext) and XLSX. */
let t: TestApp;
let a: string;
let b: string;
let inReg: string;
let inSecret: string;
let outReg: string;
let clerk: string;
let leader: { id: string; cookie: string };
let specialist: { id: string; cookie: string };
let dep: string;
const year = Number(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()).slice(0, 4),
);

const post = (cookie: string, url: string, payload?: object) =>
  t.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload && { payload }) });
const get = (cookie: string, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  t = await setupApp();
  a = (await t.f.agency({ name: 'Ủy ban nhân dân tỉnh Thử', shortName: 'UBND' })).id;
  b = (await t.f.agency({ name: 'Sở Nội vụ', shortName: 'SNV' })).id;
  dep = (await t.f.department(a, 'Phòng Tổng hợp')).id;
  const admin = (await t.f.session(['admin'])).cookie;
  const reg = async (kind: 'incoming' | 'outgoing', code: string, secret = false) =>
    (
      await post(admin, '/api/documents/registers', {
        agencyId: a,
        kind,
        code,
        secret,
        name: `Sổ văn bản ${kind === 'incoming' ? 'đến' : 'đi'}${secret ? ' mật' : ''}`,
      })
    ).json().id as string;
  inReg = await reg('incoming', 'DEN');
  inSecret = await reg('incoming', 'DEN-MAT', true);
  outReg = await reg('outgoing', 'DI');
  const o = async (roles: ('leader' | 'specialist' | 'clerk')[]) => {
    const x = await t.f.official({ roles, agencyId: a, departmentId: dep });
    return { id: x.id, cookie: await t.f.login(x.username) };
  };
  clerk = (await o(['clerk'])).cookie;
  leader = await o(['leader']);
  specialist = await o(['specialist']);

  // Two incoming documents; the first is assigned and answered by an issued reply.
  const incoming = async (subject: string, extra: object = {}) =>
    (
      await post(clerk, '/api/documents/incoming', {
        registerId: inReg,
        typeId: 'cong_van',
        number: '125',
        notation: 'BNV-CĐS',
        issuedOn: `${year}-01-05`,
        issuerName: 'Bộ Nội vụ',
        subject,
        ...extra,
      })
    ).json().documentId as string;
  const first = await incoming('Về việc báo cáo kết quả chuyển đổi số');
  await incoming('Về việc cử cán bộ dự hội nghị tổng kết', { urgency: 'urgent', number: '126' });
  await post(leader.cookie, `/api/documents/${first}/assignments`, {
    items: [{ role: 'lead', departmentId: dep, deadline: `${year}-12-30` }],
  });
  const reply = (
    await post(specialist.cookie, '/api/documents/outgoing', {
      agencyId: a,
      typeId: 'cong_van',
      subject: 'Báo cáo kết quả chuyển đổi số của tỉnh',
      draftingUnit: 'TH',
      signerName: 'Trần Quốc Hưng',
      recipients: [{ agencyId: b }, { name: 'Bộ Nội vụ' }, { name: 'Lưu: VT, TH' }],
      reviewerIds: [leader.id],
      replyToId: first,
    })
  ).json().documentId as string;
  await post(leader.cookie, `/api/documents/${reply}/review`, { decision: 'approved' });
  expect((await post(clerk, `/api/documents/${reply}/issue`, { registerId: outReg })).statusCode).toBe(200);
  await post(clerk, '/api/documents/incoming', {
    registerId: inSecret,
    typeId: 'cong_van',
    secrecy: 'confidential',
    issuerName: 'Công an tỉnh',
    subject: 'Về việc bảo đảm an ninh',
  });
});
afterAll(async () => t.close());

const book = (cookie: string, id: string, q: string) =>
  get(cookie, `/api/documents/registers/${id}/book?${q}`);

describe('registers of Phụ lục IV', () => {
  it('the incoming register has its 10 columns, in arrival order', async () => {
    const res = await book(clerk, inReg, `year=${year}`);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.title).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(r.columns).toEqual([
      'Ngày đến',
      'Số đến',
      'Tác giả',
      'Số, ký hiệu văn bản',
      'Ngày tháng văn bản',
      'Tên loại và trích yếu nội dung',
      'Đơn vị hoặc người nhận',
      'Ngày chuyển',
      'Ký nhận',
      'Ghi chú',
    ]);
    expect(r.rows).toHaveLength(2);
    expect(r.rows[0].slice(1, 7)).toEqual([
      '1',
      'Bộ Nội vụ',
      '125/BNV-CĐS',
      `05/01/${year}`,
      'Công văn: Về việc báo cáo kết quả chuyển đổi số',
      'Phòng Tổng hợp',
    ]);
    expect(r.rows[0][7]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(r.rows[1][1]).toBe('2');
    expect(r.rows[1][6]).toBe('');
    expect(r.rows[1][9]).toBe('Khẩn');
    // Number range and another year.
    expect(
      (await book(clerk, inReg, `year=${year}&fromNumber=2`)).json().rows.map((x: string[]) => x[1]),
    ).toEqual(['2']);
    expect((await book(clerk, inReg, `year=${year - 1}`)).json().rows).toEqual([]);
  });

  it('the outgoing register shows the issued reply; the tracking register links it to the request', async () => {
    const out = (await book(clerk, outReg, `year=${year}`)).json();
    expect(out.title).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(out.columns).toHaveLength(10);
    expect(out.rows).toHaveLength(1);
    expect(out.rows[0].slice(0, 7)).toEqual([
      '01/UBND-TH',
      expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/),
      'Công văn: Báo cáo kết quả chuyển đổi số của tỉnh',
      'Trần Quốc Hưng',
      'Sở Nội vụ; Bộ Nội vụ',
      'VT, TH',
      '2',
    ]);
    const tracking = (await book(clerk, inReg, `year=${year}&kind=tracking`)).json();
    expect(tracking.columns).toHaveLength(7);
    expect(tracking.rows[0]).toEqual([
      '1',
      `Công văn số 125/BNV-CĐS ngày 05/01/${year} của Bộ Nội vụ`,
      'Phòng Tổng hợp',
      `30/12/${year}`,
      'Chưa xử lý',
      '01/UBND-TH',
      '',
    ]);
    expect(tracking.rows[1][4]).toBe('Chưa phân công');
    expect((await book(clerk, outReg, `year=${year}&kind=tracking`)).json().code).toBe('VALIDATION_ERROR');
  });

  it('prints as PDF with Vietnamese text and exports as XLSX', async () => {
    const pdf = await book(clerk, inReg, `year=${year}&format=pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf.rawPayload }).toString();
    expect(text).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(text).toContain('ỦY BAN NHÂN DÂN TỈNH THỬ');
    expect(text).toContain('Về việc báo cáo kết quả chuyển đổi');
    expect(text).toContain('125/BNV-CĐS');
    expect(text).toContain('Tên loại và trích yếu');
    expect(text).toContain('Trang 1/1');

    const xlsx = await book(clerk, outReg, `year=${year}&format=xlsx`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const values = ws
      .getSheetValues()
      .flat()
      .filter((v) => typeof v === 'string');
    expect(values).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(values).toContain('01/UBND-TH');
    expect(values).toContain('Công văn: Báo cáo kết quả chuyển đổi số của tỉnh');
  });

  it('a secret register only to leaders and clerks; another agency never', async () => {
    expect((await book(specialist.cookie, inSecret, `year=${year}`)).statusCode).toBe(403);
    const asLeader = (await book(leader.cookie, inSecret, `year=${year}`)).json();
    expect(asLeader.rows[0][9]).toContain('Mật');
    expect((await book(specialist.cookie, inReg, `year=${year}`)).statusCode).toBe(200);
    const outsider = (await t.f.session(['clerk'], b)).cookie;
    expect((await book(outsider, inReg, `year=${year}`)).json().code).toBe('REGISTER_NOT_FOUND');
  });

  it('a register too long to print at once asks for a range', async () => {
    const big = (
      await post((await t.f.session(['admin'])).cookie, '/api/documents/registers', {
        agencyId: a,
        kind: 'incoming',
        code: 'DEN-LON',
        name: 'Sổ văn bản đến điện tử',
      })
    ).json().id as string;
    await sql`WITH d AS (
        INSERT INTO documents (id, agency_id, direction, channel, type_id, issuer_name, subject, status)
        SELECT gen_random_uuid(), ${a}, 'incoming', 'electronic', 'cong_van', 'Sở Y tế', 'Về việc ' || g, 'registered'
        FROM generate_series(1, 5001) g RETURNING id, subject)
      INSERT INTO register_entries (id, register_id, year, number, document_id)
      SELECT gen_random_uuid(), ${big}, ${year}, substr(subject, 9)::int, id FROM d`.execute(t.db);
    const all = await book(clerk, big, `year=${year}&format=pdf`);
    expect(all.statusCode).toBe(400);
    expect(all.json()).toMatchObject({ code: 'REGISTER_BOOK_TOO_LARGE', details: { limit: 5000 } });
    const part = (await book(clerk, big, `year=${year}&fromNumber=4901&toNumber=5001`)).json();
    expect(part.rows).toHaveLength(101);
  });
});
