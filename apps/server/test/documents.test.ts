import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_WINDOW } from '../src/modules/documents/repo.ts';
import { setupApp, type TestApp } from './helpers.ts';

let t: TestApp;
let agencyA: string;
let agencyB: string;
let registerA: string;
let secretRegisterA: string;
let clerkA: string;
let clerkA2: string;
let clerkB: string;
let leaderA: string;
let specialistA: string;

beforeAll(async () => {
  t = await setupApp();
  const a = await t.f.agency({ name: 'Văn phòng UBND tỉnh' });
  const b = await t.f.agency({ name: 'Sở Tài chính' });
  agencyA = a.id;
  agencyB = b.id;
  const admin = (await t.f.session(['admin'])).cookie;
  const mk = async (agencyId: string, code: string, secret: boolean) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/documents/registers',
      headers: { cookie: admin },
      payload: {
        agencyId,
        kind: 'incoming',
        secret,
        code,
        name: secret ? 'Sổ văn bản đến mật' : 'Sổ văn bản đến',
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  registerA = await mk(agencyA, 'DEN', false);
  secretRegisterA = await mk(agencyA, 'DEN-MAT', true);
  await mk(agencyB, 'DEN', false);
  clerkA = (await t.f.session(['clerk'], agencyA)).cookie;
  clerkA2 = (await t.f.session(['clerk'], agencyA)).cookie;
  clerkB = (await t.f.session(['clerk'], agencyB)).cookie;
  leaderA = (await t.f.session(['leader'], agencyA)).cookie;
  specialistA = (await t.f.session(['specialist'], agencyA)).cookie;
});
afterAll(async () => t.close());

const register = (cookie: string, payload: Record<string, unknown>, key?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/documents/incoming',
    headers: { cookie, ...(key && { 'idempotency-key': key }) },
    payload: {
      registerId: registerA,
      typeId: 'cong_van',
      issuerName: 'Sở Nội vụ',
      subject: 'Văn bản thử',
      ...payload,
    },
  });

describe('document types', () => {
  it('are the 29 types of NĐ 30 art. 7; công văn and thư công have no abbreviation', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/documents/types',
      headers: { cookie: specialistA },
    });
    const items = res.json().items as { id: string; name: string; abbreviation: string | null }[];
    expect(items).toHaveLength(29);
    expect(items.find((x) => x.id === 'quyet_dinh')?.abbreviation).toBe('QĐ');
    expect(items.find((x) => x.id === 'quy_dinh')?.abbreviation).toBe('QyĐ');
    expect(items.filter((x) => x.abbreviation === null).map((x) => x.name)).toEqual(['Công văn', 'Thư công']);
    // Before NĐ 30 took effect the table has nothing (law as data, effective-dated).
    const before = await t.app.inject({
      method: 'GET',
      url: '/api/documents/types?asOf=2019-01-01',
      headers: { cookie: specialistA },
    });
    expect(before.json().items).toHaveLength(0);
  });
});

