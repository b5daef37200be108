import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ProcedureInput, type Role } from '@congvu/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';
import { makePdf, uploadFile } from './support/pdf.ts';

/**
 * The public portal (issue 7): server-rendered pages, no sign-in. Data is made through the
 * services; pages are read with app.inject as a browser without JavaScript would.
 */
let t: TestApp;
let A: { id: string; code: string; name: string };
let B: { id: string; code: string; name: string };
let birth: { code: string };
let dossier: { code: string; lookupSecret: string };
let formSha: string;
let privateSha: string;

const actor = (roles: Role[], agencyId: string | null) => t.f.actor(roles, agencyId);

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

beforeAll(async () => {
  t = await setupApp({}, { loginRatePerMinute: 5 });
  A = await t.f.agency({ name: 'UBND xã Mường Thử', kind: 'commune_committee' });
  B = await t.f.agency({ name: 'Sở Xây dựng thử' });
  const uploader = await t.f.session(['admin']);
  formSha = await uploadFile(
    t.app,
    uploader.cookie,
    'to-khai.pdf',
    await makePdf('To khai dang ky khai sinh'),
  );
  privateSha = await uploadFile(t.app, uploader.cookie, 'rieng.pdf', await makePdf('Tai lieu rieng'));
  const admin = await actor(['admin'], null);
  const p = t.services.procedures;
  await p.createSector(admin, { code: 'HT', name: 'Hộ tịch' });
  await p.createSector(admin, { code: 'XD', name: 'Xây dựng' });
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
      applicants: ['Công dân Việt Nam'],
      results: [{ name: 'Giấy khai sinh (bản chính)' }],
      legalBasis: [{ number: '60/2014/QH13', title: 'Luật Hộ tịch' }],
      implementing: [{ name: 'UBND cấp xã' }],
      agencyIds: [A.id],
      published: true,
      validFrom: '2025-01-01',
      validTo: null,
      cases: [
        {
          name: 'Đăng ký khai sinh đúng hạn',
          steps: ['Người yêu cầu nộp tờ khai', 'Công chức tư pháp – hộ tịch kiểm tra'],
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
            {
              name: 'Tờ khai đăng ký khai sinh',
              formName: 'Mẫu TP/HT-2020-KS.1',
              formUrl: 'https://example.gov.vn/mau/ks1.docx',
              originals: 1,
              certified: 0,
              copies: 0,
              required: true,
            },
            { name: 'Giấy chứng sinh', originals: 1, certified: 0, copies: 0, required: true },
            { name: 'Văn bản ủy quyền', formName: 'Mẫu ủy quyền', formBlob: formSha, required: false },
          ],
          workflow,
        },
      ],
    }),
  );
  birth = { code: made.code };
  await p.create(
    admin,
    ProcedureInput.parse({
      code: '1.009994',
      name: 'Cấp giấy phép xây dựng',
      sectorCode: 'XD',
      authorityLevel: 'province',
      onlineLevel: 'partial',
      agencyIds: [B.id],
      published: true,
      validFrom: '2025-01-01',
      validTo: null,
      cases: [
        {
          name: 'Công trình cấp I',
          channels: [{ channel: 1, durationValue: 20, durationUnit: 'working_days', fees: [] }],
          workflow,
        },
      ],
    }),
  );
  await p.create(
    admin,
    ProcedureInput.parse({
      code: '9.999999',
      name: 'Đăng ký khai sinh nội bộ chưa công bố',
      sectorCode: 'HT',
      authorityLevel: 'commune',
      onlineLevel: 'partial',
      agencyIds: [A.id],
      published: false,
      validFrom: '2025-01-01',
      validTo: null,
      cases: [{ name: 'Một', channels: [], workflow }],
    }),
  );
  const counter = await actor(['counter'], A.id);
  const proc = (
    await p.list({
      code: '1.001193',
      published: true,
      allVersions: undefined,
      sort: 'name',
      page: 1,
      pageSize: 1,
    })
  ).items[0]!;
  const detail = await p.get(proc.id);
  const d = await t.services.dossiers.receive(counter, {
    procedureId: proc.id,
    caseId: detail.cases[0]!.id,
    channel: 1,
    applicant: { kind: 1, name: 'Lò Thị Dân', idNo: '001090012345' },
    sets: 1,
    components: [{ name: 'Tờ khai đăng ký khai sinh', originals: 1, certified: 0, copies: 0 }],
    paidFees: [],
  } as never);
  dossier = { code: d.code, lookupSecret: d.lookupSecret };
});
afterAll(async () => t?.close());

