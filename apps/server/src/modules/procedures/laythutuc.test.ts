import { describe, expect, it } from 'vitest';
import { canonicalJson, fromRecord, recordHash, recordsOf, toRecord, unitOf } from './laythutuc.ts';
import { isInterAgency, totalHours, workflowIssues } from './workflow.ts';

const birth = {
  MATTHC: '1.001193',
  TENTTHC: 'Thủ tục đăng ký khai sinh',
  MACOQUANCONGBO: 'Bộ Tư pháp',
  LINHVUCTHUCHIEN: [{ MALINHVUC: 'G09-TP03', TENLINHVUC: 'Hộ tịch' }],
  CAPTHUCHIEN: 'Cấp Xã',
  MUCDO: 'Toàn trình',
  TRINHTUTHUCHIEN: [
    { TRUONGHOP: 'Đăng ký khai sinh', TRINHTU: [{ TENTRINHTU: 'Nộp hồ sơ' }, { TENTRINHTU: 'Trả kết quả' }] },
  ],
  CACHTHUCTHUCHIEN: [
    {
      KENH: 1,
      THOIGIAN: [
        {
          THOIGIANGIAIQUYET: '1',
          DONVITINH: 'Ngày làm việc',
          PHILEPHI: [{ SOTIEN: '0', MOTA: 'Miễn lệ phí' }],
        },
      ],
    },
    { KENH: '2', THOIGIAN: [{ THOIGIANGIAIQUYET: 8, DONVITINH: 'Giờ', PHILEPHI: [] }] },
  ],
  THANHPHANHOSO: [
    { GIAYTO: [{ MAGIAYTO: 'TKKS', TENGIAYTO: 'Tờ khai đăng ký khai sinh', TENMAUDON: 'Mẫu tờ khai' }] },
  ],
  DOITUONGTHUCHIEN: [{ TENDOITUONG: 'Công dân Việt Nam' }],
  YEUCAU: 'Không',
  KETQUATHUCHIEN: [{ MAKETQUA: 'KQ1', TENKETQUA: 'Giấy khai sinh' }],
  CANCUPHAPLY: [{ SOVANBAN: '60/2014/QH13', TENVANBAN: 'Luật Hộ tịch' }],
  COQUANTHUCHIEN: [{ MADONVI: 'H99.63', TENDONVI: 'UBND xã Tân Lập' }],
  TRANGTHAI: 1,
};