describe('incoming register', () => {
  it('numbers from 1 within the year, stores files and the timeline', async () => {
    const t2 = await setupApp();
    try {
      const ag = await t2.f.agency();
      const admin = (await t2.f.session(['admin'])).cookie;
      const reg = (
        await t2.app.inject({
          method: 'POST',
          url: '/api/documents/registers',
          headers: { cookie: admin },
          payload: { agencyId: ag.id, kind: 'incoming', code: 'DEN', name: 'Sổ đến' },
        })
      ).json().id;
      const clerk = (await t2.f.session(['clerk'], ag.id)).cookie;
      const pdf = Buffer.from('%PDF-1.7\n%%EOF\n');
      const boundary = 'xyz123';
      const up = await t2.app.inject({
        method: 'POST',
        url: '/api/files',
        headers: { cookie: clerk, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: Buffer.concat([
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
          ),
          pdf,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]),
      });
      const sha = up.json().sha256;
      const first = await t2.app.inject({
        method: 'POST',
        url: '/api/documents/incoming',
        headers: { cookie: clerk },
        payload: {
          registerId: reg,
          typeId: 'quyet_dinh',
          number: '123',
          notation: 'QĐ-UBND',
          issuedOn: '2026-11-20',
          issuerName: 'Ủy ban nhân dân tỉnh',
          subject: 'Quyết định phê duyệt Đề án chuyển đổi số',
          signerCompetence: 'KT. CHỦ TỊCH',
          signerName: 'Lê Thị Thanh Hà',
          urgency: 'urgent',
          pageCount: 3,
          files: [{ sha256: sha, name: 'scan.pdf', role: 'scan' }],
        },
      });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toMatchObject({ number: 1, replayed: false });
      const second = await t2.app.inject({
        method: 'POST',
        url: '/api/documents/incoming',
        headers: { cookie: clerk },
        payload: { registerId: reg, typeId: 'cong_van', issuerName: 'Sở Y tế', subject: 'Về việc báo cáo' },
      });
      expect(second.json().number).toBe(2);
      const doc = await t2.app.inject({
        method: 'GET',
        url: `/api/documents/${first.json().documentId}`,
        headers: { cookie: clerk },
      });
      expect(doc.json()).toMatchObject({
        registerNumber: 1,
        typeName: 'Quyết định',
        notation: 'QĐ-UBND',
        urgency: 'urgent',
        files: [{ sha256: sha, role: 'scan', position: 1 }],
      });
      expect(doc.json().timeline.map((e: { kind: string }) => e.kind)).toEqual(['received', 'registered']);
      // The scan is served through the document, to those who may read it, and to no one else.
      const fileUrl = `/api/documents/${first.json().documentId}/files/1`;
      const reader = (await t2.f.session(['specialist'], ag.id)).cookie;
      const got = await t2.app.inject({ method: 'GET', url: fileUrl, headers: { cookie: reader } });
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('application/pdf');
      expect(got.headers['content-disposition']).toContain("filename*=UTF-8''scan.pdf");
      expect(got.rawPayload.equals(pdf)).toBe(true);
      expect(
        (await t2.app.inject({ method: 'GET', url: `/api/files/${sha}`, headers: { cookie: reader } }))
          .statusCode,
      ).toBe(404);
      const stranger = (await t2.f.session(['specialist'], (await t2.f.agency({ name: 'Sở Khác' })).id))
        .cookie;
      expect(
        (await t2.app.inject({ method: 'GET', url: fileUrl, headers: { cookie: stranger } })).json().code,
      ).toBe('DOCUMENT_NOT_FOUND');
      expect(
        (
          await t2.app.inject({
            method: 'GET',
            url: `/api/documents/${first.json().documentId}/files/2`,
            headers: { cookie: reader },
          })
        ).json().code,
      ).toBe('FILE_NOT_FOUND');
      // Someone who learnt the hash cannot attach the file to a document of their own to read it.
      const otherClerk = (await t2.f.session(['clerk'], ag.id)).cookie;
      const stolen = await t2.app.inject({
        method: 'POST',
        url: '/api/documents/incoming',
        headers: { cookie: otherClerk },
        payload: {
          registerId: reg,
          typeId: 'cong_van',
          issuerName: 'Sở Y tế',
          subject: 'Đính kèm tệp của người khác',
          files: [{ sha256: sha, name: 'x.pdf', role: 'scan' }],
        },
      });
      expect(stolen.json().code).toBe('FILE_NOT_FOUND');
      const audit = await t2.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_type', '=', 'document')
        .execute();
      expect(audit).toHaveLength(2);
    } finally {
      await t2.close();
    }
  });

  it('the same idempotency key registers once', async () => {
    const a = await register(clerkA, { subject: 'Gửi lại do mất mạng' }, 'retry-key-0001');
    const b = await register(clerkA, { subject: 'Gửi lại do mất mạng' }, 'retry-key-0001');
    expect(b.json()).toMatchObject({
      documentId: a.json().documentId,
      number: a.json().number,
      replayed: true,
    });
  });

  it('two clerks registering 200 documents concurrently get 200 distinct consecutive numbers', async () => {
    const t3 = await setupApp();
    try {
      const ag = await t3.f.agency();
      const admin = (await t3.f.session(['admin'])).cookie;
      const reg = (
        await t3.app.inject({
          method: 'POST',
          url: '/api/documents/registers',
          headers: { cookie: admin },
          payload: { agencyId: ag.id, kind: 'incoming', code: 'DEN', name: 'Sổ đến' },
        })
      ).json().id;
      const c1 = (await t3.f.session(['clerk'], ag.id)).cookie;
      const c2 = (await t3.f.session(['clerk'], ag.id)).cookie;
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          t3.app.inject({
            method: 'POST',
            url: '/api/documents/incoming',
            headers: { cookie: i % 2 ? c1 : c2 },
            payload: {
              registerId: reg,
              typeId: 'cong_van',
              issuerName: 'Sở Xây dựng',
              subject: `Công văn số ${i}`,
            },
          }),
        ),
      );
      expect(results.map((r) => r.statusCode)).toEqual(Array(200).fill(201));
      const numbers = results.map((r) => r.json().number as number).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    } finally {
      await t3.close();
    }
  });

  it('secret documents go into the secret register only', async () => {
    const wrong = await register(clerkA, { secrecy: 'secret' });
    expect(wrong.json().code).toBe('REGISTER_KIND_MISMATCH');
    const ok = await register(clerkA, {
      registerId: secretRegisterA,
      secrecy: 'secret',
      subject: 'Văn bản mật thử',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().number).toBe(1);
    const plainInSecret = await register(clerkA, { registerId: secretRegisterA });
    expect(plainInSecret.json().code).toBe('REGISTER_KIND_MISMATCH');
  });

  it('a clerk of another agency cannot use this register; unknown types and files are refused', async () => {
    const other = await register(clerkB, {});
    expect(other.statusCode).toBe(403);
    expect((await register(clerkA, { typeId: 'sac_lenh' })).json().code).toBe('DOCUMENT_TYPE_UNKNOWN');
    const noFile = await register(clerkA, {
      files: [{ sha256: 'c'.repeat(64), name: 'x.pdf', role: 'main' }],
    });
    expect(noFile.json().code).toBe('FILE_NOT_FOUND');
  });
});