describe('catalogue', () => {
  it('home: lang vi, skip link, the search form, no script', async () => {
    const res = await get('/cong-dich-vu/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="vi">');
    expect(res.body).toContain('href="#noi-dung"');
    expect(res.body).toContain('action="/cong-dich-vu/thu-tuc"');
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain('Hộ tịch');
  });

  it('search without diacritics finds "Đăng ký khai sinh"; unpublished procedures stay hidden', async () => {
    const res = await get('/cong-dich-vu/thu-tuc?q=dang+ky+khai+sinh');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/cong-dich-vu/thu-tuc/1.001193"');
    expect(res.body).toContain('Đăng ký khai sinh');
    expect(res.body).toContain('Tìm thấy 1 thủ tục');
    expect(res.body).not.toContain('chưa công bố');
    expect(res.body).not.toContain('Cấp giấy phép xây dựng');
  });

  it('what was typed is escaped, never markup', async () => {
    const res = await get(`/cong-dich-vu/thu-tuc?q=${encodeURIComponent('<script>alert("x")</script>')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<script>');
    expect(res.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('filters by sector, agency and level', async () => {
    const bySector = await get('/cong-dich-vu/thu-tuc?linhVuc=XD');
    expect(bySector.body).toContain('Cấp giấy phép xây dựng');
    expect(bySector.body).not.toContain('thu-tuc/1.001193');
    const byAgency = await get(`/cong-dich-vu/thu-tuc?coQuan=${encodeURIComponent(A.code)}`);
    expect(byAgency.body).toContain('thu-tuc/1.001193');
    expect(byAgency.body).not.toContain('Cấp giấy phép xây dựng');
    const byLevel = await get('/cong-dich-vu/thu-tuc?capDo=province');
    expect(byLevel.body).toContain('Cấp giấy phép xây dựng');
    expect(byLevel.body).not.toContain('thu-tuc/1.001193');
    const unknownAgency = await get('/cong-dich-vu/thu-tuc?coQuan=KHONG.CO');
    expect(unknownAgency.body).toContain('Tìm thấy 0 thủ tục');
  });

  it('the procedure page shows fees, time per channel, components with forms, legal basis, where to go and the online action', async () => {
    const res = await get(`/cong-dich-vu/thu-tuc/${birth.code}`);
    expect(res.statusCode).toBe(200);
    const b = res.body;
    expect(b).toContain('<h1>Đăng ký khai sinh</h1>');
    expect(b).toMatch(/Trực tiếp<\/th>\s*<td>1 ngày làm việc/);
    expect(b).toMatch(/Trực tuyến<\/th>\s*<td>2 ngày làm việc/);
    expect(b).toContain('Lệ phí đăng ký khai sinh quá hạn: 8.000 đ');
    expect(b).toContain('Tờ khai đăng ký khai sinh');
    expect(b).toContain('href="https://example.gov.vn/mau/ks1.docx"');
    expect(b).toContain('Giấy chứng sinh');
    expect(b).toContain('60/2014/QH13');
    expect(b).toContain('Luật Hộ tịch');
    expect(b).toContain('UBND xã Mường Thử');
    expect(b).toContain('Người yêu cầu nộp tờ khai');
    expect(b).toContain('href="/cong-dich-vu/nop-truc-tuyen/1.001193">Nộp trực tuyến');
    // Counter-only procedure: no online action.
    expect((await get('/cong-dich-vu/thu-tuc/1.009994')).body).not.toContain('Nộp trực tuyến</a>');
    // Online submission needs a citizen account: signed out, the sign-in page comes first.
    const start = await get('/cong-dich-vu/nop-truc-tuyen/1.001193');
    expect(start.statusCode).toBe(303);
    expect(start.headers.location).toBe(
      '/cong-dich-vu/dang-nhap?tiep=%2Fcong-dich-vu%2Fnop-truc-tuyen%2F1.001193',
    );
  });

  it('an uploaded form of a published procedure downloads; any other blob is a 404 page', async () => {
    const page = await get(`/cong-dich-vu/thu-tuc/${birth.code}`);
    expect(page.body).toContain(`href="/cong-dich-vu/bieu-mau/${formSha}" download>Tải mẫu Mẫu ủy quyền`);
    const res = await get(`/cong-dich-vu/bieu-mau/${formSha}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('Mẫu ủy quyền.pdf')}`,
    );
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const other = await get(`/cong-dich-vu/bieu-mau/${privateSha}`);
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toContain('text/html');
  });

  it('unknown and unpublished procedures are a 404 page', async () => {
    for (const code of ['0.000000', '9.999999']) {
      const res = await get(`/cong-dich-vu/thu-tuc/${code}`);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Không tìm thấy trang');
    }
    expect((await get('/cong-dich-vu/khong-co')).statusCode).toBe(404);
  });
});

describe('dossier lookup', () => {
  it('the form, then the status with steps, due date and what to do', async () => {
    const form = await get('/cong-dich-vu/tra-cuu');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<label for="k">Mã tra cứu</label>');
    const res = await get(`/cong-dich-vu/tra-cuu?ma=${dossier.code}&k=${dossier.lookupSecret}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.body).toContain(`Hồ sơ ${dossier.code}`);
    expect(res.body).toContain('Tình trạng: Được tiếp nhận');
    expect(res.body).toContain('Ngày hẹn trả kết quả');
    expect(res.body).toContain('Bạn chờ kết quả theo ngày hẹn trả');
    expect(res.body).toMatch(/<ol class="timeline">[\s\S]*Mới đăng ký[\s\S]*Được tiếp nhận/);
    expect(res.body).not.toContain('Lò Thị Dân');
    expect(res.body).toMatch(/\d{2}\/\d{2}\/\d{4}/);
  });

  it('a wrong secret answers exactly like an unknown code', async () => {
    const wrong = await get(`/cong-dich-vu/tra-cuu?ma=${dossier.code}&k=000000000000`);
    const unknown = await get('/cong-dich-vu/tra-cuu?ma=KHONG-CO-0000&k=000000000000');
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    // Only what was typed may differ: the form's values and the language switch's way back.
    const strip = (s: string) => s.replace(/value="[^"]*"/g, '').replace(/tiep=[^"]*"/g, '');
    expect(strip(wrong.body)).toBe(strip(unknown.body));
    expect(wrong.body).toContain('Không tìm thấy hồ sơ');
    expect(wrong.body).not.toContain('Đăng ký khai sinh');
  });

  it('the lookup API counts wrong guesses, not lookups: 429 with Retry-After after 5 in a minute', async () => {
    const right = `/api/public/dossiers/${dossier.code}?k=${dossier.lookupSecret}`;
    // Many right lookups from one address (a carrier's shared address, say) are never refused.
    for (let i = 0; i < 12; i++) expect((await get(right)).statusCode).toBe(200);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push((await get(`/api/public/dossiers/${dossier.code}?k=${'0'.repeat(15)}${i}`)).statusCode);
    expect(codes).toEqual([404, 404, 404, 404, 404, 429]);
    // Once refused, the right secret is refused too until the minute ends: guessing stays slow.
    const refused = await get(right);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Quá nhiều yêu cầu, vui lòng thử lại sau',
    });
    const after = Number(refused.headers['retry-after']);
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThanOrEqual(60);
  });

  it('is rate limited per client (429 page)', async () => {
    let last = 0;
    for (let i = 0; i < 8; i++) {
      last = (await get(`/cong-dich-vu/tra-cuu?ma=${dossier.code}&k=00000000000${i}`, {})).statusCode;
      if (last === 429) break;
    }
    expect(last).toBe(429);
    const res = await get('/cong-dich-vu/tra-cuu');
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Quá nhiều lượt tra cứu');
  });
});