describe('LayThuTuc mapping', () => {
  it('maps a full record', () => {
    const m = fromRecord(birth);
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const v = m.value;
    expect(v).toMatchObject({
      code: '1.001193',
      sectorCode: 'G09-TP03',
      sectorName: 'Hộ tịch',
      authorityLevel: 'commune',
      onlineLevel: 'full',
      published: true,
      applicants: ['Công dân Việt Nam'],
      implementing: [{ code: 'H99.63', name: 'UBND xã Tân Lập' }],
    });
    expect(v.cases).toHaveLength(1);
    expect(v.cases[0]!.steps).toEqual(['Nộp hồ sơ', 'Trả kết quả']);
    expect(v.cases[0]!.channels).toEqual([
      {
        channel: 1,
        durationValue: 1,
        durationUnit: 'working_days',
        fees: [{ name: 'Miễn lệ phí', kind: 'charge', amount: 0, when: 'exempt' }],
      },
      { channel: 2, durationValue: 8, durationUnit: 'working_hours', fees: [] },
    ]);
    expect(v.cases[0]!.components).toEqual([
      { code: 'TKKS', name: 'Tờ khai đăng ký khai sinh', formName: 'Mẫu tờ khai' },
    ]);
  });

  it('maps the units of DONVITINH', () => {
    expect(unitOf('Ngày làm việc')).toBe('working_days');
    expect(unitOf(' ngày ')).toBe('calendar_days');
    expect(unitOf('Giờ')).toBe('working_hours');
    expect(unitOf('Giờ làm việc')).toBe('working_hours');
    expect(unitOf('Tháng')).toBeUndefined();
  });

  it('rejects malformed records with a Vietnamese reason naming the field', () => {
    const bad: Array<[unknown, RegExp]> = [
      [42, /không phải là một đối tượng/],
      [{ ...birth, MATTHC: undefined }, /Thiếu mã thủ tục \(MATTHC\)/],
      [{ ...birth, MATTHC: 'mã có dấu cách' }, /MATTHC\) không đúng định dạng/],
      [{ ...birth, TENTTHC: '  ' }, /Thiếu tên thủ tục \(TENTTHC\)/],
      [{ ...birth, CACHTHUCTHUCHIEN: [{ KENH: 4, THOIGIAN: [] }] }, /KENH\) phải là 1, 2 hoặc 3/],
      [
        {
          ...birth,
          CACHTHUCTHUCHIEN: [{ KENH: 1, THOIGIAN: [{ THOIGIANGIAIQUYET: -3, DONVITINH: 'Ngày' }] }],
        },
        /THOIGIANGIAIQUYET\) âm/,
      ],
      [
        {
          ...birth,
          CACHTHUCTHUCHIEN: [{ KENH: 1, THOIGIAN: [{ THOIGIANGIAIQUYET: 'năm', DONVITINH: 'Ngày' }] }],
        },
        /không phải là số/,
      ],
      [
        {
          ...birth,
          CACHTHUCTHUCHIEN: [{ KENH: 1, THOIGIAN: [{ THOIGIANGIAIQUYET: 3, DONVITINH: 'Tuần' }] }],
        },
        /Đơn vị tính thời gian không hợp lệ .*"Tuần"/,
      ],
      [
        {
          ...birth,
          CACHTHUCTHUCHIEN: [
            {
              KENH: 1,
              THOIGIAN: [{ THOIGIANGIAIQUYET: 3, DONVITINH: 'Ngày', PHILEPHI: [{ SOTIEN: 'năm chục' }] }],
            },
          ],
        },
        /SOTIEN\) không phải là số/,
      ],
      [{ ...birth, TRINHTUTHUCHIEN: 'không phải danh sách' }, /TRINHTUTHUCHIEN phải là một danh sách/],
      [{ ...birth, THANHPHANHOSO: [{ GIAYTO: [{ MAGIAYTO: 'x' }] }] }, /Thiếu tên giấy tờ/],
    ];
    for (const [rec, reason] of bad) {
      const m = fromRecord(rec);
      expect(m.ok, JSON.stringify(rec).slice(0, 80)).toBe(false);
      if (!m.ok) expect(m.reason).toMatch(reason);
    }
    const m = fromRecord({ ...birth, MATTHC: undefined });
    expect(m.ok || m.code).toBeNull();
  });

  it('accepts thousand-grouped amounts and { result: [...] }', () => {
    const m = fromRecord({
      ...birth,
      CACHTHUCTHUCHIEN: [
        {
          KENH: 1,
          THOIGIAN: [
            { THOIGIANGIAIQUYET: '1,5', DONVITINH: 'Ngày', PHILEPHI: [{ SOTIEN: '50.000', MOTA: 'Lệ phí' }] },
          ],
        },
      ],
    });
    expect(m.ok && m.value.cases[0]!.channels[0]).toMatchObject({
      durationValue: 1.5,
      fees: [{ amount: 50_000 }],
    });
    expect(recordsOf({ result: [1, 2] })).toEqual([1, 2]);
    expect(recordsOf([3])).toEqual([3]);
    expect(recordsOf('x')).toEqual([]);
  });

  it('channel times and components go to their case by TRUONGHOP, else by position', () => {
    const m = fromRecord({
      ...birth,
      TRINHTUTHUCHIEN: [{ TRUONGHOP: 'Đúng hạn' }, { TRUONGHOP: 'Quá hạn' }],
      CACHTHUCTHUCHIEN: [
        {
          KENH: 1,
          THOIGIAN: [
            { TRUONGHOP: 'Quá hạn', THOIGIANGIAIQUYET: 5, DONVITINH: 'Ngày làm việc' },
            { TRUONGHOP: 'Đúng hạn', THOIGIANGIAIQUYET: 1, DONVITINH: 'Ngày làm việc' },
          ],
        },
      ],
      THANHPHANHOSO: [{ GIAYTO: [{ TENGIAYTO: 'A' }] }, { GIAYTO: [{ TENGIAYTO: 'B' }] }],
    });
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value.cases.map((c) => c.channels[0]!.durationValue)).toEqual([1, 5]);
    expect(m.value.cases.map((c) => c.components.map((x) => x.name))).toEqual([['A'], ['B']]);
  });

  it('export → import is a fixed point: the record and its hash do not change', () => {
    const m = fromRecord(birth);
    if (!m.ok) throw new Error(m.reason);
    const once = toRecord(m.value);
    const again = fromRecord(JSON.parse(JSON.stringify(once)));
    if (!again.ok) throw new Error(again.reason);
    expect(canonicalJson(toRecord(again.value))).toBe(canonicalJson(once));
    expect(recordHash(again.value)).toBe(recordHash(m.value));
    // A real change changes the hash; the sector's name does not.
    expect(recordHash({ ...m.value, name: 'Khác' })).not.toBe(recordHash(m.value));
    expect(recordHash({ ...m.value, sectorName: 'Tên khác' })).toBe(recordHash(m.value));
    expect(recordHash({ ...m.value, published: false })).not.toBe(recordHash(m.value));
  });

  it('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}');
  });
});