describe('visibility', () => {
  it('other agencies never see a document; secret ones only leaders of the agency', async () => {
    const plain = (await register(clerkA, { subject: 'Kế hoạch tổ chức hội nghị tổng kết' })).json()
      .documentId;
    const secret = (
      await register(clerkA2, {
        registerId: secretRegisterA,
        secrecy: 'confidential',
        subject: 'Báo cáo tình hình an ninh',
      })
    ).json().documentId;
    const get = (cookie: string, id: string) =>
      t.app.inject({ method: 'GET', url: `/api/documents/${id}`, headers: { cookie } });
    expect((await get(specialistA, plain)).statusCode).toBe(200);
    expect((await get(clerkB, plain)).json().code).toBe('DOCUMENT_NOT_FOUND');
    expect((await get(specialistA, secret)).json().code).toBe('DOCUMENT_NOT_FOUND');
    expect((await get(leaderA, secret)).statusCode).toBe(200);
    // Search results and counts obey the same rule.
    const look = async (cookie: string, query: string) => {
      const [page, count] = await Promise.all(
        ['/api/documents', '/api/documents/count'].map((url) =>
          t.app.inject({ method: 'GET', url: `${url}?q=${encodeURIComponent(query)}`, headers: { cookie } }),
        ),
      );
      return { ...page!.json(), ...count!.json() };
    };
    expect(await look(specialistA, 'an ninh')).toEqual({
      items: [],
      hasMore: false,
      total: 0,
      capped: false,
    });
    const asLeader = await look(leaderA, 'an ninh');
    expect(asLeader.total).toBe(1);
    expect(asLeader.items).toHaveLength(1);
    const asOther = await look(clerkB, 'hoi nghi tong ket');
    expect(asOther.total).toBe(0);
    expect(asOther.items).toHaveLength(0);
  });
});

