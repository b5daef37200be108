import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupApp, type TestApp } from './helpers.ts';

/** A generated LayThuTuc file: 2,000 procedures, 50 of them malformed in several ways. */
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await setupApp();
  admin = (await t.f.session(['admin'])).cookie;
});
afterAll(async () => t.close());

const N = 2000;
function goodRecord(i: number) {
  return {
    MATTHC: `1.${String(100000 + i)}`,
    TENTTHC: `Thủ tục thử số ${i} về đăng ký hộ kinh doanh`,
    MACOQUANCONGBO: 'Bộ Tài chính',
    LINHVUCTHUCHIEN: [{ MALINHVUC: `LV${i % 20}`, TENLINHVUC: `Lĩnh vực ${i % 20}` }],
    TRINHTUTHUCHIEN: [
      {
        TRUONGHOP: 'Trường hợp thường',
        TRINHTU: [{ TENTRINHTU: 'Nộp hồ sơ' }, { TENTRINHTU: 'Nhận kết quả' }],
      },
      ...(i % 3 === 0 ? [{ TRUONGHOP: 'Trường hợp đặc biệt', TRINHTU: [{ TENTRINHTU: 'Nộp hồ sơ' }] }] : []),
    ],
    CACHTHUCTHUCHIEN: [
      {
        KENH: 1,
        THOIGIAN: [
          {
            THOIGIANGIAIQUYET: String((i % 15) + 1),
            DONVITINH: i % 2 ? 'Ngày làm việc' : 'Ngày',
            MOTA: 'Nộp trực tiếp',
            PHILEPHI: [
              { MAPHILEPHI: 'LP1', SOTIEN: i % 4 === 0 ? '100.000' : 50000, DONVI: 'Đồng', MOTA: 'Lệ phí' },
            ],
          },
        ],
      },
      { KENH: '2', THOIGIAN: [{ THOIGIANGIAIQUYET: 8, DONVITINH: 'Giờ làm việc', PHILEPHI: [] }] },
    ],
    THANHPHANHOSO: [
      {
        GIAYTO: [
          {
            MAGIAYTO: 'GT1',
            TENGIAYTO: 'Giấy đề nghị',
            TENMAUDON: 'Mẫu 01',
            URL: 'https://dichvucong.gov.vn/m01.docx',
          },
          { TENGIAYTO: 'Bản sao giấy tờ pháp lý' },
        ],
      },
    ],
    DOITUONGTHUCHIEN: [{ TENDOITUONG: 'Công dân Việt Nam' }, { TENDOITUONG: 'Tổ chức' }],
    YEUCAU: 'Không',
    KETQUATHUCHIEN: [{ MAKETQUA: 'KQ', TENKETQUA: 'Giấy chứng nhận' }],
    CANCUPHAPLY: [{ SOVANBAN: '01/2021/NĐ-CP', TENVANBAN: 'Nghị định về đăng ký doanh nghiệp' }],
    COQUANTHUCHIEN: [{ MADONVI: 'H99.03', TENDONVI: 'Sở Tài chính' }],
    TRANGTHAI: i % 10 === 0 ? 0 : 1,
  };
}

/** Five kinds of damage, ten records each; the expected reason for each. */
const BREAK: Array<[(r: ReturnType<typeof goodRecord>) => unknown, RegExp]> = [
  [(r) => ({ ...r, MATTHC: undefined }), /Thiếu mã thủ tục \(MATTHC\)/],
  [(r) => ({ ...r, TENTTHC: '' }), /Thiếu tên thủ tục \(TENTTHC\)/],
  [(r) => ({ ...r, CACHTHUCTHUCHIEN: [{ KENH: 7, THOIGIAN: [] }] }), /KENH\) phải là 1, 2 hoặc 3/],
  [
    (r) => ({
      ...r,
      CACHTHUCTHUCHIEN: [{ KENH: 1, THOIGIAN: [{ THOIGIANGIAIQUYET: -5, DONVITINH: 'Ngày' }] }],
    }),
    /âm/,
  ],
  [
    (r) => ({
      ...r,
      CACHTHUCTHUCHIEN: [{ KENH: 1, THOIGIAN: [{ THOIGIANGIAIQUYET: 5, DONVITINH: 'Tháng' }] }],
    }),
    /Đơn vị tính thời gian không hợp lệ/,
  ],
  [
    (r) => ({
      ...r,
      CACHTHUCTHUCHIEN: [
        {
          KENH: 1,
          THOIGIAN: [{ THOIGIANGIAIQUYET: 5, DONVITINH: 'Ngày', PHILEPHI: [{ SOTIEN: 'miễn phí' }] }],
        },
      ],
    }),
    /SOTIEN\) không phải là số/,
  ],
  [() => 'không phải bản ghi', /không phải là một đối tượng JSON/],
];