describe('workflow rules', () => {
  const A = 'agency-a';
  const B = 'agency-b';
  const ctx = {
    receivingAgencyIds: [A],
    knownAgencies: new Set([A, B]),
    departmentAgency: new Map([
      ['dep-a', A],
      ['dep-b', B],
    ]),
  };
  const step = (over: Partial<Parameters<typeof workflowIssues>[1][number]> = {}) => ({
    name: 'Bước',
    kind: 'appraise',
    agencyId: null,
    departmentId: null,
    role: 'specialist',
    durationHours: 8,
    ...over,
  });

  it('accepts a well-formed chain and flags other agencies as inter-agency', () => {
    const steps = [
      step({ kind: 'receive', role: 'counter', durationHours: 0.5 }),
      step({ departmentId: 'dep-a' }),
      step({ agencyId: B, departmentId: 'dep-b', durationHours: 16 }),
      step({ kind: 'return', role: 'counter', durationHours: 0.5 }),
    ];
    expect(workflowIssues(0, steps, ctx)).toEqual([]);
    expect(isInterAgency(steps, [A])).toBe(true);
    expect(isInterAgency(steps.slice(0, 2), [A])).toBe(false);
    expect(totalHours(steps)).toBe(25);
  });

  it('names every problem with its step', () => {
    const issues = workflowIssues(
      2,
      [
        step({ role: 'king' }),
        step({ kind: 'receive' }),
        step({ agencyId: A, departmentId: 'dep-b' }),
        step({ departmentId: 'dep-b' }),
        step({ agencyId: 'nowhere' }),
        step({ departmentId: 'dep-x' }),
        step({ kind: 'return' }),
        step(),
      ],
      ctx,
    );
    expect(issues.map((i) => [i.caseIndex, i.stepIndex, i.field])).toEqual([
      [2, 0, 'role'],
      [2, 1, 'kind'],
      [2, 2, 'departmentId'],
      [2, 3, 'departmentId'],
      [2, 4, 'agencyId'],
      [2, 5, 'departmentId'],
      [2, 6, 'kind'],
    ]);
    expect(issues[2]!.reason).toBe('Phòng ban không thuộc cơ quan của bước');
    expect(issues[3]!.reason).toBe('Phòng ban không thuộc cơ quan tiếp nhận của thủ tục');
  });
});