describe('Vietnamese search', () => {
  const subjects = [
    'Quyết định phê duyệt Đề án chuyển đổi số tỉnh giai đoạn 2026–2030',
    'Công văn về việc hòa giải ở cơ sở',
    'Kế hoạch thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới',
    'Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với Sở Y tế',
    'Báo cáo tình hình kinh tế - xã hội tháng 11',
    'Tờ trình đề nghị thẩm định dự thảo Nghị quyết về phí, lệ phí',
    'Giấy mời dự Hội nghị trực tuyến về cải cách hành chính',
    'Hướng dẫn đánh giá, xếp loại chất lượng cán bộ, công chức, viên chức năm 2026',
    'Chỉ thị về tăng cường phòng, chống thiên tai mùa mưa bão',
    'Quyết định thành lập Ban Chỉ đạo đảm bảo an toàn thực phẩm',
    'Công văn hướng dẫn thủ tục đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
    'Kế hoạch triển khai Đắk Lắk - Thúy Hòa khỏe mạnh',
  ];
  let ids: string[] = [];
  beforeAll(async () => {
    ids = [];
    for (const subject of subjects)
      ids.push(
        (
          await register(clerkA, { subject, issuerName: 'Văn phòng UBND tỉnh', signerName: 'Trần Quốc Hưng' })
        ).json().documentId,
      );
  });
  const search = async (q: string) =>
    (
      await t.app.inject({
        method: 'GET',
        url: `/api/documents?pageSize=100&q=${encodeURIComponent(q)}`,
        headers: { cookie: specialistA },
      })
    )
      .json()
      .items.map((x: { id: string }) => x.id)
      .sort();

  const cases: Array<[string, string, number]> = [
    ['quyết định chuyển đổi số', 'quyet dinh chuyen doi so', 0],
    ['hòa giải', 'hoa giai', 1],
    ['hoà giải', 'hòa giải', 1],
    ['nông thôn mới', 'nong thon moi', 2],
    ['Chủ tịch UBND', 'chu tich ubnd', 3],
    ['Sở Y tế', 'so y te', 3],
    ['kinh tế - xã hội', 'kinh te xa hoi', 4],
    ['thẩm định dự thảo', 'tham dinh du thao', 5],
    ['phí, lệ phí', 'phi le phi', 5],
    ['Hội nghị trực tuyến', 'HOI NGHI TRUC TUYEN', 6],
    ['cải cách hành chính', 'cai cach hanh chinh', 6],
    ['đánh giá xếp loại', 'danh gia xep loai', 7],
    ['cán bộ, công chức', 'can bo cong chuc', 7],
    ['phòng, chống thiên tai', 'phong chong thien tai', 8],
    ['mưa bão', 'mua bao', 8],
    ['Ban Chỉ đạo', 'ban chi dao', 9],
    ['an toàn thực phẩm', 'an toan thuc pham', 9],
    ['khai sinh', 'khai sinh', 10],
    ['bảo hiểm y tế trẻ em', 'bao hiem y te tre em', 10],
    ['Đắk Lắk', 'dak lak', 11],
    ['thuý hoà khoẻ', 'thúy hòa khỏe', 11],
    ['Trần Quốc Hưng chuyển đổi', 'tran quoc hung chuyen doi', 0],
  ];
  it.each(cases)('"%s" and "%s" find the same documents', async (withMarks, without, expected) => {
    const a = await search(withMarks);
    const b = await search(without);
    expect(a).toEqual(b);
    expect(a).toContain(ids[expected]);
  });

  it('decomposed Unicode input (NFD) finds the same as composed', async () => {
    expect(await search('chuyển đổi số'.normalize('NFD'))).toEqual(await search('chuyển đổi số'));
  });
});