function generate() {
  const records: unknown[] = [];
  const expected = new Map<number, RegExp>();
  for (let i = 0; i < N; i++) {
    if (i % 40 === 7) {
      const k = (i / 40) | 0;
      const [damage, reason] = BREAK[k % BREAK.length]!;
      records.push(damage(goodRecord(i)));
      expected.set(i, reason);
    } else records.push(goodRecord(i));
  }
  return { records, expected };
}

async function importBody(body: unknown) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/procedures/import',
    headers: { cookie: admin },
    payload: body as object,
  });
  expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
  return res.json();
}

describe('LayThuTuc import of 2,000 procedures', () => {
  const { records, expected } = generate();

  it('imports, rejecting every malformed record with its reason', async () => {
    expect(expected.size).toBe(50);
    const report = await importBody({ result: records });
    expect(report.total).toBe(N);
    expect(report.created).toBe(N - 50);
    expect(report.updated + report.unchanged).toBe(0);
    expect(report.rejected.map((r: { index: number }) => r.index)).toEqual([...expected.keys()]);
    for (const r of report.rejected) expect(r.reason, `#${r.index}`).toMatch(expected.get(r.index)!);
    const run = await t.db
      .selectFrom('procedure_import_runs')
      .selectAll()
      .where('id', '=', report.runId)
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ total: N, created: N - 50 });
    expect(run.rejected).toHaveLength(50);
    const audits = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'procedures.%')
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['procedures.imported']);
    const n = await t.db
      .selectFrom('procedures')
      .select((e) => e.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(N - 50);
    const sectors = await t.db.selectFrom('procedure_sectors').select('code').execute();
    expect(sectors).toHaveLength(20);
  });

  it('re-import of the same file: everything unchanged', async () => {
    const report = await importBody(records);
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: N - 50 });
    expect(report.rejected).toHaveLength(50);
  });

  it('export → import: every record unchanged', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/procedures/export',
      headers: { cookie: admin },
    });
    expect(res.statusCode).toBe(200);
    const exported = res.json();
    expect(exported.result).toHaveLength(N - 50);
    const sample = exported.result.find((r: { MATTHC: string }) => r.MATTHC === '1.100003');
    expect(sample).toMatchObject({ TENTTHC: 'Thủ tục thử số 3 về đăng ký hộ kinh doanh', TRANGTHAI: 1 });
    expect(sample.TRINHTUTHUCHIEN).toHaveLength(2);
    const report = await importBody(exported);
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: N - 50, rejected: [] });
  });

  it('a changed record is updated (in place for a version starting today), the rest unchanged', async () => {
    const changed = records.map((r, i) =>
      i === 1 ? { ...(r as object), TENTTHC: 'Tên mới của thủ tục số 1' } : r,
    );
    const report = await importBody(changed);
    expect(report).toMatchObject({ created: 0, updated: 1, unchanged: N - 51 });
    const rows = await t.db
      .selectFrom('procedures')
      .select(['name', 'valid_from', 'valid_to'])
      .where('code', '=', '1.100001')
      .execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe('Tên mới của thủ tục số 1');
    // A version from an earlier day is kept and closed; the change becomes a new version from today.
    await t.db
      .updateTable('procedures')
      .set({ valid_from: '2025-01-01' })
      .where('code', '=', '1.100002')
      .execute();
    const r2 = await importBody(
      changed.map((r, i) => (i === 2 ? { ...(r as object), YEUCAU: 'Có điều kiện mới' } : r)),
    );
    expect(r2.updated).toBe(1);
    const versions = await t.db
      .selectFrom('procedures')
      .select(['valid_from', 'valid_to', 'conditions'])
      .where('code', '=', '1.100002')
      .orderBy('valid_from')
      .execute();
    expect(versions).toHaveLength(2);
    expect(versions[0]!.valid_to).toBe(versions[1]!.valid_from);
    expect(versions[1]!.conditions).toBe('Có điều kiện mới');
  });

  it('a duplicate code in one file and a bad body are reported', async () => {
    const dup = await importBody([goodRecord(5000), goodRecord(5000)]);
    expect(dup.created).toBe(1);
    expect(dup.rejected).toEqual([
      { index: 1, code: '1.105000', reason: 'Mã thủ tục (MATTHC) trùng với bản ghi thứ 0 trong tệp' },
    ]);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/procedures/import',
      headers: { cookie: admin },
      payload: { result: 'x' },
    });
    expect(bad.json().code).toBe('VALIDATION_ERROR');
  });
});
