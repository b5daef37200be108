import { describe, expect, it } from 'vitest';
import { buildNotation, formatNumber, NotationError } from './notation.ts';

describe('số, ký hiệu (NĐ 30 Phụ lục I)', () => {
  it('pads numbers below 10 with a leading zero', () => {
    expect(formatNumber(1)).toBe('01');
    expect(formatNumber(9)).toBe('09');
    expect(formatNumber(10)).toBe('10');
    expect(formatNumber(1234)).toBe('1234');
    expect(() => formatNumber(0)).toThrow(NotationError);
  });

  it('documents with a type name: number/TYPE-AGENCY', () => {
    expect(buildNotation({ number: 123, typeAbbreviation: 'QĐ', agencyAbbreviation: 'UBND' }).full).toBe(
      '123/QĐ-UBND',
    );
    expect(buildNotation({ number: 5, typeAbbreviation: 'QyĐ', agencyAbbreviation: 'SNV' }).full).toBe(
      '05/QyĐ-SNV',
    );
  });

  it('công văn: number/AGENCY-UNIT', () => {
    expect(
      buildNotation({ number: 1, typeAbbreviation: null, agencyAbbreviation: 'UBND', unitAbbreviation: 'VP' })
        .full,
    ).toBe('01/UBND-VP');
    expect(() => buildNotation({ number: 1, typeAbbreviation: null, agencyAbbreviation: 'UBND' })).toThrow(
      NotationError,
    );
  });

  it('refuses spaces and empty groups', () => {
    expect(() => buildNotation({ number: 1, typeAbbreviation: 'QĐ', agencyAbbreviation: 'UB ND' })).toThrow(
      NotationError,
    );
    expect(() => buildNotation({ number: 1, typeAbbreviation: '', agencyAbbreviation: 'UBND' })).toThrow(
      NotationError,
    );
  });
});