describe('search counts and pages', () => {
  it('counting stops at 1 000 and says so; pages say whether more follow', async () => {
    await sql`INSERT INTO documents (id, agency_id, direction, channel, type_id, issuer_name, subject, status)
      SELECT gen_random_uuid(), ${agencyA}, 'incoming', 'electronic', 'cong_van', 'Sở Xây dựng',
             'Về việc cấp phép xây dựng công trình số ' || g, 'registered'
      FROM generate_series(1, 1005) AS g`.execute(t.db);
    const q = encodeURIComponent('cap phep xay dung');
    const count = await t.app.inject({
      method: 'GET',
      url: `/api/documents/count?q=${q}`,
      headers: { cookie: specialistA },
    });
    expect(count.json()).toEqual({ total: 1000, capped: true });
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/documents?q=${q}`,
      headers: { cookie: specialistA },
    });
    expect(res.json().items).toHaveLength(20);
    expect(res.json().hasMore).toBe(true);
    const last = await t.app.inject({
      method: 'GET',
      url: `/api/documents?q=${q}&page=51&pageSize=20`,
      headers: { cookie: specialistA },
    });
    expect(last.json().hasMore).toBe(false);
    expect(last.json().items.length).toBeGreaterThanOrEqual(5);
  });

  it('finds matches older than the newest-first window, in order, without gaps', async () => {
    // 30 old matches, then SEARCH_WINDOW newer documents that do not match: the window holds no
    // match, so the search must go past it.
    const base = Date.parse('2020-01-01T00:00:00Z');
    await sql`INSERT INTO documents (id, agency_id, direction, channel, type_id, issuer_name, subject, status, created_at)
      SELECT gen_random_uuid(), ${agencyA}, 'incoming', 'electronic', 'cong_van', 'Sở Tư pháp',
             'Về việc hòa giải viên số ' || g, 'registered', ${new Date(base)}::timestamptz + (g || ' minutes')::interval
      FROM generate_series(1, 30) AS g`.execute(t.db);
    await sql`INSERT INTO documents (id, agency_id, direction, channel, type_id, issuer_name, subject, status, created_at)
      SELECT gen_random_uuid(), ${agencyA}, 'incoming', 'electronic', 'cong_van', 'Sở Tài chính',
             'Về việc quyết toán ngân sách ' || g, 'registered', now() - (g || ' seconds')::interval
      FROM generate_series(1, ${SEARCH_WINDOW}) AS g`.execute(t.db);
    const pages = [];
    for (const page of [1, 2]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/documents?q=${encodeURIComponent('hoa giai vien')}&page=${page}`,
        headers: { cookie: specialistA },
      });
      pages.push(res.json());
    }
    expect(pages[0].hasMore).toBe(true);
    expect(pages[1].hasMore).toBe(false);
    const subjects = [...pages[0].items, ...pages[1].items].map((d: { subject: string }) => d.subject);
    expect(subjects).toEqual(Array.from({ length: 30 }, (_, i) => `Về việc hòa giải viên số ${30 - i}`));
    // A dense query is answered from the window, newest first.
    const dense = await t.app.inject({
      method: 'GET',
      url: `/api/documents?q=${encodeURIComponent('quyet toan ngan sach')}`,
      headers: { cookie: specialistA },
    });
    expect(
      dense
        .json()
        .items.map((d: { subject: string }) => d.subject)
        .slice(0, 3),
    ).toEqual([
      'Về việc quyết toán ngân sách 1',
      'Về việc quyết toán ngân sách 2',
      'Về việc quyết toán ngân sách 3',
    ]);
  });
});