describe('statistics and headers', () => {
  it('the statistics page has SVG charts with text alternatives and a table', async () => {
    const year = new Date(Date.now() + 7 * 3_600_000).getUTCFullYear();
    const res = await get(`/cong-dich-vu/thong-ke?nam=${year}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<svg role="img"/);
    expect(res.body).toContain('<title id="bieu-do-diem-t">');
    expect(res.body).toMatch(/<table>[\s\S]*<th scope="row">Toàn tỉnh<\/th>/);
    expect(res.body).toContain('UBND xã Mường Thử');
    expect(res.body).not.toContain('Sở Xây dựng thử</th>');
  });

  it('strict CSP allowing only the inlined stylesheet by its hash, nosniff, ETag with 304, compression', async () => {
    const res = await get('/cong-dich-vu/thu-tuc');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // One <style> in the head, no stylesheet link: a first visit is one request.
    expect(res.body).not.toContain('<link rel="stylesheet"');
    const styles = [...res.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    expect(res.body.indexOf('<style>')).toBeLessThan(res.body.indexOf('</head>'));
    expect(styles[0]).toContain('.top {');
    // style-src is exactly the hash of the inline style's bytes, as a browser computes it.
    const hash = createHash('sha256').update(styles[0]!, 'utf8').digest('base64');
    expect(/style-src ([^;]+);/.exec(csp)![1]).toBe(`'sha256-${hash}'`);
    // Every portal page carries the same style and policy (error pages too).
    const notFound = await get('/cong-dich-vu/khong-co-trang-nay');
    expect(notFound.statusCode).toBe(404);
    expect(notFound.headers['content-security-policy']).toBe(csp);
    expect(notFound.body).toContain(`<style>${styles[0]}</style>`);
    // The old stylesheet address is gone (nothing links it any more).
    expect((await get('/cong-dich-vu/portal.css')).statusCode).toBe(404);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect((await get('/cong-dich-vu/thu-tuc', { 'if-none-match': etag })).statusCode).toBe(304);
    const br = await get('/cong-dich-vu/thu-tuc', { 'accept-encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(res.body);
    const gz = await get('/cong-dich-vu/thu-tuc', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(res.body);
    expect(gz.rawPayload.length).toBeLessThan(res.body.length / 2);
  });

  it('bad input is a 400 page, never a 500', async () => {
    for (const url of [
      '/cong-dich-vu/thu-tuc?capDo=planet',
      '/cong-dich-vu/thu-tuc?trang=0',
      `/cong-dich-vu/thu-tuc?q=${'x'.repeat(201)}`,
      '/cong-dich-vu/thong-ke?nam=hai-nghin',
      `/cong-dich-vu/thu-tuc/${'9'.repeat(41)}`,
      '/cong-dich-vu/bieu-mau/khong-phai-sha',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.body, url).toContain('Yêu cầu không hợp lệ');
    }
  });

  it('a refusal with a code is its own page and status, never a blank 500 (no gateway configured: 503)', async () => {
    const res = await get('/cong-dich-vu/thanh-toan/ket-qua?vnp_TxnRef=TT2612070123456789&vnp_SecureHash=ab');
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Chưa cấu hình cổng thanh toán trực tuyến');
    expect(res.body).not.toContain('Hệ thống đang gặp sự cố');
  });

  it('the staff app keeps its paths: the API answers JSON', async () => {
    const res = await get('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBeUndefined();
  });
});
