import { describe, expect, it } from 'vitest';
import {
  BUSINESS_DOC_TYPES,
  buildDocumentId,
  classifyOrganId,
  formatEdxmlDate,
  formatEdxmlTimestamp,
  isEdxmlDate,
  isEdxmlTimestamp,
  isStatusCode,
  isValidOrganId,
  parseDocumentId,
  STATUS_CODES,
  statusCodeInfo,
} from '../src/index.ts';

describe('agency codes', () => {
  it.each([
    ['000.00.00.H41', 'qcvn102'],
    ['000.00.00.G22', 'qcvn102'],
    ['002.00.20.H13', 'qcvn102'],
    ['H37.02.02', 'qd20'],
    ['H37.DN.001', 'qd20'],
    ['G22', 'qd20'],
    ['28.22.H17', 'nonstandard'],
    ['01.02.G22', 'nonstandard'],
    ['999.010.01.H22', 'nonstandard'],
    ['', 'invalid'],
    ['h37.02.02', 'invalid'],
    ['H37..02', 'invalid'],
    ['H37.02.', 'invalid'],
    ['.H37', 'invalid'],
    ['H37 02', 'invalid'],
    ['H37-02', 'invalid'],
    [`H37.${'1'.repeat(32)}`, 'invalid'],
  ])('%s is %s', (id, form) => {
    expect(classifyOrganId(id)).toBe(form);
  });

  it('accepts up to 35 characters in the QĐ 20 form', () => {
    const id = `H37.${'1'.repeat(31)}`;
    expect(id).toHaveLength(35);
    expect(classifyOrganId(id)).toBe('qd20');
  });

  it('isValidOrganId: standard forms always, the nonstandard one only when lenient', () => {
    expect(isValidOrganId('H37.02.02')).toBe(true);
    expect(isValidOrganId('28.22.H17')).toBe(false);
    expect(isValidOrganId('28.22.H17', { lenient: true })).toBe(true);
    expect(isValidOrganId('bad id', { lenient: true })).toBe(false);
  });
});

describe('dates', () => {
  it('yyyy/MM/dd must be a real day', () => {
    expect(isEdxmlDate('2024/02/29')).toBe(true);
    expect(isEdxmlDate('2023/02/29')).toBe(false);
    expect(isEdxmlDate('2014/02/30')).toBe(false);
    expect(isEdxmlDate('2000/02/29')).toBe(true);
    expect(isEdxmlDate('1900/02/29')).toBe(false);
    expect(isEdxmlDate('2025/13/01')).toBe(false);
    expect(isEdxmlDate('2025-03-05')).toBe(false);
    expect(isEdxmlDate('2025/3/5')).toBe(false);
    expect(isEdxmlDate(' 2025/03/05')).toBe(false);
  });

  it('yyyy/MM/dd HH:mm:ss on a 24-hour clock', () => {
    expect(isEdxmlTimestamp('2018/09/28 17:25:11')).toBe(true);
    expect(isEdxmlTimestamp('2018/09/28 24:00:00')).toBe(false);
    expect(isEdxmlTimestamp('2018/09/28 23:60:00')).toBe(false);
    expect(isEdxmlTimestamp('2018/09/28')).toBe(false);
    expect(isEdxmlTimestamp('2018/09/28T17:25:11')).toBe(false);
  });

  it('formats an instant in Vietnam time (UTC+7)', () => {
    const t = new Date('2025-03-04T18:30:05Z');
    expect(formatEdxmlDate(t)).toBe('2025/03/05');
    expect(formatEdxmlTimestamp(t)).toBe('2025/03/05 01:30:05');
  });
});

describe('DocumentId', () => {
  it('builds and parses {OrganId},{yyyy/MM/dd},{number}/{notation}', () => {
    const parts = { organId: '000.00.00.G22', date: '2015/09/30', number: '7816', notation: 'VPCP-TTĐT' };
    const id = buildDocumentId(parts);
    expect(id).toBe('000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
    expect(parseDocumentId(id)).toEqual(parts);
  });

  it('the notation keeps later slashes', () => {
    expect(parseDocumentId('G09,2020/03/05,30/2020/NĐ-CP')).toEqual({
      organId: 'G09',
      date: '2020/03/05',
      number: '30',
      notation: '2020/NĐ-CP',
    });
  });

  it.each([
    '9fbfbad2-f1f8-4256-a2eb-50fb1061cddb',
    '000.00.00.G22,2014/02/30,7806/VPCP-TTĐT',
    '000.00.00.G22,2015/09/30,7816',
    '000.00.00.G22,2015/09/30,/VPCP',
    '000.00.00.G22,2015/09/30,7816/',
    'bad id,2015/09/30,1/A',
    'G22,2015/09/30,1/A,B',
  ])('rejects %s', (id) => {
    expect(parseDocumentId(id)).toBeUndefined();
  });

  it('refuses to build what would not parse back', () => {
    expect(() => buildDocumentId({ organId: 'G22', date: '2015/02/30', number: '1', notation: 'A' })).toThrow(
      RangeError,
    );
    expect(() =>
      buildDocumentId({ organId: 'G22', date: '2015/02/03', number: '1/2', notation: 'A' }),
    ).toThrow(RangeError);
    expect(() =>
      buildDocumentId({ organId: 'G22', date: '2015/02/03', number: '1', notation: 'A,B' }),
    ).toThrow(RangeError);
  });
});

describe('code tables', () => {
  it('has the nine status codes 01–06, 13, 15, 16 with Vietnamese names', () => {
    expect(STATUS_CODES.map((s) => s.code)).toEqual(['01', '02', '03', '04', '05', '06', '13', '15', '16']);
    for (const s of STATUS_CODES) expect(s.nameVi.length).toBeGreaterThan(3);
    expect(statusCodeInfo('13')?.who).toBe('sender');
    expect(statusCodeInfo('02')?.nameVi).toBe('Từ chối tiếp nhận');
    expect(isStatusCode('07')).toBe(false);
    expect(isStatusCode('1')).toBe(false);
  });

  it('has the four business types', () => {
    expect(BUSINESS_DOC_TYPES.map((b) => [b.type, b.key])).toEqual([
      [0, 'new'],
      [1, 'recall'],
      [2, 'update'],
      [3, 'replace'],
    ]);
  });
});
